// What every SVG chart shares: the rendered Svg value, the options of a chart's
// frame (size, title, axis labels and formats, fixed ranges), data series,
// reference lines and the colour palette.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cairn/report/nice_ticks.h"

namespace cairn::report {

// A rendered chart: one <svg> element, well-formed, with every text escaped.
// HtmlPage embeds only values of this type, so no unescaped text reaches a page.
struct Svg {
  std::string markup;
};

struct AxisRange {
  double min = 0;
  double max = 1;
};

struct ChartOptions {
  std::string title;        // drawn above the plot and used as the SVG <title>
  std::string description;  // the SVG <desc>, for screen readers; optional
  std::string x_label;
  std::string y_label;
  AxisFormat x_format = AxisFormat::kNumber;
  AxisFormat y_format = AxisFormat::kNumber;
  // Fixed axis ranges (ROC and PR curves live in [0, 1]); from the data when empty.
  std::optional<AxisRange> x_range;
  std::optional<AxisRange> y_range;
  // viewBox units; pages scale charts down to their column, so sizes near the
  // column width keep the 11-unit labels readable.
  double width = 480;
  double height = 320;
  bool legend = true;  // drawn only when there is more than one entry
};

// A named sequence of points. Points with a non-finite coordinate are skipped:
// a line breaks there instead of drawing through it.
struct Series {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  std::string color;  // "#0072b2"; from the palette by position when empty
};

// A dashed guide: the diagonal y = x (chance on a ROC curve, perfect
// calibration), or a horizontal or vertical line at `value`.
struct ReferenceLine {
  enum class Kind { kDiagonal, kHorizontal, kVertical };
  Kind kind = Kind::kDiagonal;
  double value = 0;
  std::string label;  // shown in the legend when not empty
};

// Colour-blind-safe colours (Okabe and Ito), cycled by series index.
const std::string& PaletteColor(size_t index);

}  // namespace cairn::report
