// Bar charts: histograms with several distributions overlaid on the same bins
// (reference against current data, for drift) and categorical bars with one
// bar per series side by side in each category.
#pragma once

#include <string>
#include <vector>

#include "cairn/report/chart.h"

namespace cairn::report {

struct BarSeries {
  std::string name;
  std::vector<double> values;  // one per bin or category; non-finite values count as 0
  std::string color;           // from the palette by position when empty
};

struct Histogram {
  ChartOptions options;
  std::vector<double> edges;  // bins [edges[i], edges[i+1]); one more than each series' values
  std::vector<BarSeries> series;
  // Shows each series as shares of its own total, so samples of different sizes compare.
  bool normalize = true;
};

struct BarChart {
  ChartOptions options;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  bool normalize = false;   // shares of each series' total instead of raw values
  bool horizontal = false;  // categories down the left side, for long names or many categories
};

// kInvalidInput naming the chart when a series' length does not match the bins
// or categories; edges that are not finite and increasing draw "no data".
Svg RenderSvg(const Histogram& chart);
Svg RenderSvg(const BarChart& chart);

}  // namespace cairn::report
