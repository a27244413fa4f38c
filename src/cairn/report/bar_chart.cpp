#include "cairn/report/bar_chart.h"

#include <algorithm>
#include <cmath>

#include "cairn/core/error.h"
#include "cairn/report/markup.h"
#include "cairn/report/plot_frame.h"

namespace cairn::report {
namespace {

constexpr double kTickSize = 11;

std::string ChartName(const ChartOptions& options) {
  return options.title.empty() ? std::string("chart") : "chart '" + options.title + "'";
}

void CheckLengths(const ChartOptions& options, const std::vector<BarSeries>& series, size_t expected,
                  const char* what) {
  for (const auto& s : series) {
    if (s.values.size() != expected) {
      ThrowInvalidInput(ChartName(options) + ": series '" + s.name + "' has " + std::to_string(s.values.size()) +
                        " values for " + std::to_string(expected) + " " + what);
    }
  }
}

// Non-finite values as 0, then shares of the total when asked.
std::vector<std::vector<double>> DisplayValues(const std::vector<BarSeries>& series, bool normalize) {
  std::vector<std::vector<double>> out;
  for (const auto& s : series) {
    std::vector<double> values;
    double total = 0;
    for (double value : s.values) {
      values.push_back(std::isfinite(value) ? value : 0);
      total += std::fabs(values.back());
    }
    if (normalize) {
      for (double& value : values) value = total > 0 ? value / total : 0;
    }
    out.push_back(std::move(values));
  }
  return out;
}

std::string BarColor(const BarSeries& series, size_t index) {
  return series.color.empty() ? PaletteColor(index) : series.color;
}

std::string ValueText(double value, bool share) {
  return share ? FormatTrimmed(value * 100, 2) + "%" : FormatTrimmed(value, 4);
}

// Value ticks from 0 (bars grow from zero) to the largest value, or below zero when needed.
Ticks ValueTicks(const std::vector<std::vector<double>>& values, const std::optional<AxisRange>& fixed,
                 AxisFormat format) {
  if (fixed) return MakeTicks(fixed->min, fixed->max, format);
  double lo = 0, hi = 0;
  for (const auto& list : values) {
    for (double value : list) {
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
  if (lo == hi) hi = 1;
  return MakeTicks(lo, hi, format);
}

// A band axis for categories: [0, n] with no numeric ticks.
Ticks BandTicks(size_t count) {
  Ticks ticks;
  ticks.min = 0;
  ticks.max = static_cast<double>(std::max<size_t>(count, 1));
  ticks.step = 1;
  ticks.decimals = 0;
  return ticks;
}

}  // namespace

Svg RenderSvg(const Histogram& chart) {
  const size_t bins = chart.edges.size() >= 2 ? chart.edges.size() - 1 : 0;
  CheckLengths(chart.options, chart.series, bins, "bins");
  bool edges_ok = bins > 0;
  for (size_t i = 0; edges_ok && i < chart.edges.size(); ++i) {
    edges_ok = std::isfinite(chart.edges[i]) && (i == 0 || chart.edges[i] > chart.edges[i - 1]);
  }
  ChartOptions options = chart.options;
  if (chart.normalize && options.y_format == AxisFormat::kNumber) options.y_format = AxisFormat::kPercent;
  if (options.y_label.empty()) options.y_label = chart.normalize ? "Share of rows" : "Rows";

  SvgWriter svg(options);
  const auto values = DisplayValues(chart.series, chart.normalize);
  std::vector<LegendEntry> legend;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    legend.push_back({chart.series[i].name, BarColor(chart.series[i], i),
                      i == 0 ? LegendEntry::Style::kSwatch : LegendEntry::Style::kLine});
  }
  const Ticks x_ticks = edges_ok ? MakeTicks(chart.edges.front(), chart.edges.back(), options.x_format)
                                 : NiceTicks(0, 1);
  const PlotFrame frame(svg, options, options.x_range ? MakeTicks(options.x_range->min, options.x_range->max,
                                                                   options.x_format)
                                                      : x_ticks,
                        ValueTicks(values, options.y_range, options.y_format), legend);
  if (!edges_ok || chart.series.empty()) {
    svg.EmptyNote((frame.left() + frame.right()) / 2, (frame.top() + frame.bottom()) / 2);
    return svg.Finish();
  }
  // The first series is filled and the others are drawn as outlines over it, so
  // overlapping distributions stay distinguishable instead of mixing colours.
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const std::string color = BarColor(chart.series[i], i);
    svg.BeginGroup(chart.series[i].name);
    std::vector<std::pair<double, double>> outline{{frame.X(chart.edges[0]), frame.Y(0)}};
    for (size_t b = 0; b < bins; ++b) {
      const double x0 = frame.X(chart.edges[b]), x1 = frame.X(chart.edges[b + 1]);
      const double y0 = frame.Y(0), y1 = frame.Y(values[i][b]);
      const std::string tooltip = chart.series[i].name + ": [" + FormatTrimmed(chart.edges[b], 6) + ", " +
                                  FormatTrimmed(chart.edges[b + 1], 6) + ") " +
                                  ValueText(values[i][b], chart.normalize);
      if (i == 0) {
        svg.Rect(x0 + 0.5, std::min(y0, y1), std::max(x1 - x0 - 1, 0.5), std::fabs(y0 - y1), color, 0.55, "",
                 tooltip);
      } else {
        // Nearly clear, so the bin still shows its tooltip without hiding the fill below.
        svg.Rect(x0, std::min(y0, y1), x1 - x0, std::fabs(y0 - y1), color, 0.06, "", tooltip);
      }
      outline.emplace_back(x0, y1);
      outline.emplace_back(x1, y1);
    }
    outline.emplace_back(frame.X(chart.edges[bins]), frame.Y(0));
    if (i > 0) svg.Path({outline}, color, 2.25);
    svg.EndGroup();
  }
  return svg.Finish();
}

Svg RenderSvg(const BarChart& chart) {
  CheckLengths(chart.options, chart.series, chart.categories.size(), "categories");
  ChartOptions options = chart.options;
  if (chart.normalize) {
    AxisFormat& value_format = chart.horizontal ? options.x_format : options.y_format;
    if (value_format == AxisFormat::kNumber) value_format = AxisFormat::kPercent;
  }
  SvgWriter svg(options);
  const auto values = DisplayValues(chart.series, chart.normalize);
  std::vector<LegendEntry> legend;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    legend.push_back({chart.series[i].name, BarColor(chart.series[i], i), LegendEntry::Style::kSwatch});
  }
  const size_t count = chart.categories.size();
  const size_t groups = std::max<size_t>(chart.series.size(), 1);
  const bool empty = count == 0 || chart.series.empty();

  if (!chart.horizontal) {
    const PlotFrame frame(svg, options, BandTicks(count), ValueTicks(values, options.y_range, options.y_format),
                          legend);
    if (empty) {
      svg.EmptyNote((frame.left() + frame.right()) / 2, (frame.top() + frame.bottom()) / 2);
      return svg.Finish();
    }
    const double band = (frame.right() - frame.left()) / static_cast<double>(count);
    const size_t max_chars = static_cast<size_t>(std::max(3.0, band / (kTickSize * 0.58)));
    for (size_t c = 0; c < count; ++c) {
      const double start = frame.left() + band * static_cast<double>(c);
      svg.Text(start + band / 2, frame.bottom() + kTickSize + 6, Shorten(chart.categories[c], max_chars),
               SvgWriter::Anchor::kMiddle, kTickSize, "#4b5563");
      const double width = band * 0.8 / static_cast<double>(groups);
      for (size_t i = 0; i < chart.series.size(); ++i) {
        const double x = start + band * 0.1 + width * static_cast<double>(i);
        const double y0 = frame.Y(0), y1 = frame.Y(values[i][c]);
        svg.Rect(x, std::min(y0, y1), std::max(width - 1, 0.5), std::fabs(y0 - y1), BarColor(chart.series[i], i),
                 0.85, "", chart.series[i].name + ", " + chart.categories[c] + ": " +
                               ValueText(values[i][c], chart.normalize));
      }
    }
    return svg.Finish();
  }

  // Horizontal: categories down the left, first at the top.
  double label_width = 0;
  for (const auto& category : chart.categories) label_width = std::max(label_width, TextWidth(Shorten(category, 32)));
  label_width = std::min(label_width, options.width * 0.4);
  const PlotFrame frame(svg, options, ValueTicks(values, options.x_range, options.x_format), BandTicks(count), legend,
                        12 + label_width + 8);
  if (empty) {
    svg.EmptyNote((frame.left() + frame.right()) / 2, (frame.top() + frame.bottom()) / 2);
    return svg.Finish();
  }
  const double band = (frame.bottom() - frame.top()) / static_cast<double>(count);
  for (size_t c = 0; c < count; ++c) {
    const double start = frame.top() + band * static_cast<double>(c);
    svg.Text(frame.left() - 6, start + band / 2 + 4, Shorten(chart.categories[c], 32), SvgWriter::Anchor::kEnd,
             kTickSize, "#4b5563");
    const double height = band * 0.8 / static_cast<double>(groups);
    for (size_t i = 0; i < chart.series.size(); ++i) {
      const double y = start + band * 0.1 + height * static_cast<double>(i);
      const double x0 = frame.X(0), x1 = frame.X(values[i][c]);
      svg.Rect(std::min(x0, x1), y, std::fabs(x1 - x0), std::max(height - 1, 0.5), BarColor(chart.series[i], i), 0.85,
               "", chart.series[i].name + ", " + chart.categories[c] + ": " + ValueText(values[i][c], chart.normalize));
    }
  }
  return svg.Finish();
}

}  // namespace cairn::report
