#include "cairn/report/line_chart.h"

#include <cmath>

#include "cairn/report/markup.h"
#include "cairn/report/plot_frame.h"

namespace cairn::report {
namespace {

using Runs = std::vector<std::vector<std::pair<double, double>>>;

// Splits a series into unbroken runs of finite points, in drawing coordinates.
Runs ToRuns(const Series& series, const PlotFrame& frame) {
  Runs runs(1);
  const size_t n = std::min(series.x.size(), series.y.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(series.x[i]) || !std::isfinite(series.y[i])) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    runs.back().emplace_back(frame.X(series.x[i]), frame.Y(series.y[i]));
  }
  return runs;
}

bool HasFinitePoint(const Series& series) {
  const size_t n = std::min(series.x.size(), series.y.size());
  for (size_t i = 0; i < n; ++i) {
    if (std::isfinite(series.x[i]) && std::isfinite(series.y[i])) return true;
  }
  return false;
}

}  // namespace

Svg RenderSvg(const LineChart& chart) {
  SvgWriter svg(chart.options);
  std::vector<LegendEntry> legend;
  bool any = false;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    legend.push_back({chart.series[i].name, SeriesColor(chart.series[i], i),
                      chart.markers ? LegendEntry::Style::kMarker : LegendEntry::Style::kLine});
    any = any || HasFinitePoint(chart.series[i]);
  }
  for (const auto& reference : chart.references) {
    if (!reference.label.empty()) legend.push_back({reference.label, kReferenceColor, LegendEntry::Style::kDashed});
  }
  const PlotFrame frame(svg, chart.options, SeriesTicks(chart.series, true, chart.options.x_range, chart.options.x_format),
                        SeriesTicks(chart.series, false, chart.options.y_range, chart.options.y_format), legend);
  for (const auto& reference : chart.references) frame.DrawReference(svg, reference);
  if (!any) svg.EmptyNote((frame.left() + frame.right()) / 2, (frame.top() + frame.bottom()) / 2);

  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& series = chart.series[i];
    const std::string color = SeriesColor(series, i);
    svg.BeginGroup(series.name);
    const Runs runs = ToRuns(series, frame);
    svg.Path(runs, color, 2.25);
    // A lone point draws no line; show it as a dot so it is not lost.
    for (const auto& run : runs) {
      if (chart.markers || run.size() != 1) continue;
      svg.Circle(run[0].first, run[0].second, 3, color);
    }
    if (chart.markers) {
      const size_t n = std::min(series.x.size(), series.y.size());
      for (size_t k = 0; k < n; ++k) {
        if (!std::isfinite(series.x[k]) || !std::isfinite(series.y[k])) continue;
        svg.Circle(frame.X(series.x[k]), frame.Y(series.y[k]), 3.5, color,
                   series.name + ": (" + FormatTrimmed(series.x[k], 4) + ", " + FormatTrimmed(series.y[k], 4) + ")");
      }
    }
    svg.EndGroup();
  }
  return svg.Finish();
}

LineChart RocChart(std::vector<Series> curves, std::string title) {
  LineChart chart;
  chart.options.title = std::move(title);
  chart.options.description = "True positive rate against false positive rate; the dashed diagonal is chance.";
  chart.options.x_label = "False positive rate";
  chart.options.y_label = "True positive rate";
  chart.options.x_range = AxisRange{0, 1};
  chart.options.y_range = AxisRange{0, 1};
  chart.options.width = 420;
  chart.options.height = 420;
  chart.series = std::move(curves);
  chart.references.push_back({ReferenceLine::Kind::kDiagonal, 0, "chance"});
  return chart;
}

LineChart PrecisionRecallChart(std::vector<Series> curves, std::optional<double> baseline, std::string title) {
  LineChart chart;
  chart.options.title = std::move(title);
  chart.options.description = "Precision against recall; the dashed line is the positive rate.";
  chart.options.x_label = "Recall";
  chart.options.y_label = "Precision";
  chart.options.x_range = AxisRange{0, 1};
  chart.options.y_range = AxisRange{0, 1};
  chart.options.width = 420;
  chart.options.height = 420;
  chart.series = std::move(curves);
  if (baseline) chart.references.push_back({ReferenceLine::Kind::kHorizontal, *baseline, "positive rate"});
  return chart;
}

LineChart CalibrationChart(std::vector<Series> curves, std::string title) {
  LineChart chart;
  chart.options.title = std::move(title);
  chart.options.description = "Observed positive rate against mean predicted probability per bin.";
  chart.options.x_label = "Mean predicted probability";
  chart.options.y_label = "Observed positive rate";
  chart.options.x_range = AxisRange{0, 1};
  chart.options.y_range = AxisRange{0, 1};
  chart.options.width = 420;
  chart.options.height = 420;
  chart.series = std::move(curves);
  chart.markers = true;
  chart.references.push_back({ReferenceLine::Kind::kDiagonal, 0, "perfectly calibrated"});
  return chart;
}

LineChart TrendChart(std::vector<Series> series, std::string title, std::string y_label) {
  LineChart chart;
  chart.options.title = std::move(title);
  chart.options.y_label = std::move(y_label);
  chart.options.x_format = AxisFormat::kTime;
  chart.options.height = 300;
  chart.series = std::move(series);
  chart.markers = true;
  return chart;
}

}  // namespace cairn::report
