// Well-formedness checks for the report tests: the system Python parses each
// SVG with xml.etree and each page with a strict html.parser-based checker.
#pragma once

#include <string>

namespace cairn::report::testing {

// True when /usr/bin/python3 can run the checks; tests skip otherwise.
bool PythonAvailable();
// "" when `svg` parses as XML with an <svg> root, else Python's complaint.
std::string CheckSvg(const std::string& svg);
// "" when every non-void element of `html` is closed in order, else the complaint.
std::string CheckHtml(const std::string& html);
// True when the text holds "nan" or "inf" as a word, as a broken number would print.
bool HasNonFiniteText(const std::string& text);

}  // namespace cairn::report::testing
