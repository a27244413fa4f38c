// Regression metrics with scikit-learn 1.2's definitions, so that cairn's
// numbers agree with sklearn.metrics on the same predictions.
#pragma once

#include <span>

namespace cairn::stats {

double RootMeanSquaredError(std::span<const double> y_true, std::span<const double> y_pred);
double MeanAbsoluteError(std::span<const double> y_true, std::span<const double> y_pred);

// 1 - SS_res / SS_tot; when y_true is constant: 1 for a perfect fit, else 0
// (scikit-learn's force_finite=True).
double R2Score(std::span<const double> y_true, std::span<const double> y_pred);

// mean(|y_pred - y_true| / max(|y_true|, eps)) with eps the double machine
// epsilon, as a fraction (not percent), like mean_absolute_percentage_error.
double MeanAbsolutePercentageError(std::span<const double> y_true, std::span<const double> y_pred);

double MedianAbsoluteError(std::span<const double> y_true, std::span<const double> y_pred);
double MaxError(std::span<const double> y_true, std::span<const double> y_pred);

struct RegressionMetrics {
  double rmse = 0.0;
  double mae = 0.0;
  double r2 = 0.0;
  double mape = 0.0;
  double median_absolute_error = 0.0;
  double max_error = 0.0;
};
RegressionMetrics ComputeRegressionMetrics(std::span<const double> y_true, std::span<const double> y_pred);

}  // namespace cairn::stats
