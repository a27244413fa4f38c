// Text and number formatting shared by the HTML pages and SVG charts: escaping
// that makes any input safe inside markup, and locale-free fixed-precision numbers
// so that the same data always gives the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace cairn::report {

// Escapes &, <, >, " and ' for use in element text and quoted attributes. Control
// characters other than tab, newline and carriage return, and bytes that are not
// valid UTF-8, become U+FFFD, so the result is always well-formed XML and HTML.
std::string EscapeMarkup(std::string_view text);

// `value` with exactly `decimals` digits after the point ("0.50", "-3"), never
// "-0" and never "nan" or "inf": non-finite values are written as 0, since
// callers filter them out before drawing and a stray one must not break a file.
std::string FormatFixed(double value, int decimals);

// Drops trailing zeros after the point ("0.50" -> "0.5", "2.00" -> "2").
std::string FormatTrimmed(double value, int decimals);

}  // namespace cairn::report
