// Scatter plots: predicted against actual values (with the y = x diagonal) and
// residuals against predictions (with the zero line).
#pragma once

#include <cstddef>
#include <vector>

#include "cairn/report/chart.h"

namespace cairn::report {

struct ScatterChart {
  ChartOptions options;
  std::vector<Series> series;
  std::vector<ReferenceLine> references;
  // Larger series are thinned to every k-th point so files stay small; the
  // choice depends only on the data, never on chance.
  size_t max_points = 2000;
  double radius = 2.5;
};

Svg RenderSvg(const ScatterChart& chart);

// Predicted (y) against actual (x), one axis range for both so the diagonal is y = x.
ScatterChart PredictedVsActualChart(const std::vector<double>& actual, const std::vector<double>& predicted,
                                    std::string title = "Predicted vs actual");
// Residual (actual - predicted) against predicted, with a line at zero.
ScatterChart ResidualChart(const std::vector<double>& actual, const std::vector<double>& predicted,
                           std::string title = "Residuals");

}  // namespace cairn::report
