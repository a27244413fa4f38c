#include "cairn/stats/regression_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cairn/stats/sorted_values.h"

namespace cairn::stats {
namespace {

void CheckPair(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckSample(y_true, "y_true");
  CheckSample(y_pred, "y_pred");
  CheckSameLength(y_true.size(), y_pred.size(), "y_true", "y_pred");
}

double Mean(std::span<const double> values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

double RootMeanSquaredError(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckPair(y_true, y_pred);
  double sum = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) sum += (y_true[i] - y_pred[i]) * (y_true[i] - y_pred[i]);
  return std::sqrt(sum / static_cast<double>(y_true.size()));
}

double MeanAbsoluteError(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckPair(y_true, y_pred);
  double sum = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) sum += std::fabs(y_pred[i] - y_true[i]);
  return sum / static_cast<double>(y_true.size());
}

double R2Score(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckPair(y_true, y_pred);
  const double mean = Mean(y_true);
  double residual = 0.0, total = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    residual += (y_true[i] - y_pred[i]) * (y_true[i] - y_pred[i]);
    total += (y_true[i] - mean) * (y_true[i] - mean);
  }
  if (total == 0.0) return residual == 0.0 ? 1.0 : 0.0;
  return 1.0 - residual / total;
}

double MeanAbsolutePercentageError(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckPair(y_true, y_pred);
  const double eps = std::numeric_limits<double>::epsilon();
  double sum = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i)
    sum += std::fabs(y_pred[i] - y_true[i]) / std::max(std::fabs(y_true[i]), eps);
  return sum / static_cast<double>(y_true.size());
}

double MedianAbsoluteError(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckPair(y_true, y_pred);
  std::vector<double> errors(y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) errors[i] = std::fabs(y_pred[i] - y_true[i]);
  const std::size_t n = errors.size();
  const std::size_t mid = n / 2;
  std::nth_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(mid), errors.end());
  const double upper = errors[mid];
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2.0;
}

double MaxError(std::span<const double> y_true, std::span<const double> y_pred) {
  CheckPair(y_true, y_pred);
  double largest = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) largest = std::max(largest, std::fabs(y_true[i] - y_pred[i]));
  return largest;
}

RegressionMetrics ComputeRegressionMetrics(std::span<const double> y_true, std::span<const double> y_pred) {
  RegressionMetrics metrics;
  metrics.rmse = RootMeanSquaredError(y_true, y_pred);
  metrics.mae = MeanAbsoluteError(y_true, y_pred);
  metrics.r2 = R2Score(y_true, y_pred);
  metrics.mape = MeanAbsolutePercentageError(y_true, y_pred);
  metrics.median_absolute_error = MedianAbsoluteError(y_true, y_pred);
  metrics.max_error = MaxError(y_true, y_pred);
  return metrics;
}

}  // namespace cairn::stats
