#include "cairn/learn/trainers/model_params.h"

#include <cmath>

#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::learn {
namespace {

void CheckBounds(const ParamSpec& spec, double value, const std::string& field) {
  if (value < spec.min) ThrowInvalidInput(field + ": must be at least " + FormatDouble(spec.min) + ", got " + FormatDouble(value));
  if (value > spec.max) ThrowInvalidInput(field + ": must be at most " + FormatDouble(spec.max) + ", got " + FormatDouble(value));
}

}  // namespace

ModelParams ModelParams::Read(const std::vector<ParamSpec>& specs, const Json& given, const std::string& context) {
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  if (!given.is_null() && !given.is_object()) ThrowInvalidInput(context + ": expected a mapping of parameter: value");
  if (given.is_object()) {
    for (const auto& [key, value] : given.items()) {
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        std::string close = ClosestMatch(key, names);
        ThrowInvalidInput(context + "." + key + ": unknown parameter" +
                          (close.empty() ? "; expected one of " + Join(names, ", ") : "; did you mean '" + close + "'?"));
      }
    }
  }
  ModelParams params;
  for (const auto& spec : specs) {
    std::string field = context + "." + spec.name;
    Json value = given.is_object() && given.contains(spec.name) && !given.at(spec.name).is_null() ? given.at(spec.name) : spec.default_value;
    switch (spec.kind) {
      case ParamKind::kInteger:
        if (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>()) value = static_cast<int64_t>(value.get<double>());
        if (!value.is_number_integer()) ThrowInvalidInput(field + ": expected an integer, got " + value.dump());
        CheckBounds(spec, static_cast<double>(value.get<int64_t>()), field);
        break;
      case ParamKind::kNumber:
        if (!value.is_number()) ThrowInvalidInput(field + ": expected a number, got " + value.dump());
        value = value.get<double>();
        CheckBounds(spec, value.get<double>(), field);
        break;
      case ParamKind::kBool:
        if (!value.is_boolean()) ThrowInvalidInput(field + ": expected true or false, got " + value.dump());
        break;
      case ParamKind::kIntegerList:
        if (value.is_number_integer()) value = Json::array({value});
        if (!value.is_array() || value.empty()) ThrowInvalidInput(field + ": expected a list of integers, got " + value.dump());
        for (const auto& item : value) {
          if (!item.is_number_integer()) ThrowInvalidInput(field + ": expected a list of integers, got " + value.dump());
          CheckBounds(spec, static_cast<double>(item.get<int64_t>()), field);
        }
        break;
    }
    params.values_[spec.name] = value;
  }
  return params;
}

int64_t ModelParams::Integer(const std::string& name) const { return values_.at(name).get<int64_t>(); }
double ModelParams::Number(const std::string& name) const { return values_.at(name).get<double>(); }
bool ModelParams::Bool(const std::string& name) const { return values_.at(name).get<bool>(); }
std::vector<int64_t> ModelParams::IntegerList(const std::string& name) const { return values_.at(name).get<std::vector<int64_t>>(); }

}  // namespace cairn::learn
