// Sort keys for run lists: "-metrics.roc_auc" (descending), "params.x", "start_time".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cairn/store/run.h"
#include "cairn/store/run_field.h"

namespace cairn::store {

struct RunSortKey {
  RunField field;
  bool descending = false;
};

// One key: an optional '-' (descending) or '+' prefix and a field name.
RunSortKey ParseRunSortKey(std::string_view text);
// Each entry may itself hold several keys separated by commas.
std::vector<RunSortKey> ParseRunSortKeys(const std::vector<std::string>& texts);

// Sorts by the keys in turn; runs lacking a key's value (or holding NaN) come last in either
// direction; ties end newest first, then by id. No keys: newest first.
void SortRuns(std::vector<Run>& runs, const std::vector<RunSortKey>& keys);

}  // namespace cairn::store
