#include "cairn/monitor/drift_html.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/report/html_page.h"
#include "cairn/report/svg_chart.h"

namespace cairn::monitor {
namespace {

using report::Verdict;

std::string Value(double v) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return FormatNumber(v);
}

std::string Percent(double share) { return FormatNumber(100.0 * share, 3) + "%"; }

std::string VerdictText(const FeatureDrift& f) {
  if (f.method == "none") return "not tested";
  return f.drift ? "drift" : "no drift";
}

Verdict FeatureVerdict(const FeatureDrift& f) {
  if (f.method == "none") return Verdict::kWarn;
  return f.drift ? Verdict::kBad : Verdict::kOk;
}

std::string Caption(const FeatureDrift& f) {
  if (f.method == "none") return f.feature + ": " + f.note;
  std::string text = f.feature + ": " + f.method + " " + Value(f.statistic);
  if (!std::isnan(f.p_value)) text += " (p " + Value(f.p_value) + ")";
  text += ", threshold " + Value(f.threshold) + ", " + VerdictText(f) + "; PSI " + Value(f.psi);
  return text;
}

report::Svg DistributionChart(const FeatureDrift& f) {
  report::ChartOptions options;
  options.title = f.feature;
  options.description = "Reference and current distribution of " + f.feature;
  options.y_label = "share";
  options.width = 440;
  options.height = 260;
  std::vector<report::BarSeries> series = {{"reference", f.bins.reference_shares, ""},
                                           {"current", f.bins.current_shares, ""}};
  if (!f.bins.edges.empty() && f.bins.edges.size() == f.bins.reference_shares.size() + 1) {
    report::Histogram chart;
    chart.options = options;
    chart.options.x_label = f.feature;
    chart.edges = f.bins.edges;
    chart.series = std::move(series);
    chart.normalize = false;  // already shares
    return report::RenderSvg(chart);
  }
  report::BarChart chart;
  chart.options = options;
  chart.categories = f.labels;
  if (chart.categories.size() != f.bins.reference_shares.size()) {
    chart.categories.clear();
    for (std::size_t i = 0; i < f.bins.reference_shares.size(); ++i) chart.categories.push_back(std::to_string(i + 1));
  }
  chart.series = std::move(series);
  chart.horizontal = chart.categories.size() > 8;
  return report::RenderSvg(chart);
}

}  // namespace

std::string RenderDriftHtml(const DriftReport& r, const DriftPageInfo& info, const std::vector<DriftReport>& history) {
  report::HtmlPage page(info.title.empty() ? "Drift report" : info.title);
  page.SetSubtitle("Reference " + r.reference_source + " against current " + r.current_source);
  if (!info.model.empty()) page.AddMeta("model", info.model);
  if (!info.report_id.empty()) page.AddMeta("report", info.report_id);
  page.AddMeta("reference", r.reference_source + " (" + std::to_string(r.reference_rows) + " rows)");
  page.AddMeta("current", r.current_source + " (" + std::to_string(r.current_rows) + " rows)");
  page.AddMeta("generated", FormatUtc(r.generated_at).substr(0, 19) + " UTC");
  const std::string headline = std::string(r.dataset_drift ? "Dataset drift: " : "No dataset drift: ") +
                               std::to_string(r.features_drifted) + " of " + std::to_string(r.features_tested) +
                               " features drifted (share " + Value(r.drift_share) + ", threshold " +
                               Value(r.drift_share_threshold) + ")";
  page.SetVerdict(r.dataset_drift ? Verdict::kBad : Verdict::kOk, headline);

  page.BeginSection("Summary");
  std::vector<report::MetricCard> cards = {
      {"Dataset drift", r.dataset_drift ? "yes" : "no", "share threshold " + Value(r.drift_share_threshold),
       r.dataset_drift ? Verdict::kBad : Verdict::kOk},
      {"Drift share", Value(r.drift_share), std::to_string(r.features_drifted) + " of " +
                                                std::to_string(r.features_tested) + " features",
       r.dataset_drift ? Verdict::kBad : Verdict::kNone},
  };
  if (r.performance) {
    cards.push_back({r.performance->metric, Value(r.performance->current),
                     "holdout " + Value(r.performance->baseline) + ", " + std::to_string(r.performance->rows) +
                         " labelled rows",
                     r.performance->degraded ? Verdict::kBad : Verdict::kOk});
  }
  if (r.output_drift) cards.push_back({"Model output", "drift", "predictions moved", Verdict::kBad});
  page.AddCards(cards);
  for (const std::string& alert : info.alerts) page.AddNote("Alert: " + alert, Verdict::kBad);

  page.BeginSection("Features", "One test per feature, chosen by type and reference size; PSI for every feature.");
  report::HtmlTable table;
  table.header = {"feature", "type", "method", "statistic", "p-value", "threshold", "verdict", "PSI",
                  "missing (ref / cur)", "new categories"};
  for (const FeatureDrift& f : r.features) {
    report::TableRow row;
    row.cells = {f.role == "output" ? f.feature + " (output)" : f.feature,
                 f.kind,
                 f.method,
                 Value(f.statistic),
                 Value(f.p_value),
                 Value(f.threshold),
                 report::TableCell(VerdictText(f), FeatureVerdict(f)),
                 report::TableCell(Value(f.psi), f.psi_drift ? Verdict::kWarn : Verdict::kNone),
                 Percent(f.reference_missing_rate) + " / " + Percent(f.current_missing_rate),
                 f.new_categories.empty() ? "" : Percent(f.new_category_rate) + ": " + Join(f.new_categories, ", ")};
    row.verdict = f.drift ? Verdict::kBad : Verdict::kNone;
    table.rows.push_back(std::move(row));
  }
  table.caption = "p-values apply to tests (ks, chisquare, z); distances (wasserstein, jensenshannon, psi) have none.";
  page.AddTable(table);

  page.BeginSection("Distributions", "Reference and current shares on the PSI bins of each feature.");
  std::vector<report::Figure> figures;
  for (const FeatureDrift& f : r.features) {
    if (f.method == "none" || f.bins.reference_shares.empty()) {
      page.AddNote(Caption(f), Verdict::kWarn);
      continue;
    }
    figures.push_back({DistributionChart(f), Caption(f)});
  }
  page.AddFigures(figures);

  // Trends: this report with the earlier ones, oldest first.
  std::vector<const DriftReport*> series;
  for (const DriftReport& h : history) series.push_back(&h);
  series.push_back(&r);
  std::sort(series.begin(), series.end(),
            [](const DriftReport* a, const DriftReport* b) { return a->generated_at < b->generated_at; });
  page.BeginSection("Trends", std::to_string(series.size()) + (series.size() == 1 ? " window" : " windows") +
                                  " so far; each point is one monitoring check.");
  report::Series share{"drift share", {}, {}, ""};
  for (const DriftReport* h : series) {
    share.x.push_back(static_cast<double>(h->generated_at));
    share.y.push_back(h->drift_share);
  }
  auto share_chart = report::TrendChart({share}, "Share of drifted features", "drift share");
  share_chart.references.push_back(
      {report::ReferenceLine::Kind::kHorizontal, r.drift_share_threshold, "dataset drift threshold"});
  page.AddFigure(report::RenderSvg(share_chart), "Drift share per window");
  std::vector<report::Figure> trend_figures;
  for (const FeatureDrift& f : r.features) {
    if (!f.drift) continue;
    report::Series stat{f.method, {}, {}, ""};
    for (const DriftReport* h : series) {
      const FeatureDrift* past = h->Find(f.feature);
      if (!past || past->method != f.method || !std::isfinite(past->statistic)) continue;
      stat.x.push_back(static_cast<double>(h->generated_at));
      stat.y.push_back(past->statistic);
    }
    auto chart = report::TrendChart({stat}, f.feature, f.method);
    chart.references.push_back({report::ReferenceLine::Kind::kHorizontal, f.threshold, "threshold"});
    trend_figures.push_back({report::RenderSvg(chart), f.feature + ": " + f.method + " per window"});
  }
  if (!trend_figures.empty()) page.AddFigures(trend_figures);
  page.SetFooter("cairn drift report. Defaults: KS (p <= 0.05) or chi-square/Z (p < 0.05) up to 1000 reference rows, "
                 "Wasserstein/std or Jensen-Shannon (>= 0.1) above; PSI >= 0.1.");
  return page.Render();
}

}  // namespace cairn::monitor
