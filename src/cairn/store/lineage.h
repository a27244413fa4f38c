// Lineage: directed edges between things cairn knows (datasets, runs, models...).
#pragma once

#include <cstdint>
#include <string>

#include "cairn/core/json.h"

namespace cairn::store {

// Example: {"dataset", "credit@2", "run", "<run id>", "input"}.
struct LineageEdge {
  std::string from_kind;
  std::string from_id;
  std::string to_kind;
  std::string to_id;
  std::string kind;  // "input", "output", "derived_from", ...
  int64_t created_at = 0;
};

Json ToJson(const LineageEdge& edge);

}  // namespace cairn::store
