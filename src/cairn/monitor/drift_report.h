// The result of one monitoring check as a plain value: per feature the test,
// statistic, threshold and verdict, PSI with its bins, missing-value and
// new-category rates; the dataset verdict; optional performance on labelled
// rows. Stored as JSON in the monitor_reports table and read back for trends.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/stats/drift_binning.h"

namespace cairn::monitor {

struct FeatureDrift {
  std::string feature;
  std::string column_type;    // data::ColumnTypeName
  std::string kind;           // "numeric" or "categorical"
  std::string role = "feature";  // "feature", or "output" for the model's predictions
  std::string method;
  std::string reason;  // why this method was chosen ("policy override" when the policy chose)
  double statistic = 0.0;
  double p_value = std::numeric_limits<double>::quiet_NaN();  // NaN for distances
  double threshold = 0.0;
  bool drift = false;
  double psi = 0.0;
  double psi_threshold = 0.0;
  bool psi_drift = false;
  stats::DriftBins bins;            // PSI bins, also drawn in the report
  std::vector<std::string> labels;  // per-value / per-category bin labels
  std::uint64_t reference_rows = 0;
  std::uint64_t current_rows = 0;
  double reference_missing_rate = 0.0;
  double current_missing_rate = 0.0;
  double new_category_rate = 0.0;           // share of current present values unseen in the reference
  std::vector<std::string> new_categories;  // up to 20, most frequent first
  std::string note;                         // set when the feature could not be tested
};

struct PerformanceResult {
  std::string metric;
  double baseline = 0.0;  // the model's holdout value
  double current = 0.0;
  double tolerance = 0.0;
  bool degraded = false;  // worse than baseline by more than the tolerance
  std::uint64_t rows = 0;
};

struct DriftReport {
  std::string reference_source;
  std::string current_source;
  std::uint64_t reference_rows = 0;
  std::uint64_t current_rows = 0;
  double drift_share_threshold = 0.5;
  std::size_t features_tested = 0;  // role "feature" with a verdict; outputs are not counted
  std::size_t features_drifted = 0;
  double drift_share = 0.0;
  bool dataset_drift = false;
  bool output_drift = false;
  std::vector<FeatureDrift> features;
  std::optional<PerformanceResult> performance;
  int64_t generated_at = 0;

  const FeatureDrift* Find(std::string_view feature) const;
  // Non-finite numbers are written as null (NaN) or "inf"/"-inf" and read back as such.
  Json ToJson() const;
  // kCorrupt naming `where` and the field when the document is not a drift report.
  static DriftReport FromJson(const Json& json, const std::string& where = "drift report");
};

}  // namespace cairn::monitor
