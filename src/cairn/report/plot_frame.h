// The drawing kit the chart families share: an SVG writer with fixed-precision
// coordinates, the legend, and the frame of an x-y plot (layout, grid, ticks,
// axis labels, and the mapping from data to drawing coordinates).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cairn/report/chart.h"
#include "cairn/report/nice_ticks.h"

namespace cairn::report {

// Appends SVG elements; every coordinate is written with two decimals and every
// text escaped, so equal inputs give equal bytes.
class SvgWriter {
 public:
  // Opens the <svg> root with its viewBox, <title>, <desc> and white background.
  explicit SvgWriter(const ChartOptions& options);

  void Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
            std::string_view dash = "");
  void Rect(double x, double y, double width, double height, std::string_view fill, double opacity = 1,
            std::string_view stroke = "", std::string_view tooltip = "");
  void Circle(double cx, double cy, double r, std::string_view fill, std::string_view tooltip = "");
  // A polyline through the points; each inner vector is one unbroken run.
  void Path(const std::vector<std::vector<std::pair<double, double>>>& runs, std::string_view stroke, double width,
            std::string_view dash = "");
  enum class Anchor { kStart, kMiddle, kEnd };
  void Text(double x, double y, std::string_view text, Anchor anchor = Anchor::kStart, double size = 11,
            std::string_view fill = "#333333", bool bold = false, double rotate = 0);
  void BeginGroup(std::string_view tooltip = "");
  void EndGroup();
  // "No data" in the middle of the chart, for empty inputs.
  void EmptyNote(double cx, double cy);
  // Closes the root and returns the document.
  Svg Finish();

 private:
  std::string out_;
};

// Approximate width in viewBox units of `text` at `size`, for layout only.
double TextWidth(std::string_view text, double size = 11);
// `text` cut to at most `max_chars` characters with an ellipsis.
std::string Shorten(std::string_view text, size_t max_chars);

struct LegendEntry {
  enum class Style { kLine, kDashed, kSwatch, kMarker };
  std::string label;
  std::string color;
  Style style = Style::kLine;
};

// Where the legend goes: entries flow left to right in rows under the title.
struct LegendLayout {
  double top = 0;
  double height = 0;  // 0 when there is no legend
};

// The title band and legend rows; returns where the plot may start.
double DrawHeader(SvgWriter& svg, const ChartOptions& options, const std::vector<LegendEntry>& legend);

// The frame of a chart with two numeric axes.
class PlotFrame {
 public:
  // Draws the header, then lays out and draws the grid, ticks and axis labels.
  // `min_left` reserves room for labels the caller draws left of the plot.
  PlotFrame(SvgWriter& svg, const ChartOptions& options, const Ticks& x_ticks, const Ticks& y_ticks,
            const std::vector<LegendEntry>& legend, double min_left = 0);

  // Drawing coordinates of a data value, clamped to the plot area.
  double X(double value) const;
  double Y(double value) const;
  double left() const { return left_; }
  double right() const { return right_; }
  double top() const { return top_; }
  double bottom() const { return bottom_; }
  const Ticks& x_ticks() const { return x_ticks_; }
  const Ticks& y_ticks() const { return y_ticks_; }

  // A dashed reference line clipped to the plot.
  void DrawReference(SvgWriter& svg, const ReferenceLine& line) const;

 private:
  Ticks x_ticks_;
  Ticks y_ticks_;
  double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0;
};

// Ticks for one axis of the series' points whose coordinates are both finite
// (or for the fixed range when given), as the format asks.
Ticks SeriesTicks(const std::vector<Series>& series, bool x_axis, const std::optional<AxisRange>& fixed,
                  AxisFormat format, int target = 5);

// The colour a series is drawn in.
std::string SeriesColor(const Series& series, size_t index);

inline constexpr const char* kReferenceColor = "#6b7280";

}  // namespace cairn::report
