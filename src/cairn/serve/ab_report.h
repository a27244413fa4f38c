// `cairn models ab-report NAME`: compares the variants a server ran for one
// model on the predictions that received feedback. A challenger (A/B split)
// saw different requests from the champion, so its accuracy is compared with
// a two-proportion z-test; a shadow answered the same requests, so the
// comparison is paired (McNemar). Differences are challenger (or shadow)
// minus champion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/prediction_log_store.h"

namespace cairn::serve {

struct VariantSummary {
  std::string variant;
  std::vector<int64_t> versions;  // model versions seen, ascending
  int64_t requests = 0;           // requests with feedback
  int64_t rows = 0;               // labelled rows
  int64_t correct = 0;
  double accuracy = 0.0;
};

struct VariantComparison {
  std::string baseline = "champion";
  std::string candidate;  // "challenger" or "shadow"
  std::string test;       // "two_proportion_z" or "mcnemar"
  int64_t rows = 0;       // rows compared (paired rows for McNemar)
  double difference = 0.0;
  double statistic = 0.0;
  double p_value = 1.0;
  std::string verdict;  // "better", "no_significant_difference", "worse"
};

struct AbReport {
  std::string model;
  std::vector<VariantSummary> variants;
  std::vector<VariantComparison> comparisons;
  int64_t skipped_rows = 0;  // feedback whose row count did not match the prediction's
};

// Two-sided two-proportion z-test with the pooled proportion; p = 1 when a
// side has no rows or the pooled variance is zero.
struct TwoProportionResult {
  double difference = 0.0;  // p_b - p_a
  double z = 0.0;
  double p_value = 1.0;
};
TwoProportionResult TwoProportionZTest(int64_t correct_a, int64_t rows_a, int64_t correct_b, int64_t rows_b);

// kNotFound when nothing of the model was logged with feedback.
AbReport BuildAbReport(store::PredictionLogStore& log, const std::string& model_name, double alpha = 0.05);
Json ToJson(const AbReport& report);

}  // namespace cairn::serve
