// Computes a DriftReport from a reference and current data. Current data is an
// abstraction: a data::Table (model outputs as extra columns when known) plus
// optional predictions and feedback labels, read today from a dataset or a
// file and later from the prediction log; either way it is first reduced to
// per-column summaries, exactly (everything in memory) or streamed in chunks
// in bounded memory.
//
// Defaults (see drift_methods.h for the test table and binning): dataset drift
// when the share of drifted features reaches 0.5; PSI drift at 0.1; model
// outputs are tested like features but do not count towards the share;
// features missing from the current data are reported and not counted.
//
// Streaming memory: per numeric column one QuantileSketch (capacity 2048, about
// 16 KB per level, ~14 levels at 10^7 rows), a reservoir of
// kStreamingSampleSize values (800 KB) and at most kMaxTrackedValues counted
// values; per categorical column its category counts. 20 columns stay under
// 25 MB whatever the row count. The error bounds are in drift_methods.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cairn/data/table.h"
#include "cairn/monitor/drift_report.h"
#include "cairn/stats/drift_tests.h"
#include "cairn/stats/reference_data.h"

namespace cairn::monitor {

// Uniform sample kept per numeric column when current data is streamed: KS and
// chi-square then run on this many current values.
inline constexpr std::size_t kStreamingSampleSize = 100000;

struct FeatureOverride {
  std::optional<std::string> method;  // one of DriftMethods()
  std::optional<double> threshold;
};

struct DriftOptions {
  double drift_share = 0.5;
  double psi_threshold = stats::kPsiThreshold;
  std::map<std::string, FeatureOverride> features;
};

struct CurrentData {
  data::Table table;
  std::string source;  // "credit@2", "traffic.csv", "log"
  std::optional<int64_t> window_from;
  std::optional<int64_t> window_to;
  // Per row of `table` when known: the model's score (probability of the
  // positive class, or the regression value) and the feedback label (NaN
  // where none arrived yet). Empty when unknown.
  std::vector<double> predictions;
  std::vector<double> labels;
};

// Summaries of current data for the reference's columns, fed chunk by chunk.
class CurrentSummarizer {
 public:
  // `sample_size` 0 keeps every value (exact results, for data in memory).
  CurrentSummarizer(const stats::ReferenceData& reference, std::size_t sample_size = kStreamingSampleSize,
                    std::uint64_t seed = 7);
  // Columns are matched by name; columns the reference does not monitor are ignored.
  void Add(const data::Table& chunk);
  stats::TableSummary Finish() const;

 private:
  struct Slot {
    const stats::FeatureSummary* reference;
    stats::FeatureSummaryBuilder builder;
    bool seen = false;
  };
  std::vector<Slot> slots_;
  std::uint64_t rows_ = 0;
};

// Every value kept: the statistics equal the reference implementations'.
stats::TableSummary SummarizeCurrent(const stats::ReferenceData& reference, const data::Table& table);

DriftReport ComputeDrift(const stats::ReferenceData& reference, const stats::TableSummary& current,
                         const DriftOptions& options, const std::string& current_source = "");
// Summarizes exactly, then computes; performance is left to EvaluatePerformance.
DriftReport ComputeDrift(const stats::ReferenceData& reference, const CurrentData& current,
                         const DriftOptions& options);

// The metric on rows with a label, against `baseline` with `tolerance`;
// nullopt when no row has both a prediction and a label. Classification
// metrics read predictions as positive-class probabilities and labels as 0/1.
std::optional<PerformanceResult> EvaluatePerformance(const std::string& metric, double baseline, double tolerance,
                                                     const std::vector<double>& predictions,
                                                     const std::vector<double>& labels);

}  // namespace cairn::monitor
