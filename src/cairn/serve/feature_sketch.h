// Per-window summaries of the features a model saw in production, the raw
// material of drift monitoring: for numbers a weighted count, missing count,
// sum, sum of squares, min, max and a bounded reservoir sample; for text the
// most frequent values. Personal-data features keep only their counts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "cairn/core/json.h"
#include "cairn/stats/sketches.h"

namespace cairn::serve {

class FeatureSketch {
 public:
  static constexpr size_t kMaxCategories = 32;

  FeatureSketch(bool personal_data, size_t reservoir_capacity, uint64_t seed);

  // NaN counts as missing. `weight` > 1 for records kept one in N under load.
  void AddNumber(double value, double weight);
  // "" counts as missing.
  void AddText(std::string_view value, double weight);

  // {"kind": "numeric", "count", "missing", "mean", "std", "min", "max", "sum",
  //  "sum_squares", "sample": [...]} or {"kind": "text", "count", "missing",
  //  "top": {"value": count, ...}, "other"}; personal data: {"kind": "hashed", "count", "missing"}.
  Json ToJson() const;

 private:
  bool personal_data_;
  bool text_ = false;
  double count_ = 0;
  double missing_ = 0;
  double sum_ = 0;
  double sum_squares_ = 0;
  double min_ = 0;
  double max_ = 0;
  bool has_value_ = false;
  stats::ReservoirSample sample_;
  std::map<std::string, double> categories_;
  double other_ = 0;
};

}  // namespace cairn::serve
