// The run filter language of `cairn runs list --filter`:
//   metrics.roc_auc > 0.8 and params.model = 'gbdt'
// Terms: metrics.KEY, params.KEY, tags.KEY, attributes.NAME or a bare attribute
// (status, name, run_id, start_time, end_time, experiment, parent_run_id).
// Operators: = != < <= > >= and LIKE / NOT LIKE (% any text, _ one character).
// Values: numbers, or strings in single or double quotes. Terms combine with
// `and` and `or` (and binds tighter) and parentheses; keywords are case-insensitive.
// Metrics compare as numbers; params and tags as text unless both sides are
// numbers; start_time and end_time take microseconds or a date ('2026-01-31').
// A run that lacks the field never matches a comparison on it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cairn/store/run.h"

namespace cairn::store {

class RunFilter {
 public:
  // Matches every run.
  RunFilter();
  // Blank text matches every run. Syntax errors are kInvalidInput with the
  // 1-based character position and what was expected, e.g.
  // "filter: position 13: expected an operator after 'metrics.auc'".
  static RunFilter Parse(std::string_view text);

  bool Matches(const Run& run) const;
  bool matches_all() const { return root_ == nullptr; }

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace cairn::store
