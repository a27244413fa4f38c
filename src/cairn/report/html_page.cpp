#include "cairn/report/html_page.h"

#include <cctype>

#include "cairn/report/markup.h"

namespace cairn::report {
namespace {

// Kept small and print-friendly: system fonts, no external resources, tints that
// survive greyscale printing through borders as well as colour.
constexpr char kStyle[] = R"css(
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --paper: #ffffff; --back: #f6f7f9;
  --ok: #15803d; --ok-tint: #f0fdf4; --ok-pill: #dcfce7; --warn: #b45309; --warn-tint: #fffbeb; --warn-pill: #fef3c7;
  --bad: #b91c1c; --bad-tint: #fef2f2; --bad-pill: #fee2e2; --accent: #0072b2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--back); color: var(--ink); line-height: 1.5; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 24px 48px; }
header h1 { margin: 0 0 4px; font-size: 28px; line-height: 1.25; letter-spacing: -0.01em; }
header .subtitle { margin: 0 0 12px; color: var(--muted); font-size: 17px; }
header .meta { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0; padding: 0; list-style: none;
  color: var(--muted); font-size: 13px; }
header .meta b { color: var(--ink); font-weight: 600; }
.verdict { margin: 20px 0 0; padding: 12px 16px; border-radius: 8px; border: 1px solid var(--line);
  border-left-width: 6px; background: var(--paper); font-weight: 600; font-size: 16px; }
.verdict-ok { border-left-color: var(--ok); background: var(--ok-tint); }
.verdict-warn { border-left-color: var(--warn); background: var(--warn-tint); }
.verdict-bad { border-left-color: var(--bad); background: var(--bad-tint); }
nav { margin: 20px 0 0; font-size: 14px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; padding: 0; list-style: none; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
section { margin: 24px 0 0; padding: 20px 24px; background: var(--paper); border: 1px solid var(--line);
  border-radius: 10px; }
section > h2 { margin: 0 0 4px; font-size: 20px; }
section > .intro { margin: 0 0 12px; color: var(--muted); }
h3 { margin: 20px 0 8px; font-size: 16px; }
p { margin: 8px 0; }
.note { margin: 12px 0; padding: 10px 14px; border-left: 4px solid var(--line); background: #f9fafb;
  border-radius: 4px; }
.note-ok { border-left-color: var(--ok); background: var(--ok-tint); }
.note-warn { border-left-color: var(--warn); background: var(--warn-tint); }
.note-bad { border-left-color: var(--bad); background: var(--bad-tint); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 12px 0; }
.card { padding: 12px 14px; border: 1px solid var(--line); border-radius: 8px; border-top-width: 4px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .detail { color: var(--muted); font-size: 13px; }
.card-ok { border-top-color: var(--ok); }
.card-warn { border-top-color: var(--warn); }
.card-bad { border-top-color: var(--bad); }
.table-wrap { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: 13px; padding: 0 0 6px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; font-size: 13px; white-space: nowrap; }
td.num, th.num { text-align: right; }
tr.row-ok td { background: var(--ok-tint); }
tr.row-warn td { background: var(--warn-tint); }
tr.row-bad td { background: var(--bad-tint); }
tr.row-ok td:first-child { box-shadow: inset 4px 0 0 var(--ok); }
tr.row-warn td:first-child { box-shadow: inset 4px 0 0 var(--warn); }
tr.row-bad td:first-child { box-shadow: inset 4px 0 0 var(--bad); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  background: #f3f4f6; }
.pill-ok { background: var(--ok-pill); color: var(--ok); }
.pill-warn { background: var(--warn-pill); color: var(--warn); }
.pill-bad { background: var(--bad-pill); color: var(--bad); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 12px 0; font-size: 14px; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; margin: 12px 0; }
figure { margin: 12px 0; }
.figures figure { margin: 0; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { margin-top: 4px; color: var(--muted); font-size: 13px; text-align: center; }
footer { margin: 28px 0 0; color: var(--muted); font-size: 12px; text-align: center; }
@media print {
  body { background: #ffffff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section { border: none; padding: 0; margin-top: 18pt; }
  section > h2 { break-after: avoid; }
  figure, .card, tr, .note, .verdict { break-inside: avoid; }
  th { background: #eeeeee; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

std::string E(std::string_view text) { return EscapeMarkup(text); }

// Numbers, percentages and signed deltas align right so digits line up.
bool LooksNumeric(std::string_view text) {
  bool digit = false;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (std::string_view("+-.,%eE ").find(c) == std::string_view::npos) {
      return text == "nan" || text == "inf" || text == "-inf";
    }
  }
  return digit;
}

// Cells that stand for "no value" and say nothing about the column's kind.
bool IsPlaceholder(std::string_view text) { return text.empty() || text == "-" || text == "\xE2\x80\x93"; }

std::string ClassSuffix(std::string_view prefix, Verdict verdict) {
  return verdict == Verdict::kNone ? "" : " " + std::string(prefix) + std::string(VerdictName(verdict));
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNone: return "";
    case Verdict::kOk: return "ok";
    case Verdict::kWarn: return "warn";
    case Verdict::kBad: return "bad";
  }
  return "";
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

HtmlPage& HtmlPage::SetSubtitle(std::string subtitle) {
  subtitle_ = std::move(subtitle);
  return *this;
}

HtmlPage& HtmlPage::AddMeta(std::string label, std::string value) {
  meta_.emplace_back(std::move(label), std::move(value));
  return *this;
}

HtmlPage& HtmlPage::SetVerdict(Verdict verdict, std::string headline) {
  verdict_ = verdict;
  headline_ = std::move(headline);
  return *this;
}

HtmlPage& HtmlPage::SetFooter(std::string footer) {
  footer_ = std::move(footer);
  return *this;
}

HtmlPage::Section& HtmlPage::current() {
  if (sections_.empty()) sections_.push_back({});
  return sections_.back();
}

HtmlPage& HtmlPage::BeginSection(std::string heading, std::string intro) {
  sections_.push_back({std::move(heading), std::move(intro), ""});
  return *this;
}

HtmlPage& HtmlPage::AddHeading(std::string heading) {
  current().body += "<h3>" + E(heading) + "</h3>\n";
  return *this;
}

HtmlPage& HtmlPage::AddParagraph(std::string text) {
  current().body += "<p>" + E(text) + "</p>\n";
  return *this;
}

HtmlPage& HtmlPage::AddNote(std::string text, Verdict verdict) {
  current().body += "<div class=\"note" + ClassSuffix("note-", verdict) + "\">" + E(text) + "</div>\n";
  return *this;
}

HtmlPage& HtmlPage::AddCards(const std::vector<MetricCard>& cards) {
  std::string& body = current().body;
  body += "<div class=\"cards\">\n";
  for (const auto& card : cards) {
    body += "<div class=\"card" + ClassSuffix("card-", card.verdict) + "\"><div class=\"label\">" + E(card.label) +
            "</div><div class=\"value\">" + E(card.value) + "</div>";
    if (!card.detail.empty()) body += "<div class=\"detail\">" + E(card.detail) + "</div>";
    body += "</div>\n";
  }
  body += "</div>\n";
  return *this;
}

HtmlPage& HtmlPage::AddTable(const HtmlTable& table) {
  // A column is numeric when every non-empty cell in it reads as a number.
  std::vector<bool> numeric(table.header.size(), true);
  std::vector<bool> seen(table.header.size(), false);
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.cells.size() && c < numeric.size(); ++c) {
      if (row.cells[c].badge != Verdict::kNone) numeric[c] = false;
      if (IsPlaceholder(row.cells[c].text)) continue;
      seen[c] = true;
      if (!LooksNumeric(row.cells[c].text)) numeric[c] = false;
    }
  }
  const auto cell_class = [&](size_t c) { return c < numeric.size() && numeric[c] && seen[c] ? " class=\"num\"" : ""; };

  std::string& body = current().body;
  body += "<div class=\"table-wrap\"><table>\n";
  if (!table.caption.empty()) body += "<caption>" + E(table.caption) + "</caption>\n";
  if (!table.header.empty()) {
    body += "<thead><tr>";
    for (size_t c = 0; c < table.header.size(); ++c) body += "<th" + std::string(cell_class(c)) + ">" + E(table.header[c]) + "</th>";
    body += "</tr></thead>\n";
  }
  body += "<tbody>\n";
  for (const auto& row : table.rows) {
    body += row.verdict == Verdict::kNone ? "<tr>" : "<tr class=\"row-" + std::string(VerdictName(row.verdict)) + "\">";
    for (size_t c = 0; c < row.cells.size(); ++c) {
      const TableCell& cell = row.cells[c];
      body += "<td" + std::string(cell_class(c)) + ">";
      if (cell.badge != Verdict::kNone) {
        body += "<span class=\"pill pill-" + std::string(VerdictName(cell.badge)) + "\">" + E(cell.text) + "</span>";
      } else {
        body += E(cell.text);
      }
      body += "</td>";
    }
    body += "</tr>\n";
  }
  body += "</tbody></table></div>\n";
  return *this;
}

HtmlPage& HtmlPage::AddKeyValues(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string& body = current().body;
  body += "<dl class=\"kv\">\n";
  for (const auto& [key, value] : pairs) body += "<dt>" + E(key) + "</dt><dd>" + E(value) + "</dd>\n";
  body += "</dl>\n";
  return *this;
}

HtmlPage& HtmlPage::AddFigure(const Svg& svg, std::string caption) {
  std::string& body = current().body;
  body += "<figure>\n" + svg.markup;
  if (!caption.empty()) body += "<figcaption>" + E(caption) + "</figcaption>\n";
  body += "</figure>\n";
  return *this;
}

HtmlPage& HtmlPage::AddFigures(const std::vector<Figure>& figures) {
  current().body += "<div class=\"figures\">\n";
  for (const auto& figure : figures) AddFigure(figure.svg, figure.caption);
  current().body += "</div>\n";
  return *this;
}

std::string HtmlPage::Render() const {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"generator\" content=\"cairn\">\n<title>" +
                    E(title_) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>" +
                    E(title_) + "</h1>\n";
  if (!subtitle_.empty()) out += "<p class=\"subtitle\">" + E(subtitle_) + "</p>\n";
  if (!meta_.empty()) {
    out += "<ul class=\"meta\">\n";
    for (const auto& [label, value] : meta_) out += "<li>" + E(label) + ": <b>" + E(value) + "</b></li>\n";
    out += "</ul>\n";
  }
  if (!headline_.empty()) {
    out += "<div class=\"verdict" + ClassSuffix("verdict-", verdict_) + "\">" + E(headline_) + "</div>\n";
  }
  out += "</header>\n";

  size_t titled = 0;
  for (const auto& section : sections_) titled += section.heading.empty() ? 0 : 1;
  if (titled >= 3) {
    out += "<nav aria-label=\"Sections\"><ol>\n";
    for (size_t i = 0; i < sections_.size(); ++i) {
      if (sections_[i].heading.empty()) continue;
      out += "<li><a href=\"#section-" + std::to_string(i + 1) + "\">" + E(sections_[i].heading) + "</a></li>\n";
    }
    out += "</ol></nav>\n";
  }
  for (size_t i = 0; i < sections_.size(); ++i) {
    const Section& section = sections_[i];
    out += "<section id=\"section-" + std::to_string(i + 1) + "\">\n";
    if (!section.heading.empty()) out += "<h2>" + E(section.heading) + "</h2>\n";
    if (!section.intro.empty()) out += "<p class=\"intro\">" + E(section.intro) + "</p>\n";
    out += section.body + "</section>\n";
  }
  if (!footer_.empty()) out += "<footer>" + E(footer_) + "</footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace cairn::report
