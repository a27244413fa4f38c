// Every metric cairn records for a model's predictions, computed in one call:
// the same names and definitions for training runs, evaluations and comparisons.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "cairn/core/json.h"

namespace cairn::stats {

// Flat metric names, as logged on runs:
//   classification: accuracy, balanced_accuracy, precision_macro, recall_macro,
//     f1_macro, precision_weighted, recall_weighted, f1_weighted,
//     precision_<class>, recall_<class>, f1_<class>, roc_auc (binary; one-vs-rest
//     macro for multiclass), pr_auc (average precision; one-vs-rest macro for
//     multiclass), log_loss, brier (binary: on class 1; multiclass: Brier's sum
//     over classes)
//   regression: rmse, mae, r2, mape, median_absolute_error, max_error
struct MetricSuite {
  std::map<std::string, double> values;
  // Classification only: confusion counts [true][predicted] over class indices.
  std::vector<std::vector<std::int64_t>> confusion;
  std::vector<std::string> class_names;

  Json ToJson() const;
};

// `probabilities` is row-major [rows, num_classes]; `y_true` holds class indices.
// `class_names` names the classes in metric keys (index order); empty uses the indices.
MetricSuite ClassificationSuite(std::span<const int> y_true, std::span<const double> probabilities,
                                std::size_t num_classes, const std::vector<std::string>& class_names = {});

MetricSuite RegressionSuite(std::span<const double> y_true, std::span<const double> y_pred);

// Whether a larger value of the named metric is better (accuracy, roc_auc, r2...)
// or a smaller one (log_loss, rmse...). kInvalidInput for an unknown name.
bool HigherIsBetter(const std::string& metric);

}  // namespace cairn::stats
