// The metrics a training run records for its test split (and a search for
// each fold), computed by cairn::stats with scikit-learn's definitions.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/learn/train_config.h"
#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

using NamedMetrics = std::vector<std::pair<std::string, double>>;

// Classification: accuracy, balanced_accuracy, precision/recall/f1 macro and
// per class ("f1.<class>"), roc_auc (one-vs-rest macro for multiclass), pr_auc,
// log_loss, brier. Regression: rmse, mae, r2, mape, median_absolute_error.
// A metric the data cannot define (ROC AUC with one class present) is left out.
NamedMetrics ComputeTestMetrics(Task task, std::span<const double> y_true, const Predictions& predictions,
                                const std::vector<std::string>& class_names);

// {"labels": [...], "counts": [[...]]} for classification; null for regression.
Json ConfusionMatrixJson(Task task, std::span<const double> y_true, const Predictions& predictions,
                         const std::vector<std::string>& class_names);

// The search metric when the config names none, and whether larger is better.
std::string DefaultSearchMetric(Task task);
bool HigherIsBetter(const std::string& metric);

}  // namespace cairn::learn
