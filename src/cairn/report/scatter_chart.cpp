#include "cairn/report/scatter_chart.h"

#include <algorithm>
#include <cmath>

#include "cairn/report/plot_frame.h"

namespace cairn::report {

Svg RenderSvg(const ScatterChart& chart) {
  SvgWriter svg(chart.options);
  std::vector<LegendEntry> legend;
  size_t finite = 0;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& series = chart.series[i];
    legend.push_back({series.name, SeriesColor(series, i), LegendEntry::Style::kMarker});
    const size_t n = std::min(series.x.size(), series.y.size());
    for (size_t k = 0; k < n; ++k) finite += std::isfinite(series.x[k]) && std::isfinite(series.y[k]);
  }
  for (const auto& reference : chart.references) {
    if (!reference.label.empty()) legend.push_back({reference.label, kReferenceColor, LegendEntry::Style::kDashed});
  }
  const PlotFrame frame(svg, chart.options, SeriesTicks(chart.series, true, chart.options.x_range, chart.options.x_format),
                        SeriesTicks(chart.series, false, chart.options.y_range, chart.options.y_format), legend);
  if (finite == 0) svg.EmptyNote((frame.left() + frame.right()) / 2, (frame.top() + frame.bottom()) / 2);

  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& series = chart.series[i];
    const std::string color = SeriesColor(series, i);
    const size_t n = std::min(series.x.size(), series.y.size());
    const size_t stride = chart.max_points > 0 && n > chart.max_points ? (n + chart.max_points - 1) / chart.max_points : 1;
    svg.BeginGroup(series.name + (stride > 1 ? " (every " + std::to_string(stride) + "th point)" : ""));
    for (size_t k = 0; k < n; k += stride) {
      if (!std::isfinite(series.x[k]) || !std::isfinite(series.y[k])) continue;
      svg.Circle(frame.X(series.x[k]), frame.Y(series.y[k]), chart.radius, color);
    }
    svg.EndGroup();
  }
  // References on top of the cloud, where they stay visible.
  for (const auto& reference : chart.references) frame.DrawReference(svg, reference);
  return svg.Finish();
}

ScatterChart PredictedVsActualChart(const std::vector<double>& actual, const std::vector<double>& predicted,
                                    std::string title) {
  ScatterChart chart;
  chart.options.title = std::move(title);
  chart.options.description = "Each dot is one row; dots on the dashed diagonal are predicted exactly.";
  chart.options.x_label = "Actual";
  chart.options.y_label = "Predicted";
  chart.options.width = 420;
  chart.options.height = 420;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* list : {&actual, &predicted}) {
    for (double value : *list) {
      if (!std::isfinite(value)) continue;
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
  if (lo <= hi) {
    const Ticks ticks = NiceTicks(lo, hi);
    chart.options.x_range = AxisRange{ticks.min, ticks.max};
    chart.options.y_range = AxisRange{ticks.min, ticks.max};
  }
  chart.series.push_back({"rows", actual, predicted, ""});
  chart.references.push_back({ReferenceLine::Kind::kDiagonal, 0, "exact"});
  return chart;
}

ScatterChart ResidualChart(const std::vector<double>& actual, const std::vector<double>& predicted, std::string title) {
  ScatterChart chart;
  chart.options.title = std::move(title);
  chart.options.description = "Actual minus predicted for each row; dots above zero were under-predicted.";
  chart.options.x_label = "Predicted";
  chart.options.y_label = "Residual";
  const size_t n = std::min(actual.size(), predicted.size());
  Series series{"rows", {}, {}, ""};
  series.x.assign(predicted.begin(), predicted.begin() + static_cast<std::ptrdiff_t>(n));
  double largest = 0;
  for (size_t i = 0; i < n; ++i) {
    series.y.push_back(actual[i] - predicted[i]);
    if (std::isfinite(series.y.back())) largest = std::max(largest, std::fabs(series.y.back()));
  }
  // Symmetric around zero, so the zero line is always in view and bias shows as asymmetry.
  if (largest > 0) chart.options.y_range = AxisRange{-largest, largest};
  chart.series.push_back(std::move(series));
  chart.references.push_back({ReferenceLine::Kind::kHorizontal, 0, ""});
  return chart;
}

}  // namespace cairn::report
