// Side-by-side comparison of runs: every param and latest metric as a row,
// one value per run, with the rows whose values differ marked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/run.h"

namespace cairn::store {

struct RunComparisonRow {
  std::string field;  // "params.model", "metrics.roc_auc"
  std::vector<std::optional<std::string>> values;  // one per run; nullopt when the run lacks it
  bool differs = false;
  // For metrics: the index of the best run when `higher_is_better` can be told from the key.
  std::optional<size_t> best;
};

struct RunComparison {
  std::vector<std::string> run_ids;
  std::vector<std::string> run_names;
  std::vector<RunComparisonRow> rows;  // params first, then metrics, each by name
};

// Needs at least two runs (kInvalidInput otherwise).
RunComparison CompareRuns(const std::vector<Run>& runs);
Json ToJson(const RunComparison& comparison);

}  // namespace cairn::store
