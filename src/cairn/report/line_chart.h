// Line charts: several series on numeric axes with optional markers and dashed
// reference lines, plus ready-made ROC, precision-recall, calibration and trend charts.
#pragma once

#include <vector>

#include "cairn/report/chart.h"

namespace cairn::report {

struct LineChart {
  ChartOptions options;
  std::vector<Series> series;
  std::vector<ReferenceLine> references;
  bool markers = false;  // a dot at every point, for sparse series such as calibration bins
};

Svg RenderSvg(const LineChart& chart);

// ROC curves in [0, 1] x [0, 1] with the chance diagonal; one series per model or class.
LineChart RocChart(std::vector<Series> curves, std::string title = "ROC curve");
// Precision against recall in [0, 1]; `baseline` (the positive rate) is drawn when given.
LineChart PrecisionRecallChart(std::vector<Series> curves, std::optional<double> baseline = std::nullopt,
                               std::string title = "Precision-recall curve");
// Observed positive rate against mean predicted probability per bin, with the
// diagonal of perfect calibration and a marker per bin.
LineChart CalibrationChart(std::vector<Series> curves, std::string title = "Calibration");
// Values over time (x in UTC microseconds), with markers, e.g. a statistic per monitoring window.
LineChart TrendChart(std::vector<Series> series, std::string title, std::string y_label);

}  // namespace cairn::report
