// Hyper-parameter search: the candidate parameter sets of a grid or random
// search and the metrics it may optimise; each candidate is scored by
// cross-validation (cross_validation.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/learn/train_config.h"

namespace cairn::learn {

// Grid: the cartesian product in the order the space lists parameters and
// values. Random: `trials` draws from a stream seeded with `seed`.
std::vector<Json> SearchCandidates(const SearchConfig& search, uint64_t seed);

// `base` overlaid with `candidate`.
Json MergeParams(const Json& base, const Json& candidate);

// Metric names a search may optimise for a task.
std::vector<std::string> SearchableMetrics(Task task);

}  // namespace cairn::learn
