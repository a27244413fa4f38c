#include "cairn/learn/test_metrics.h"

#include "cairn/core/error.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/ranking_metrics.h"
#include "cairn/stats/regression_metrics.h"

namespace cairn::learn {
namespace {

// Metric keys allow [A-Za-z0-9_.-/ ]; class names may hold anything.
std::string KeySafe(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    out += allowed ? c : '_';
  }
  return out.empty() ? "_" : out;
}

void AddIfDefined(NamedMetrics& out, const std::string& name, const std::function<double()>& compute) {
  try {
    out.emplace_back(name, compute());
  } catch (const Error&) {
    // Undefined on this data (a single class present): left out rather than recorded as a guess.
  }
}

}  // namespace

NamedMetrics ComputeTestMetrics(Task task, std::span<const double> y_true, const Predictions& predictions,
                                const std::vector<std::string>& class_names) {
  NamedMetrics out;
  if (task == Task::kRegression) {
    std::vector<double> predicted(predictions.values.begin(), predictions.values.end());
    stats::RegressionMetrics m = stats::ComputeRegressionMetrics(y_true, predicted);
    out = {{"rmse", m.rmse}, {"mae", m.mae}, {"r2", m.r2}, {"mape", m.mape}, {"median_absolute_error", m.median_absolute_error}};
    return out;
  }
  size_t k = predictions.width;
  std::vector<int> truth(y_true.begin(), y_true.end());
  std::vector<int> predicted = stats::ArgMaxLabels(predictions.values, k);
  std::vector<int> labels(k);
  for (size_t c = 0; c < k; ++c) labels[c] = static_cast<int>(c);
  out.emplace_back("accuracy", stats::Accuracy(truth, predicted));
  out.emplace_back("balanced_accuracy", stats::BalancedAccuracy(truth, predicted));
  stats::PrecisionRecallF1 prf = stats::ComputePrecisionRecallF1(truth, predicted, labels);
  out.emplace_back("precision_macro", prf.macro_precision);
  out.emplace_back("recall_macro", prf.macro_recall);
  out.emplace_back("f1_macro", prf.macro_f1);
  for (const auto& scores : prf.per_class) {
    std::string name = KeySafe(class_names[static_cast<size_t>(scores.label)]);
    out.emplace_back("precision." + name, scores.precision);
    out.emplace_back("recall." + name, scores.recall);
    out.emplace_back("f1." + name, scores.f1);
  }
  if (task == Task::kBinary) {
    std::vector<double> positive;
    for (size_t i = 0; i < predictions.rows; ++i) positive.push_back(predictions.at(i, 1));
    AddIfDefined(out, "roc_auc", [&] { return stats::RocAuc(truth, positive); });
    AddIfDefined(out, "pr_auc", [&] { return stats::AveragePrecision(truth, positive); });
    AddIfDefined(out, "log_loss", [&] { return stats::BinaryLogLoss(truth, positive); });
    AddIfDefined(out, "brier", [&] { return stats::BrierScore(truth, positive); });
  } else {
    AddIfDefined(out, "roc_auc", [&] { return stats::RocAucOvr(truth, predictions.values, k); });
    AddIfDefined(out, "pr_auc", [&] { return stats::AveragePrecisionOvr(truth, predictions.values, k); });
    AddIfDefined(out, "log_loss", [&] { return stats::LogLoss(truth, predictions.values, k); });
    AddIfDefined(out, "brier", [&] { return stats::MulticlassBrierScore(truth, predictions.values, k); });
  }
  return out;
}

Json ConfusionMatrixJson(Task task, std::span<const double> y_true, const Predictions& predictions,
                         const std::vector<std::string>& class_names) {
  if (task == Task::kRegression) return nullptr;
  size_t k = predictions.width;
  std::vector<int> truth(y_true.begin(), y_true.end());
  std::vector<int> predicted = stats::ArgMaxLabels(predictions.values, k);
  std::vector<int> labels(k);
  for (size_t c = 0; c < k; ++c) labels[c] = static_cast<int>(c);
  stats::ConfusionMatrix matrix = stats::ComputeConfusionMatrix(truth, predicted, labels);
  Json counts = Json::array();
  for (size_t t = 0; t < k; ++t) {
    Json row = Json::array();
    for (size_t p = 0; p < k; ++p) row.push_back(matrix.at(t, p));
    counts.push_back(row);
  }
  return {{"labels", class_names}, {"counts", counts}};
}

std::string DefaultSearchMetric(Task task) {
  switch (task) {
    case Task::kBinary:
      return "roc_auc";
    case Task::kMulticlass:
      return "log_loss";
    case Task::kRegression:
      return "rmse";
  }
  return "rmse";
}

bool HigherIsBetter(const std::string& metric) {
  static const std::vector<std::string> kLowerIsBetter = {"rmse", "mae", "mape", "median_absolute_error", "log_loss", "brier"};
  return std::find(kLowerIsBetter.begin(), kLowerIsBetter.end(), metric) == kLowerIsBetter.end();
}

}  // namespace cairn::learn
