// Model parameters as declared by each trainer (name, kind, default, bounds)
// and their validated values, with errors naming the config field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/core/json.h"

namespace cairn::learn {

enum class ParamKind { kInteger, kNumber, kBool, kIntegerList };

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::kNumber;
  Json default_value;
  double min = -1e300;  // inclusive bounds, for numbers and each list element
  double max = 1e300;
  std::string doc;
};

class ModelParams {
 public:
  // Checks `given` (a JSON object) against `specs` and fills in defaults.
  // `context` prefixes errors: "train.yaml: model.params" gives
  // "train.yaml: model.params.max_depth: must be at least 1".
  static ModelParams Read(const std::vector<ParamSpec>& specs, const Json& given, const std::string& context);

  int64_t Integer(const std::string& name) const;
  double Number(const std::string& name) const;
  bool Bool(const std::string& name) const;
  std::vector<int64_t> IntegerList(const std::string& name) const;
  // Every parameter with its value, defaults included, in declaration order.
  const Json& values() const { return values_; }

 private:
  Json values_ = Json::object();
};

}  // namespace cairn::learn
