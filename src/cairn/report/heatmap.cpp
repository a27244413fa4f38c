#include "cairn/report/heatmap.h"

#include <algorithm>
#include <cmath>

#include "cairn/core/error.h"
#include "cairn/report/markup.h"
#include "cairn/report/plot_frame.h"

namespace cairn::report {
namespace {

constexpr double kPad = 12;
constexpr double kTickSize = 11;
constexpr double kLabelSize = 12;

// Linear blend between a pale and a deep blue; `t` in [0, 1].
std::string Shade(double t) {
  static constexpr int kLow[] = {0xf3, 0xf7, 0xfc};
  static constexpr int kHigh[] = {0x08, 0x3d, 0x7f};
  t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string color = "#";
  for (int i = 0; i < 3; ++i) {
    const int channel = static_cast<int>(std::lround(kLow[i] + (kHigh[i] - kLow[i]) * t));
    color += kHex[channel / 16];
    color += kHex[channel % 16];
  }
  return color;
}

}  // namespace

Svg RenderSvg(const Heatmap& chart) {
  const ChartOptions& options = chart.options;
  const size_t rows = chart.row_labels.size(), columns = chart.column_labels.size();
  const std::string name = options.title.empty() ? std::string("heatmap") : "heatmap '" + options.title + "'";
  if (chart.values.size() != rows) {
    ThrowInvalidInput(name + " has " + std::to_string(chart.values.size()) + " rows of values for " +
                      std::to_string(rows) + " row labels");
  }
  for (size_t r = 0; r < rows; ++r) {
    if (chart.values[r].size() != columns) {
      ThrowInvalidInput(name + ": row " + std::to_string(r + 1) + " has " + std::to_string(chart.values[r].size()) +
                        " values for " + std::to_string(columns) + " column labels");
    }
  }

  SvgWriter svg(options);
  const double top = DrawHeader(svg, options, {}) + 6;
  double label_width = 0;
  for (const auto& label : chart.row_labels) label_width = std::max(label_width, TextWidth(Shorten(label, 24)));
  const double left = kPad + (options.y_label.empty() ? 0 : kLabelSize + 8) + label_width + 8;
  const double bottom = options.height - kPad - (options.x_label.empty() ? 0 : kLabelSize + 8) - kTickSize - 8;
  const double right = options.width - kPad;
  if (rows == 0 || columns == 0 || bottom <= top || right <= left) {
    svg.EmptyNote(options.width / 2, options.height / 2);
    return svg.Finish();
  }
  const double cell_w = (right - left) / static_cast<double>(columns);
  const double cell_h = (bottom - top) / static_cast<double>(rows);

  // Shade by the largest finite value (or by row shares), so the colour scale starts at zero.
  double largest = 0;
  std::vector<double> row_totals(rows, 0);
  for (size_t r = 0; r < rows; ++r) {
    for (double value : chart.values[r]) {
      if (!std::isfinite(value)) continue;
      largest = std::max(largest, value);
      row_totals[r] += value;
    }
  }
  const size_t max_chars = static_cast<size_t>(std::max(3.0, cell_w / (kTickSize * 0.58)));
  for (size_t r = 0; r < rows; ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    svg.Text(left - 6, y + cell_h / 2 + 4, Shorten(chart.row_labels[r], 24), SvgWriter::Anchor::kEnd, kTickSize,
             "#4b5563");
    for (size_t c = 0; c < columns; ++c) {
      const double x = left + cell_w * static_cast<double>(c);
      const double value = chart.values[r][c];
      const bool finite = std::isfinite(value);
      const double share = finite && row_totals[r] > 0 ? value / row_totals[r] : 0;
      const double t = !finite ? 0 : chart.row_shares ? share : (largest > 0 ? value / largest : 0);
      const std::string value_text = finite ? FormatFixed(value, chart.decimals) : "\xE2\x80\x93";  // en dash
      std::string tooltip = chart.row_labels[r] + " / " + chart.column_labels[c] + ": " + value_text;
      if (chart.row_shares && finite) tooltip += " (" + FormatFixed(share * 100, 1) + "% of row)";
      svg.Rect(x + 1, y + 1, cell_w - 2, cell_h - 2, finite ? Shade(t) : "#f3f4f6", 1, "", tooltip);
      const std::string ink = t > 0.55 ? "#ffffff" : "#111827";
      const double size = std::clamp(std::min(cell_w / 5, cell_h / 3), 9.0, 16.0);
      const bool two_lines = chart.row_shares && finite && cell_h >= size * 3;
      const double mid = y + cell_h / 2 + size * 0.35;
      svg.Text(x + cell_w / 2, two_lines ? mid - size * 0.55 : mid, value_text, SvgWriter::Anchor::kMiddle, size, ink,
               true);
      if (two_lines) {
        svg.Text(x + cell_w / 2, mid + size * 0.75, FormatFixed(share * 100, 1) + "%", SvgWriter::Anchor::kMiddle,
                 size * 0.75, ink);
      }
    }
  }
  for (size_t c = 0; c < columns; ++c) {
    svg.Text(left + cell_w * (static_cast<double>(c) + 0.5), bottom + kTickSize + 6,
             Shorten(chart.column_labels[c], max_chars), SvgWriter::Anchor::kMiddle, kTickSize, "#4b5563");
  }
  if (!options.x_label.empty()) {
    svg.Text((left + right) / 2, options.height - kPad, options.x_label, SvgWriter::Anchor::kMiddle, kLabelSize,
             "#374151");
  }
  if (!options.y_label.empty()) {
    svg.Text(kPad + kLabelSize, (top + bottom) / 2, options.y_label, SvgWriter::Anchor::kMiddle, kLabelSize,
             "#374151", false, -90);
  }
  return svg.Finish();
}

Heatmap ConfusionMatrixChart(std::vector<std::string> labels, std::vector<std::vector<double>> counts,
                             std::string title) {
  Heatmap chart;
  chart.options.title = std::move(title);
  chart.options.description = "Rows are actual classes and columns predicted classes; shading is the share of each row.";
  chart.options.x_label = "Predicted";
  chart.options.y_label = "Actual";
  chart.options.width = 420;
  chart.options.height = 420;
  chart.row_labels = labels;
  chart.column_labels = std::move(labels);
  chart.values = std::move(counts);
  chart.row_shares = true;
  return chart;
}

}  // namespace cairn::report
