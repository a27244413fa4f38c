#include "cairn/store/run_filter.h"

#include <cctype>
#include <charconv>
#include <vector>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/store/run_field.h"

namespace cairn::store {

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kLike, kNotLike, kILike, kNotILike };

struct RunFilter::Node {
  enum class Kind { kAnd, kOr, kCompare };
  Kind kind = Kind::kCompare;
  std::vector<std::shared_ptr<const Node>> children;  // kAnd, kOr
  RunField field;                                     // kCompare
  CompareOp op = CompareOp::kEq;
  bool literal_numeric = false;
  double number = 0;
  std::string text;
};

namespace {

using Node = RunFilter::Node;

enum class TokenKind { kField, kNumber, kString, kOperator, kOpen, kClose, kAnd, kOr, kNot, kLike, kILike, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t position = 0;  // 1-based
  std::string text;     // as written, quotes removed for strings
  double number = 0;
};

[[noreturn]] void Fail(size_t position, const std::string& message) {
  ThrowInvalidInput("filter: position " + std::to_string(position) + ": " + message);
}

bool IsFieldChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/';
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token token;
    token.position = i + 1;
    if (c == '(' || c == ')') {
      token.kind = c == '(' ? TokenKind::kOpen : TokenKind::kClose;
      token.text = std::string(1, c);
      ++i;
    } else if (c == '\'' || c == '"') {
      // A doubled quote inside a string stands for one quote, as in SQL.
      std::string value;
      size_t j = i + 1;
      bool closed = false;
      while (j < text.size()) {
        if (text[j] == c) {
          if (j + 1 < text.size() && text[j + 1] == c) {
            value += c;
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        value += text[j++];
      }
      if (!closed) Fail(token.position, "unterminated string; add the closing " + std::string(1, c));
      token.kind = TokenKind::kString;
      token.text = value;
      i = j + 1;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      size_t length = 1;
      if (i + 1 < text.size() && (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>'))) length = 2;
      token.text = std::string(text.substr(i, length));
      if (token.text == "!") Fail(token.position, "unexpected '!'; write != for 'not equal'");
      token.kind = TokenKind::kOperator;
      i += length;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
               ((c == '-' || c == '+') && i + 1 < text.size() &&
                (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '.'))) {
      const char* begin = text.data() + i + (c == '+' ? 1 : 0);
      const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), token.number);
      if (ec != std::errc()) Fail(token.position, "malformed number");
      token.kind = TokenKind::kNumber;
      const size_t length = static_cast<size_t>(end - (text.data() + i));
      token.text = std::string(text.substr(i, length));
      i += length;
      if (i < text.size() && IsFieldChar(text[i])) Fail(i + 1, "unexpected '" + std::string(1, text[i]) + "' after a number");
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < text.size() && (IsFieldChar(text[j]) || text[j] == '`')) {
        if (text[j] == '`') {
          // metrics.`val loss`: a key with spaces.
          const size_t close = text.find('`', j + 1);
          if (close == std::string_view::npos) Fail(j + 1, "unterminated backquote; add the closing `");
          j = close + 1;
        } else {
          ++j;
        }
      }
      token.text = std::string(text.substr(i, j - i));
      const std::string lower = ToLower(token.text);
      token.kind = lower == "and"     ? TokenKind::kAnd
                   : lower == "or"    ? TokenKind::kOr
                   : lower == "not"   ? TokenKind::kNot
                   : lower == "like"  ? TokenKind::kLike
                   : lower == "ilike" ? TokenKind::kILike
                                      : TokenKind::kField;
      i = j;
    } else {
      Fail(token.position, "unexpected character '" + std::string(1, c) + "'");
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.kind = TokenKind::kEnd;
  end.position = text.size() + 1;
  tokens.push_back(end);
  return tokens;
}

std::string Describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "the end of the filter";
  if (token.kind == TokenKind::kString) return "'" + token.text + "'";
  return "'" + token.text + "'";
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::shared_ptr<const Node> ParseAll() {
    auto root = ParseOr();
    if (Peek().kind == TokenKind::kClose) Fail(Peek().position, "')' without a matching '('");
    if (Peek().kind != TokenKind::kEnd) {
      Fail(Peek().position, "expected 'and', 'or' or the end of the filter, found " + Describe(Peek()));
    }
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[index_]; }
  const Token& Next() { return tokens_[index_ < tokens_.size() - 1 ? index_++ : index_]; }

  std::shared_ptr<const Node> ParseOr() {
    auto first = ParseAnd();
    if (Peek().kind != TokenKind::kOr) return first;
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::kOr;
    node->children.push_back(first);
    while (Peek().kind == TokenKind::kOr) {
      Next();
      node->children.push_back(ParseAnd());
    }
    return node;
  }

  std::shared_ptr<const Node> ParseAnd() {
    auto first = ParsePrimary();
    if (Peek().kind != TokenKind::kAnd) return first;
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::kAnd;
    node->children.push_back(first);
    while (Peek().kind == TokenKind::kAnd) {
      Next();
      node->children.push_back(ParsePrimary());
    }
    return node;
  }

  std::shared_ptr<const Node> ParsePrimary() {
    if (Peek().kind == TokenKind::kOpen) {
      const size_t open = Next().position;
      auto inner = ParseOr();
      if (Peek().kind != TokenKind::kClose) {
        Fail(Peek().position, "expected ')' to close the '(' at position " + std::to_string(open) + ", found " +
                                  Describe(Peek()));
      }
      Next();
      return inner;
    }
    return ParseComparison();
  }

  std::shared_ptr<const Node> ParseComparison() {
    const Token field_token = Next();
    if (field_token.kind != TokenKind::kField) {
      Fail(field_token.position, "expected a field such as metrics.auc, params.model or status, found " +
                                     Describe(field_token));
    }
    std::string error;
    const auto field = TryParseRunField(field_token.text, &error);
    if (!field) Fail(field_token.position, error);

    auto node = std::make_shared<Node>();
    node->field = *field;
    const Token op_token = Next();
    std::string op_text = op_token.text;
    if (op_token.kind == TokenKind::kOperator) {
      const std::string& o = op_token.text;
      node->op = o == "=" || o == "==" ? CompareOp::kEq
                 : o == "!=" || o == "<>" ? CompareOp::kNe
                 : o == "<"               ? CompareOp::kLt
                 : o == "<="              ? CompareOp::kLe
                 : o == ">"               ? CompareOp::kGt
                 : o == ">="              ? CompareOp::kGe
                                          : (Fail(op_token.position, "unknown operator '" + o + "'"), CompareOp::kEq);
    } else if (op_token.kind == TokenKind::kLike || op_token.kind == TokenKind::kILike) {
      node->op = op_token.kind == TokenKind::kLike ? CompareOp::kLike : CompareOp::kILike;
    } else if (op_token.kind == TokenKind::kNot &&
               (Peek().kind == TokenKind::kLike || Peek().kind == TokenKind::kILike)) {
      node->op = Next().kind == TokenKind::kLike ? CompareOp::kNotLike : CompareOp::kNotILike;
      op_text += " " + tokens_[index_ - 1].text;
    } else {
      Fail(op_token.position, "expected an operator after '" + field_token.text + "' (= != < <= > >= or LIKE), found " +
                                  Describe(op_token));
    }

    const Token value = Next();
    if (value.kind != TokenKind::kNumber && value.kind != TokenKind::kString) {
      Fail(value.position, "expected a value (a number or a quoted string) after '" + op_text + "', found " +
                               Describe(value));
    }
    CheckAndStore(*node, value, op_text);
    return node;
  }

  // Types are checked here, once, so evaluation never fails.
  static void CheckAndStore(Node& node, const Token& value, const std::string& op_text) {
    const bool like = node.op == CompareOp::kLike || node.op == CompareOp::kNotLike || node.op == CompareOp::kILike ||
                      node.op == CompareOp::kNotILike;
    const std::string field_name = node.field.ToString();
    const bool numeric_field = node.field.group == RunField::Group::kMetric || node.field.is_time();
    if (like && numeric_field) Fail(value.position, op_text + " needs text, but " + field_name + " is a number");
    if (like && value.kind != TokenKind::kString) {
      Fail(value.position, op_text + " needs a quoted pattern such as 'gb%', found " + Describe(value));
    }
    node.text = value.text;
    if (value.kind == TokenKind::kNumber) {
      node.literal_numeric = true;
      node.number = value.number;
    } else if (!like) {
      // A quoted number still compares as a number where the field holds one.
      const std::string_view trimmed = Trim(value.text);
      double number = 0;
      const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
      if (!trimmed.empty() && ec == std::errc() && end == trimmed.data() + trimmed.size()) {
        node.literal_numeric = true;
        node.number = number;
      }
    }
    if (node.field.is_time() && !node.literal_numeric) {
      const auto micros = ParseUtc(value.text);
      if (!micros) {
        Fail(value.position, field_name + " compares with microseconds or a date such as '2026-01-31', not " +
                                 Describe(value));
      }
      node.literal_numeric = true;
      node.number = static_cast<double>(*micros);
    }
    if (node.field.group == RunField::Group::kMetric && !node.literal_numeric) {
      Fail(value.position, field_name + " compares with numbers, not " + Describe(value));
    }
    if (node.field.group == RunField::Group::kAttribute && node.field.key == "status" && !like) {
      const auto status = ParseRunStatus(value.text);
      if (!status) {
        Fail(value.position, "unknown status " + Describe(value) + "; expected RUNNING, FINISHED, FAILED or KILLED");
      }
      node.text = std::string(RunStatusName(*status));
    }
  }

  std::vector<Token> tokens_;
  size_t index_ = 0;
};

// SQL LIKE: % matches any run of characters, _ exactly one byte.
bool LikeMatch(std::string_view text, std::string_view pattern) {
  size_t t = 0;
  size_t p = 0;
  size_t star_p = std::string_view::npos;
  size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

template <typename T>
bool Apply(CompareOp op, const T& left, const T& right) {
  switch (op) {
    case CompareOp::kEq:
      return left == right;
    case CompareOp::kNe:
      return left != right;
    case CompareOp::kLt:
      return left < right;
    case CompareOp::kLe:
      return left <= right;
    case CompareOp::kGt:
      return left > right;
    case CompareOp::kGe:
      return left >= right;
    default:
      return false;
  }
}

bool Evaluate(const Node& node, const Run& run) {
  switch (node.kind) {
    case Node::Kind::kAnd:
      for (const auto& child : node.children) {
        if (!Evaluate(*child, run)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (const auto& child : node.children) {
        if (Evaluate(*child, run)) return true;
      }
      return false;
    case Node::Kind::kCompare:
      break;
  }
  const auto value = FieldValueOf(run, node.field);
  if (!value) return false;
  switch (node.op) {
    case CompareOp::kLike:
      return LikeMatch(value->text, node.text);
    case CompareOp::kNotLike:
      return !LikeMatch(value->text, node.text);
    case CompareOp::kILike:
      return LikeMatch(ToLower(value->text), ToLower(node.text));
    case CompareOp::kNotILike:
      return !LikeMatch(ToLower(value->text), ToLower(node.text));
    default:
      break;
  }
  if (value->numeric && node.literal_numeric) return Apply(node.op, value->number, node.number);
  return Apply(node.op, value->text, node.text);
}

}  // namespace

RunFilter::RunFilter() = default;

RunFilter RunFilter::Parse(std::string_view text) {
  RunFilter filter;
  if (Trim(text).empty()) return filter;
  filter.root_ = Parser(Tokenize(text)).ParseAll();
  return filter;
}

bool RunFilter::Matches(const Run& run) const { return root_ == nullptr || Evaluate(*root_, run); }

}  // namespace cairn::store
