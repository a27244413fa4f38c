#include "serve_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>

#include "cairn/core/error.h"
#include "cairn/core/json.h"
#include "cairn/runtime/model_writer.h"
#include "cairn/store/store.h"

namespace cairn::serve::testing {
namespace {

using runtime::Attribute;
using runtime::AttributeType;
using runtime::DataType;
using runtime::Dimension;
using runtime::Model;
using runtime::Node;
using runtime::Tensor;
using runtime::ValueInfo;

ValueInfo TensorInfo(const std::string& name, DataType type, std::vector<Dimension> dims) {
  ValueInfo info;
  info.name = name;
  info.type.kind = runtime::ValueKind::kTensor;
  info.type.elem_type = type;
  info.type.has_shape = true;
  info.type.dims = std::move(dims);
  return info;
}

Dimension Fixed(int64_t value) {
  Dimension dim;
  dim.value = value;
  return dim;
}

Dimension Batch() {
  Dimension dim;
  dim.symbol = "N";
  return dim;
}

Attribute IntAttr(const std::string& name, int64_t value) {
  Attribute attribute;
  attribute.name = name;
  attribute.type = AttributeType::kInt;
  attribute.i = value;
  return attribute;
}

std::vector<float> Weights(bool flip) {
  // Row-major W[3][2]: class 0 scores a - b + 0.5c, class 1 the opposite.
  std::vector<float> w{1.0f, -1.0f, -1.0f, 1.0f, 0.5f, -0.5f};
  if (flip) {
    for (size_t r = 0; r < 3; ++r) std::swap(w[2 * r], w[2 * r + 1]);
  }
  return w;
}

Model ClassifierHead(Model model, const std::string& features, bool flip) {
  model.graph.initializers.emplace_back("W", Tensor::FromVector<float>({3, 2}, Weights(flip)));
  model.graph.initializers.emplace_back("B", Tensor::FromVector<float>({2}, {0.0f, 0.0f}));
  model.graph.nodes.push_back(Node{"matmul", "MatMul", "", {features, "W"}, {"XW"}, {}});
  model.graph.nodes.push_back(Node{"add", "Add", "", {"XW", "B"}, {"scores"}, {}});
  model.graph.nodes.push_back(Node{"softmax", "Softmax", "", {"scores"}, {"probabilities"}, {IntAttr("axis", 1)}});
  model.graph.nodes.push_back(
      Node{"argmax", "ArgMax", "", {"scores"}, {"label"}, {IntAttr("axis", 1), IntAttr("keepdims", 0)}});
  model.graph.outputs.push_back(TensorInfo("label", DataType::kInt64, {Batch()}));
  model.graph.outputs.push_back(TensorInfo("probabilities", DataType::kFloat32, {Batch(), Fixed(2)}));
  return model;
}

Model EmptyModel(const std::string& name) {
  Model model;
  model.ir_version = 8;
  model.producer_name = "cairn-tests";
  model.opsets[""] = 13;
  model.graph.name = name;
  return model;
}

}  // namespace

Model MatrixClassifier(bool flip) {
  Model model = EmptyModel("matrix_classifier");
  model.graph.inputs.push_back(TensorInfo("X", DataType::kFloat32, {Batch(), Fixed(3)}));
  model.metadata_props.emplace_back("cairn.feature_order", R"(["a","b","c"])");
  return ClassifierHead(std::move(model), "X", flip);
}

Model ColumnClassifier() {
  Model model = EmptyModel("column_classifier");
  for (const char* name : {"a", "b", "c"}) {
    model.graph.inputs.push_back(TensorInfo(name, DataType::kFloat32, {Batch(), Fixed(1)}));
  }
  model.graph.nodes.push_back(Node{"concat", "Concat", "", {"a", "b", "c"}, {"X"}, {IntAttr("axis", 1)}});
  return ClassifierHead(std::move(model), "X", false);
}

std::string Serialize(const Model& model) { return runtime::SerializeModel(model); }

int64_t ExpectedLabel(double a, double b, double c, bool flip) {
  const float score0 = static_cast<float>(a) - static_cast<float>(b) + 0.5f * static_cast<float>(c);
  const float first = flip ? -score0 : score0;
  return -first > first ? 1 : 0;
}

TestWorkspace::TestWorkspace() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cairn-serve-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  artifacts::Workspace::Init(dir_, std::nullopt);
}

TestWorkspace::~TestWorkspace() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

artifacts::WorkspaceOptions TestWorkspace::options() const {
  artifacts::WorkspaceOptions options;
  options.start_dir = dir_;
  return options;
}

std::unique_ptr<artifacts::Workspace> TestWorkspace::Open() const { return artifacts::Workspace::Open(options()); }

int64_t TestWorkspace::Register(const std::string& name, const std::string& bytes) {
  auto workspace = Open();
  const auto blob = workspace->artifacts().Put(bytes);
  store::NewModelVersion spec;
  spec.name = name;
  spec.blob_hash = blob.hash;
  spec.size = static_cast<int64_t>(blob.size);
  spec.source = store::ModelSource::kImport;
  return workspace->store().models().CreateVersion(spec).version.version;
}

void TestWorkspace::SetAlias(const std::string& name, const std::string& alias, int64_t version) {
  Open()->store().models().SetAlias(name, alias, version);
}

std::filesystem::path TestWorkspace::WriteFile(const std::string& name, const std::string& bytes) const {
  const auto path = dir_ / name;
  FILE* file = fopen(path.c_str(), "wb");
  if (!file) throw std::runtime_error("cannot write " + path.string());
  fwrite(bytes.data(), 1, bytes.size(), file);
  fclose(file);
  return path;
}

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpClient::HttpClient(uint16_t port, int timeout_ms) : port_(port), timeout_ms_(timeout_ms) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::Connect() {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  timeval tv{timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    Close();
    return false;
  }
  return true;
}

HttpResult HttpClient::Raw(const std::string& bytes) {
  if (fd_ < 0 && !Connect()) return {};
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  return ReadResponse();
}

HttpResult HttpClient::ReadResponse() {
  HttpResult result;
  auto fill = [&]() -> bool {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      Close();
      return result;
    }
  }
  const std::string head = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) {
    Close();
    return result;
  }
  result.status = std::atoi(status_line.c_str() + 9);
  while (line_end != std::string::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    size_t value_start = colon + 1;
    while (value_start < line.size() && line[value_start] == ' ') ++value_start;
    result.headers[name] = line.substr(value_start);
  }
  const size_t length = static_cast<size_t>(std::atoll(result.header("content-length").c_str()));
  while (buffer_.size() < length) {
    if (!fill()) {
      Close();
      result.status = 0;
      return result;
    }
  }
  result.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  if (result.header("connection") == "close") Close();
  return result;
}

HttpResult HttpClient::Request(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool fresh = fd_ < 0;
    if (fd_ < 0 && !Connect()) return {};
    HttpResult result = Raw(request);
    // A kept-alive connection the server has since closed: retry once on a new one.
    if (result.status != 0 || fresh) return result;
  }
  return {};
}

HttpResult HttpClient::PostJson(const std::string& target, const std::string& body,
                                std::map<std::string, std::string> headers) {
  if (!headers.count("Content-Type")) headers["Content-Type"] = "application/json";
  return Request("POST", target, body, headers);
}

HttpResult HttpClient::Get(const std::string& target, const std::map<std::string, std::string>& headers) {
  return Request("GET", target, "", headers);
}

bool PortIsFree(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool taken = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return !taken;
}

namespace {

bool ValidName(const std::string& name, bool metric) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool ParseValue(const std::string& text, double& value) {
  if (text == "+Inf" || text == "Inf") {
    value = INFINITY;
    return true;
  }
  if (text == "-Inf") {
    value = -INFINITY;
    return true;
  }
  if (text == "NaN") {
    value = NAN;
    return true;
  }
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// Parses `name{labels} value` into `sample`; "" or the problem.
std::string ParseSample(const std::string& line, PromSample& sample) {
  size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  sample.name = line.substr(0, i);
  if (!ValidName(sample.name, true)) return "invalid metric name '" + sample.name + "'";
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      size_t start = i;
      while (i < line.size() && line[i] != '=') ++i;
      const std::string label = line.substr(start, i - start);
      if (!ValidName(label, false)) return "invalid label name '" + label + "'";
      if (i + 1 >= line.size() || line[i + 1] != '"') return "label '" + label + "' value is not quoted";
      i += 2;
      std::string value;
      bool closed = false;
      while (i < line.size()) {
        const char c = line[i++];
        if (c == '\\') {
          if (i >= line.size()) return "dangling escape in label '" + label + "'";
          const char e = line[i++];
          if (e == 'n') value += '\n';
          else if (e == '\\' || e == '"') value += e;
          else return "invalid escape \\" + std::string(1, e) + " in label '" + label + "'";
        } else if (c == '"') {
          closed = true;
          break;
        } else if (c == '\n') {
          return "raw newline in label value";
        } else {
          value += c;
        }
      }
      if (!closed) return "unterminated label value for '" + label + "'";
      if (sample.labels.count(label)) return "label '" + label + "' repeated";
      sample.labels[label] = value;
      if (i < line.size() && line[i] == ',') ++i;
      else if (i < line.size() && line[i] != '}') return "expected ',' or '}' after label '" + label + "'";
    }
    if (i >= line.size()) return "unterminated label set";
    ++i;
  }
  if (i >= line.size() || line[i] != ' ') return "expected a space before the value";
  std::string rest = line.substr(i + 1);
  const size_t space = rest.find(' ');
  const std::string value_text = rest.substr(0, space);
  if (!ParseValue(value_text, sample.value)) return "invalid value '" + value_text + "'";
  if (space != std::string::npos) {
    const std::string timestamp = rest.substr(space + 1);
    if (timestamp.empty() || timestamp.find_first_not_of("-0123456789") != std::string::npos) {
      return "invalid timestamp '" + timestamp + "'";
    }
  }
  return "";
}

std::string FamilyOf(const std::string& sample, const std::map<std::string, PromFamily>& families) {
  if (families.count(sample)) return sample;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      const std::string base = sample.substr(0, sample.size() - s.size());
      auto it = families.find(base);
      if (it != families.end() && (it->second.type == "histogram" || it->second.type == "summary")) return base;
    }
  }
  return "";
}

std::string CheckHistogram(const PromFamily& family) {
  // Group by the labels other than le.
  std::map<std::map<std::string, std::string>, std::vector<const PromSample*>> buckets;
  std::map<std::map<std::string, std::string>, double> counts;
  std::set<std::map<std::string, std::string>> sums;
  for (const auto& sample : family.samples) {
    auto labels = sample.labels;
    if (sample.name == family.name + "_bucket") {
      if (!labels.count("le")) return family.name + ": bucket without le";
      labels.erase("le");
      buckets[labels].push_back(&sample);
    } else if (sample.name == family.name + "_count") {
      counts[labels] = sample.value;
    } else if (sample.name == family.name + "_sum") {
      sums.insert(labels);
    } else {
      return family.name + ": unexpected sample " + sample.name;
    }
  }
  for (const auto& [labels, series] : buckets) {
    double previous_le = -INFINITY, previous_count = 0;
    for (const PromSample* bucket : series) {
      double le = 0;
      if (!ParseValue(bucket->labels.at("le"), le)) return family.name + ": invalid le";
      if (!(le > previous_le)) return family.name + ": le values not increasing";
      if (bucket->value < previous_count) return family.name + ": buckets not cumulative";
      previous_le = le;
      previous_count = bucket->value;
    }
    if (!std::isinf(previous_le)) return family.name + ": last bucket is not le=\"+Inf\"";
    if (!counts.count(labels)) return family.name + ": no _count for a bucket series";
    if (counts[labels] != previous_count) return family.name + ": +Inf bucket differs from _count";
    if (!sums.count(labels)) return family.name + ": no _sum for a bucket series";
  }
  return "";
}

}  // namespace

std::string ParsePrometheus(const std::string& text, std::map<std::string, PromFamily>& families) {
  if (!text.empty() && text.back() != '\n') return "text does not end with a newline";
  std::set<std::string> closed;  // families whose samples ended
  std::string current;
  std::set<std::pair<std::string, std::map<std::string, std::string>>> seen;
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::string rest = line.substr(1);
      if (rest.rfind(" HELP ", 0) == 0 || rest.rfind(" TYPE ", 0) == 0) {
        const bool help = rest[1] == 'H';
        rest = rest.substr(6);
        const size_t space = rest.find(' ');
        const std::string name = rest.substr(0, space);
        const std::string value = space == std::string::npos ? "" : rest.substr(space + 1);
        if (!ValidName(name, true)) return where + "invalid metric name in comment";
        if (closed.count(name) || (current == name && !families[name].samples.empty())) {
          return where + (help ? "HELP" : "TYPE") + " for " + name + " after its samples";
        }
        if (current != name && !current.empty()) closed.insert(current);
        current = name;
        PromFamily& family = families[name];
        family.name = name;
        if (help) {
          if (!family.help.empty()) return where + "second HELP for " + name;
          family.help = value;
        } else {
          static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary", "untyped"};
          if (!family.type.empty()) return where + "second TYPE for " + name;
          if (!kTypes.count(value)) return where + "unknown type '" + value + "'";
          family.type = value;
        }
      }
      continue;
    }
    PromSample sample;
    if (std::string problem = ParseSample(line, sample); !problem.empty()) return where + problem;
    const std::string family_name = FamilyOf(sample.name, families);
    if (family_name.empty() || families[family_name].type.empty()) return where + sample.name + " has no TYPE line";
    if (family_name != current) {
      if (closed.count(family_name)) return where + "samples of " + family_name + " are not contiguous";
      if (!current.empty()) closed.insert(current);
      current = family_name;
    }
    if (!seen.insert({sample.name, sample.labels}).second) return where + "duplicate sample " + sample.name;
    PromFamily& family = families[family_name];
    if ((family.type == "counter" || family.type == "gauge") && sample.name != family_name) {
      return where + sample.name + " does not belong to " + family.type + " " + family_name;
    }
    if (family.type == "counter" && sample.value < 0) return where + "negative counter";
    family.samples.push_back(sample);
  }
  for (const auto& [name, family] : families) {
    if (family.type == "histogram") {
      if (std::string problem = CheckHistogram(family); !problem.empty()) return problem;
    }
  }
  return "";
}

double SumSamples(const std::map<std::string, PromFamily>& families, const std::string& family,
                  const std::string& sample, const std::map<std::string, std::string>& match) {
  auto it = families.find(family);
  if (it == families.end()) return 0;
  double total = 0;
  for (const auto& s : it->second.samples) {
    if (s.name != sample) continue;
    bool ok = true;
    for (const auto& [key, value] : match) {
      auto label = s.labels.find(key);
      ok = ok && label != s.labels.end() && label->second == value;
    }
    if (ok) total += s.value;
  }
  return total;
}

std::string SplitBody(double a, double b, double c, const std::string& key) {
  Json body{{"dataframe_split", {{"columns", {"a", "b", "c"}}, {"data", {{a, b, c}}}}}};
  if (!key.empty()) body["request_key"] = key;
  return body.dump();
}

}  // namespace cairn::serve::testing
