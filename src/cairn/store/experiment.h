// An experiment: a named group of runs.
#pragma once

#include <cstdint>
#include <string>

#include "cairn/core/json.h"

namespace cairn::store {

struct Experiment {
  std::string id;
  std::string name;
  int64_t created_at = 0;  // UTC microseconds
};

// {"id","name","created_at" (ISO-8601)}
Json ToJson(const Experiment& experiment);

}  // namespace cairn::store
