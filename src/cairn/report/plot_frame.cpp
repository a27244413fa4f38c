#include "cairn/report/plot_frame.h"

#include <algorithm>
#include <cmath>

#include "cairn/core/text_table.h"
#include "cairn/report/markup.h"

namespace cairn::report {
namespace {

constexpr double kPad = 12;
constexpr double kTitleSize = 14;
constexpr double kTickSize = 11;
constexpr double kLabelSize = 12;
constexpr double kLegendRow = 18;
constexpr double kLegendSwatch = 22;
constexpr size_t kMaxLegendChars = 40;
constexpr const char* kGridColor = "#e5e7eb";
constexpr const char* kAxisColor = "#9ca3af";
constexpr const char* kFontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

std::string N(double value) { return FormatFixed(value, 2); }

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeMarkup(value) + "\"";
}

double LegendEntryWidth(const LegendEntry& entry) {
  return kLegendSwatch + 6 + TextWidth(Shorten(entry.label, kMaxLegendChars)) + 16;
}

}  // namespace

const std::string& PaletteColor(size_t index) {
  static const std::vector<std::string> kPalette = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                                    "#56b4e9", "#d55e00", "#f0e442", "#000000"};
  return kPalette[index % kPalette.size()];
}

std::string SeriesColor(const Series& series, size_t index) {
  return series.color.empty() ? PaletteColor(index) : series.color;
}

double TextWidth(std::string_view text, double size) {
  // Average advance of a proportional sans-serif face; digits and lower case dominate labels.
  return static_cast<double>(DisplayWidth(std::string(text))) * size * 0.58;
}

std::string Shorten(std::string_view text, size_t max_chars) {
  if (DisplayWidth(std::string(text)) <= max_chars) return std::string(text);
  // Cut at a code point boundary: count lead bytes only.
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80) {
      if (chars + 1 >= max_chars) break;
      ++chars;
    }
    out += text[i];
  }
  return out + "\xE2\x80\xA6";  // U+2026
}

SvgWriter::SvgWriter(const ChartOptions& options) {
  const double width = std::max(options.width, 120.0), height = std::max(options.height, 90.0);
  out_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + N(width) + " " + N(height) + "\" width=\"" +
         N(width) + "\" height=\"" + N(height) + "\" role=\"img\" class=\"cairn-chart\"" +
         Attr("font-family", kFontFamily) + ">\n";
  out_ += "<title>" + EscapeMarkup(options.title.empty() ? "chart" : options.title) + "</title>\n";
  if (!options.description.empty()) out_ += "<desc>" + EscapeMarkup(options.description) + "</desc>\n";
  out_ += "<rect x=\"0\" y=\"0\" width=\"" + N(width) + "\" height=\"" + N(height) + "\" fill=\"#ffffff\"/>\n";
}

void SvgWriter::Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
                     std::string_view dash) {
  out_ += "<line x1=\"" + N(x1) + "\" y1=\"" + N(y1) + "\" x2=\"" + N(x2) + "\" y2=\"" + N(y2) + "\"" +
          Attr("stroke", stroke) + " stroke-width=\"" + N(width) + "\"" +
          (dash.empty() ? "" : Attr("stroke-dasharray", dash)) + "/>\n";
}

void SvgWriter::Rect(double x, double y, double width, double height, std::string_view fill, double opacity,
                     std::string_view stroke, std::string_view tooltip) {
  out_ += "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(std::max(width, 0.0)) + "\" height=\"" +
          N(std::max(height, 0.0)) + "\"" + Attr("fill", fill);
  if (opacity < 1) out_ += " fill-opacity=\"" + N(opacity) + "\"";
  if (!stroke.empty()) out_ += Attr("stroke", stroke) + " stroke-width=\"1.00\"";
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += "><title>" + EscapeMarkup(tooltip) + "</title></rect>\n";
  }
}

void SvgWriter::Circle(double cx, double cy, double r, std::string_view fill, std::string_view tooltip) {
  out_ += "<circle cx=\"" + N(cx) + "\" cy=\"" + N(cy) + "\" r=\"" + N(r) + "\"" + Attr("fill", fill);
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += "><title>" + EscapeMarkup(tooltip) + "</title></circle>\n";
  }
}

void SvgWriter::Path(const std::vector<std::vector<std::pair<double, double>>>& runs, std::string_view stroke,
                     double width, std::string_view dash) {
  std::string d;
  for (const auto& run : runs) {
    if (run.empty()) continue;
    for (size_t i = 0; i < run.size(); ++i) {
      d += (i == 0 ? (d.empty() ? "M" : " M") : " L") + N(run[i].first) + " " + N(run[i].second);
    }
  }
  if (d.empty()) return;
  out_ += "<path d=\"" + d + "\" fill=\"none\"" + Attr("stroke", stroke) + " stroke-width=\"" + N(width) +
          "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" +
          (dash.empty() ? "" : Attr("stroke-dasharray", dash)) + "/>\n";
}

void SvgWriter::Text(double x, double y, std::string_view text, Anchor anchor, double size, std::string_view fill,
                     bool bold, double rotate) {
  static constexpr const char* kAnchors[] = {"start", "middle", "end"};
  out_ += "<text x=\"" + N(x) + "\" y=\"" + N(y) + "\" font-size=\"" + N(size) + "\"" +
          Attr("fill", fill) + " text-anchor=\"" + kAnchors[static_cast<int>(anchor)] + "\"";
  if (bold) out_ += " font-weight=\"600\"";
  if (rotate != 0) out_ += " transform=\"rotate(" + N(rotate) + " " + N(x) + " " + N(y) + ")\"";
  out_ += ">" + EscapeMarkup(text) + "</text>\n";
}

void SvgWriter::BeginGroup(std::string_view tooltip) {
  out_ += "<g>";
  if (!tooltip.empty()) out_ += "<title>" + EscapeMarkup(tooltip) + "</title>";
  out_ += "\n";
}

void SvgWriter::EndGroup() { out_ += "</g>\n"; }

void SvgWriter::EmptyNote(double cx, double cy) { Text(cx, cy, "no data", Anchor::kMiddle, 13, "#6b7280"); }

Svg SvgWriter::Finish() {
  out_ += "</svg>\n";
  return Svg{std::move(out_)};
}

double DrawHeader(SvgWriter& svg, const ChartOptions& options, const std::vector<LegendEntry>& legend) {
  double y = kPad;
  if (!options.title.empty()) {
    svg.Text(kPad, y + kTitleSize, Shorten(options.title, static_cast<size_t>(options.width / (kTitleSize * 0.6))),
             SvgWriter::Anchor::kStart, kTitleSize, "#111827", true);
    y += kTitleSize + 8;
  }
  if (!options.legend || legend.size() < 2) return y;
  // Entries flow left to right and wrap, so the legend never covers the data.
  double x = kPad;
  y += 4;
  for (const auto& entry : legend) {
    const double width = LegendEntryWidth(entry);
    if (x > kPad && x + width > options.width - kPad) {
      x = kPad;
      y += kLegendRow;
    }
    const double mid = y + kLegendRow / 2;
    switch (entry.style) {
      case LegendEntry::Style::kLine: svg.Line(x, mid, x + kLegendSwatch, mid, entry.color, 2.5); break;
      case LegendEntry::Style::kDashed: svg.Line(x, mid, x + kLegendSwatch, mid, entry.color, 1.5, "5 4"); break;
      case LegendEntry::Style::kSwatch: svg.Rect(x + 4, mid - 6, 14, 12, entry.color, 0.75); break;
      case LegendEntry::Style::kMarker: svg.Circle(x + kLegendSwatch / 2, mid, 4, entry.color); break;
    }
    svg.Text(x + kLegendSwatch + 6, mid + 4, Shorten(entry.label, kMaxLegendChars));
    x += width;
  }
  return y + kLegendRow + 2;
}

PlotFrame::PlotFrame(SvgWriter& svg, const ChartOptions& options, const Ticks& x_ticks, const Ticks& y_ticks,
                     const std::vector<LegendEntry>& legend, double min_left)
    : x_ticks_(x_ticks), y_ticks_(y_ticks) {
  top_ = DrawHeader(svg, options, legend) + 8;
  double widest = 0;
  for (double value : y_ticks_.values) widest = std::max(widest, TextWidth(FormatTick(value, y_ticks_, options.y_format)));
  left_ = std::max(kPad + (options.y_label.empty() ? 0 : kLabelSize + 8) + widest + 8, min_left);
  right_ = options.width - kPad -
           (x_ticks_.values.empty()
                ? 0
                : TextWidth(FormatTick(x_ticks_.values.back(), x_ticks_, options.x_format)) / 2);
  bottom_ = options.height - kPad - (options.x_label.empty() ? 0 : kLabelSize + 8) - kTickSize - 8;
  // Tiny charts still get a plot area of a few units rather than a negative one.
  right_ = std::max(right_, left_ + 10);
  bottom_ = std::max(bottom_, top_ + 10);

  for (double value : y_ticks_.values) {
    const double y = Y(value);
    svg.Line(left_, y, right_, y, kGridColor, 1);
    svg.Text(left_ - 6, y + 4, FormatTick(value, y_ticks_, options.y_format), SvgWriter::Anchor::kEnd, kTickSize,
             "#4b5563");
  }
  for (double value : x_ticks_.values) {
    const double x = X(value);
    svg.Line(x, top_, x, bottom_, kGridColor, 1);
    svg.Text(x, bottom_ + kTickSize + 6, FormatTick(value, x_ticks_, options.x_format), SvgWriter::Anchor::kMiddle,
             kTickSize, "#4b5563");
  }
  svg.Line(left_, bottom_, right_, bottom_, kAxisColor, 1);
  svg.Line(left_, top_, left_, bottom_, kAxisColor, 1);
  if (!options.x_label.empty()) {
    svg.Text((left_ + right_) / 2, options.height - kPad, options.x_label, SvgWriter::Anchor::kMiddle, kLabelSize,
             "#374151");
  }
  if (!options.y_label.empty()) {
    svg.Text(kPad + kLabelSize, (top_ + bottom_) / 2, options.y_label, SvgWriter::Anchor::kMiddle, kLabelSize,
             "#374151", false, -90);
  }
}

double PlotFrame::X(double value) const {
  const double span = x_ticks_.max - x_ticks_.min;
  const double t = span > 0 && std::isfinite(value) ? (value - x_ticks_.min) / span : 0;
  return left_ + std::clamp(t, 0.0, 1.0) * (right_ - left_);
}

double PlotFrame::Y(double value) const {
  const double span = y_ticks_.max - y_ticks_.min;
  const double t = span > 0 && std::isfinite(value) ? (value - y_ticks_.min) / span : 0;
  return bottom_ - std::clamp(t, 0.0, 1.0) * (bottom_ - top_);
}

void PlotFrame::DrawReference(SvgWriter& svg, const ReferenceLine& line) const {
  switch (line.kind) {
    case ReferenceLine::Kind::kDiagonal: {
      // y = x over the part of the plot where both axes overlap.
      const double lo = std::max(x_ticks_.min, y_ticks_.min), hi = std::min(x_ticks_.max, y_ticks_.max);
      if (lo >= hi) return;
      svg.Line(X(lo), Y(lo), X(hi), Y(hi), kReferenceColor, 1.5, "5 4");
      return;
    }
    case ReferenceLine::Kind::kHorizontal:
      if (!std::isfinite(line.value) || line.value < y_ticks_.min || line.value > y_ticks_.max) return;
      svg.Line(left_, Y(line.value), right_, Y(line.value), kReferenceColor, 1.5, "5 4");
      return;
    case ReferenceLine::Kind::kVertical:
      if (!std::isfinite(line.value) || line.value < x_ticks_.min || line.value > x_ticks_.max) return;
      svg.Line(X(line.value), top_, X(line.value), bottom_, kReferenceColor, 1.5, "5 4");
      return;
  }
}

Ticks SeriesTicks(const std::vector<Series>& series, bool x_axis, const std::optional<AxisRange>& fixed,
                  AxisFormat format, int target) {
  if (fixed) return MakeTicks(fixed->min, fixed->max, format, target);
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& s : series) {
    const size_t n = std::min(s.x.size(), s.y.size());
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      const double value = x_axis ? s.x[i] : s.y[i];
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
  return MakeTicks(lo, hi, format, target);
}

}  // namespace cairn::report
