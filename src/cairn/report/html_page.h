// A self-contained HTML report page: title, meta lines, an overall verdict,
// sections holding metric cards, tables with verdict colours, key-value lists,
// notes and SVG figures. Inline CSS only (no fonts, scripts or network), every
// text escaped, print-friendly; the same content always renders the same bytes.
//
//   report::HtmlPage page("Evaluation of credit-risk@3");
//   page.AddMeta("dataset", "credit@2").SetVerdict(report::Verdict::kOk, "Better than the champion");
//   page.BeginSection("Curves").AddFigures({{report::RenderSvg(roc), "ROC"}, {report::RenderSvg(pr), "PR"}});
//   WriteFileAtomic("eval.html", page.Render());
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cairn/report/chart.h"

namespace cairn::report {

enum class Verdict { kNone, kOk, kWarn, kBad };

// "ok", "warn", "bad", or "" for kNone: the CSS class suffix.
std::string_view VerdictName(Verdict verdict);

// Implicit from text, so rows read as {"age", "0.031", {"drift", Verdict::kBad}}.
struct TableCell {
  TableCell(std::string text_value) : text(std::move(text_value)) {}
  TableCell(const char* text_value) : text(text_value) {}
  TableCell(std::string text_value, Verdict badge_value) : text(std::move(text_value)), badge(badge_value) {}
  std::string text;
  Verdict badge = Verdict::kNone;  // shown as a coloured pill when set
};

struct TableRow {
  std::vector<TableCell> cells;
  Verdict verdict = Verdict::kNone;  // tints the whole row
};

struct HtmlTable {
  std::vector<std::string> header;
  std::vector<TableRow> rows;
  std::string caption;
};

// A headline number ("ROC AUC", "0.912", "+0.013 vs champion").
struct MetricCard {
  std::string label;
  std::string value;
  std::string detail;
  Verdict verdict = Verdict::kNone;
};

struct Figure {
  Svg svg;
  std::string caption;
};

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);

  HtmlPage& SetSubtitle(std::string subtitle);
  // One "label: value" line under the title (model, dataset, run, generated at...).
  HtmlPage& AddMeta(std::string label, std::string value);
  // A banner under the header summing the page up.
  HtmlPage& SetVerdict(Verdict verdict, std::string headline);
  HtmlPage& SetFooter(std::string footer);

  // Starts a section; what is added next goes into it. Pages with three or more
  // sections get a list of links to them.
  HtmlPage& BeginSection(std::string heading, std::string intro = "");
  HtmlPage& AddHeading(std::string heading);  // a sub-heading inside the section
  HtmlPage& AddParagraph(std::string text);
  HtmlPage& AddNote(std::string text, Verdict verdict = Verdict::kNone);
  HtmlPage& AddCards(const std::vector<MetricCard>& cards);
  HtmlPage& AddTable(const HtmlTable& table);
  HtmlPage& AddKeyValues(const std::vector<std::pair<std::string, std::string>>& pairs);
  HtmlPage& AddFigure(const Svg& svg, std::string caption = "");
  // Several figures side by side, wrapping on narrow screens.
  HtmlPage& AddFigures(const std::vector<Figure>& figures);

  std::string Render() const;

 private:
  struct Section {
    std::string heading;
    std::string intro;
    std::string body;  // rendered, escaped HTML
  };
  Section& current();

  std::string title_;
  std::string subtitle_;
  std::vector<std::pair<std::string, std::string>> meta_;
  Verdict verdict_ = Verdict::kNone;
  std::string headline_;
  std::string footer_;
  std::vector<Section> sections_;
};

}  // namespace cairn::report
