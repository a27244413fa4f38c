#include "cairn/stats/metric_suite.h"

#include <cmath>

#include "cairn/core/error.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/ranking_metrics.h"
#include "cairn/stats/regression_metrics.h"

namespace cairn::stats {

namespace {

// A metric key segment: class names may hold spaces or punctuation.
std::string KeyPart(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.';
    out += ok ? c : '_';
  }
  return out.empty() ? "_" : out;
}

bool TwoClassesPresent(std::span<const int> y_true) {
  for (int y : y_true) {
    if (y != y_true[0]) return true;
  }
  return false;
}

bool AllClassesPresent(std::span<const int> y_true, std::size_t num_classes) {
  std::vector<bool> seen(num_classes, false);
  for (int y : y_true) seen[static_cast<std::size_t>(y)] = true;
  for (bool s : seen) {
    if (!s) return false;
  }
  return true;
}

}  // namespace

Json MetricSuite::ToJson() const {
  Json json = Json::object();
  for (const auto& [name, value] : values) json[name] = std::isfinite(value) ? Json(value) : Json(nullptr);
  if (!confusion.empty()) {
    json["confusion_matrix"] = {{"classes", class_names}, {"counts", confusion}};
  }
  return json;
}

MetricSuite ClassificationSuite(std::span<const int> y_true, std::span<const double> probabilities,
                                std::size_t num_classes, const std::vector<std::string>& class_names) {
  if (y_true.empty()) ThrowInvalidInput("metrics: no rows to score");
  if (num_classes < 2) ThrowInvalidInput("metrics: a classifier needs at least two classes");
  CheckLabelsInRange(y_true, num_classes, "y_true");
  CheckProbabilityMatrix(probabilities, y_true.size(), num_classes);
  MetricSuite suite;
  for (std::size_t k = 0; k < num_classes; ++k) {
    suite.class_names.push_back(k < class_names.size() ? class_names[k] : std::to_string(k));
  }
  std::vector<int> y_pred = ArgMaxLabels(probabilities, num_classes);
  auto& v = suite.values;
  v["accuracy"] = Accuracy(y_true, y_pred);
  v["balanced_accuracy"] = BalancedAccuracy(y_true, y_pred);

  std::vector<int> all_labels(num_classes);
  for (std::size_t k = 0; k < num_classes; ++k) all_labels[k] = static_cast<int>(k);
  PrecisionRecallF1 prf = ComputePrecisionRecallF1(y_true, y_pred);
  v["precision_macro"] = prf.macro_precision;
  v["recall_macro"] = prf.macro_recall;
  v["f1_macro"] = prf.macro_f1;
  v["precision_weighted"] = prf.weighted_precision;
  v["recall_weighted"] = prf.weighted_recall;
  v["f1_weighted"] = prf.weighted_f1;
  for (const auto& c : prf.per_class) {
    std::string name = KeyPart(suite.class_names[static_cast<std::size_t>(c.label)]);
    v["precision_" + name] = c.precision;
    v["recall_" + name] = c.recall;
    v["f1_" + name] = c.f1;
  }

  if (num_classes == 2) {
    std::vector<double> positive(y_true.size());
    for (std::size_t i = 0; i < y_true.size(); ++i) positive[i] = probabilities[2 * i + 1];
    // ROC AUC and PR AUC are undefined when only one class is present.
    if (TwoClassesPresent(y_true)) {
      v["roc_auc"] = RocAuc(y_true, positive);
      v["pr_auc"] = AveragePrecision(y_true, positive);
    }
    v["log_loss"] = BinaryLogLoss(y_true, positive);
    v["brier"] = BrierScore(y_true, positive);
  } else {
    // One-vs-rest averages need every class among the true labels.
    if (AllClassesPresent(y_true, num_classes)) {
      v["roc_auc"] = RocAucOvr(y_true, probabilities, num_classes);
      v["pr_auc"] = AveragePrecisionOvr(y_true, probabilities, num_classes);
    }
    v["log_loss"] = LogLoss(y_true, probabilities, num_classes);
    v["brier"] = MulticlassBrierScore(y_true, probabilities, num_classes);
  }

  ConfusionMatrix matrix = ComputeConfusionMatrix(y_true, y_pred, all_labels);
  suite.confusion.assign(num_classes, std::vector<std::int64_t>(num_classes, 0));
  for (std::size_t t = 0; t < num_classes; ++t) {
    for (std::size_t p = 0; p < num_classes; ++p) suite.confusion[t][p] = matrix.at(t, p);
  }
  return suite;
}

MetricSuite RegressionSuite(std::span<const double> y_true, std::span<const double> y_pred) {
  if (y_true.empty()) ThrowInvalidInput("metrics: no rows to score");
  RegressionMetrics m = ComputeRegressionMetrics(y_true, y_pred);
  MetricSuite suite;
  suite.values = {{"rmse", m.rmse}, {"mae", m.mae}, {"r2", m.r2}, {"mape", m.mape},
                  {"median_absolute_error", m.median_absolute_error}, {"max_error", m.max_error}};
  return suite;
}

bool HigherIsBetter(const std::string& metric) {
  static const char* kHigher[] = {"accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc",
                                  "pr_auc", "r2"};
  static const char* kLower[] = {"log_loss", "brier", "rmse", "mae", "mape", "median_absolute_error", "max_error"};
  for (const char* name : kLower) {
    if (metric == name) return false;
  }
  for (const char* name : kHigher) {
    if (metric == name || metric.rfind(std::string(name) + "_", 0) == 0) return true;
  }
  ThrowInvalidInput("unknown metric '" + metric + "'");
}

}  // namespace cairn::stats
