#include "cairn/store/run_field.h"

#include <array>
#include <charconv>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::store {
namespace {

constexpr std::array<std::string_view, 7> kAttributes = {"status",     "name",     "run_id",       "start_time",
                                                         "end_time",   "experiment", "parent_run_id"};

std::optional<RunField::Group> GroupOf(std::string_view word) {
  const std::string lower = ToLower(word);
  if (lower == "metrics" || lower == "metric") return RunField::Group::kMetric;
  if (lower == "params" || lower == "param") return RunField::Group::kParam;
  if (lower == "tags" || lower == "tag") return RunField::Group::kTag;
  if (lower == "attributes" || lower == "attribute" || lower == "attr") return RunField::Group::kAttribute;
  return std::nullopt;
}

std::string AttributeList() {
  std::vector<std::string> names(kAttributes.begin(), kAttributes.end());
  return Join(names, ", ");
}

// Text that reads back as a number, for params and tags holding numbers.
std::optional<double> ParseNumber(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return std::nullopt;
  double value = 0;
  const char* begin = trimmed.data();
  if (*begin == '+') ++begin;
  const auto [end, ec] = std::from_chars(begin, trimmed.data() + trimmed.size(), value);
  if (ec != std::errc() || end != trimmed.data() + trimmed.size()) return std::nullopt;
  return value;
}

FieldValue TextValue(std::string text) {
  FieldValue value;
  if (const auto number = ParseNumber(text)) {
    value.numeric = true;
    value.number = *number;
  }
  value.text = std::move(text);
  return value;
}

FieldValue NumberValue(double number) {
  FieldValue value;
  value.numeric = true;
  value.number = number;
  value.text = FormatDouble(number);
  return value;
}

std::optional<FieldValue> FromMap(const std::map<std::string, std::string>& values, const std::string& key) {
  const auto found = values.find(key);
  if (found == values.end()) return std::nullopt;
  return TextValue(found->second);
}

}  // namespace

bool IsRunAttribute(std::string_view name) {
  for (std::string_view attribute : kAttributes) {
    if (attribute == name) return true;
  }
  return false;
}

std::string RunField::ToString() const {
  const bool plain = key.find_first_of(" `") == std::string::npos;
  const std::string quoted = plain ? key : "`" + key + "`";
  switch (group) {
    case Group::kMetric:
      return "metrics." + quoted;
    case Group::kParam:
      return "params." + quoted;
    case Group::kTag:
      return "tags." + quoted;
    case Group::kAttribute:
      return key;
  }
  return key;
}

bool RunField::is_time() const {
  return group == Group::kAttribute && (key == "start_time" || key == "end_time");
}

std::optional<FieldValue> FieldValueOf(const Run& run, const RunField& field) {
  switch (field.group) {
    case RunField::Group::kMetric: {
      const auto found = run.metrics.find(field.key);
      if (found == run.metrics.end()) return std::nullopt;
      return NumberValue(found->second.value);
    }
    case RunField::Group::kParam:
      return FromMap(run.params, field.key);
    case RunField::Group::kTag:
      return FromMap(run.tags, field.key);
    case RunField::Group::kAttribute:
      break;
  }
  const std::string& key = field.key;
  if (key == "status") return TextValue(std::string(RunStatusName(run.status)));
  if (key == "name") return TextValue(run.name);
  if (key == "run_id") return TextValue(run.id);
  if (key == "experiment") return TextValue(run.experiment_name);
  if (key == "start_time") return NumberValue(static_cast<double>(run.start_time));
  if (key == "end_time") {
    if (!run.end_time) return std::nullopt;
    return NumberValue(static_cast<double>(*run.end_time));
  }
  if (key == "parent_run_id") {
    if (!run.parent_run_id) return std::nullopt;
    return TextValue(*run.parent_run_id);
  }
  return std::nullopt;
}

std::optional<RunField> TryParseRunField(std::string_view text, std::string* error) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    const std::string lower = ToLower(text);
    if (IsRunAttribute(lower)) return RunField{RunField::Group::kAttribute, lower};
    std::vector<std::string> names(kAttributes.begin(), kAttributes.end());
    const std::string hint = ClosestMatch(lower, names);
    *error = "unknown field '" + std::string(text) + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
             (hint.empty() ? "; write metrics.KEY, params.KEY, tags.KEY or one of " + AttributeList() : "");
    return std::nullopt;
  }
  const std::string_view group_word = text.substr(0, dot);
  std::string_view key = text.substr(dot + 1);
  const auto group = GroupOf(group_word);
  if (!group) {
    const std::string hint = ClosestMatch(ToLower(group_word), {"metrics", "params", "tags", "attributes"});
    *error = "unknown field group '" + std::string(group_word) + "'" +
             (hint.empty() ? "; expected metrics, params, tags or attributes" : "; did you mean '" + hint + "'?");
    return std::nullopt;
  }
  if (key.size() >= 2 && key.front() == '`' && key.back() == '`') key = key.substr(1, key.size() - 2);
  if (key.empty()) {
    // Built with append: GCC 12 warns falsely (-Wrestrict) on the operator+ chain here.
    *error = std::string("'").append(text).append("' names no key after the dot");
    return std::nullopt;
  }
  if (*group == RunField::Group::kAttribute) {
    const std::string lower = ToLower(key);
    if (!IsRunAttribute(lower)) {
      *error = "unknown attribute '" + std::string(key) + "'; expected one of " + AttributeList();
      return std::nullopt;
    }
    return RunField{*group, lower};
  }
  return RunField{*group, std::string(key)};
}

RunField ParseRunField(std::string_view text, std::string_view context) {
  std::string error;
  auto field = TryParseRunField(Trim(text), &error);
  if (!field) ThrowInvalidInput(std::string(context) + " '" + std::string(text) + "': " + error);
  return *field;
}

}  // namespace cairn::store
