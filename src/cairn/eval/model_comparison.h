// Champion/challenger comparison: two models scored on the same rows, metric
// deltas with a paired significance test each, and a verdict at alpha = 0.05.
//   accuracy         McNemar on the rows each model got right
//   roc_auc (binary) DeLong's test for correlated AUCs
//   everything else  a paired bootstrap (1000 resamples, seeded) of the difference
// Differences read B - A; a verdict says whether B is better, worse or not
// significantly different, taking the metric's direction into account.
#pragma once

#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/eval/evaluation.h"
#include "cairn/stats/comparison_tests.h"

namespace cairn::eval {

struct MetricComparison {
  std::string metric;
  double a = 0, b = 0, difference = 0;
  std::string test;  // "mcnemar", "delong", "bootstrap"
  double p_value = 1;
  double low = 0, high = 0;  // bootstrap interval of the difference; equal to it for the others
  stats::Verdict verdict = stats::Verdict::kNoSignificantDifference;
};

struct ModelComparison {
  std::string model_a, model_b, data;
  ModelTask task = ModelTask::kRegression;
  size_t rows = 0;
  std::vector<MetricComparison> metrics;
  // The metric the overall verdict follows: roc_auc (binary), accuracy
  // (multiclass) or rmse (regression).
  std::string primary_metric;
  stats::Verdict verdict = stats::Verdict::kNoSignificantDifference;

  const MetricComparison& primary() const;
};

struct ComparisonOptions {
  std::string target;
  int resamples = 1000;
  uint64_t seed = 0;
};

ModelComparison CompareModels(artifacts::Workspace& workspace, const std::string& ref_a, const std::string& ref_b,
                              const std::string& data_ref, const ComparisonOptions& options = {});
ModelComparison CompareLoaded(const ScoringModel& a, const ScoringModel& b, const EvaluationData& data,
                              const ComparisonOptions& options = {});

Json ToJson(const ModelComparison& comparison);

}  // namespace cairn::eval
