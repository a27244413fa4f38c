#include "cairn/report/evaluation_page.h"

#include <optional>

#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/report/html_page.h"
#include "cairn/report/svg_chart.h"
#include "cairn/stats/ranking_metrics.h"

namespace cairn::report {

namespace {

std::string Metric(const EvaluationPageInput& input, const std::string& name) {
  auto it = input.metrics.find(name);
  return it == input.metrics.end() ? "-" : FormatNumber(it->second, 4);
}

bool BothLabels(const std::vector<int>& y) {
  bool zero = false, one = false;
  for (int v : y) (v ? one : zero) = true;
  return zero && one;
}

void AddClassificationCharts(HtmlPage& page, const EvaluationPageInput& input) {
  const size_t k_count = input.class_names.size();
  const size_t rows = input.y_classes.size();
  std::vector<Series> roc, pr, calibration;
  // Binary: the positive class only; multiclass: one curve per class (one-vs-rest).
  size_t first = k_count == 2 ? 1 : 0;
  std::optional<double> baseline;
  for (size_t k = first; k < k_count; ++k) {
    std::vector<int> y(rows);
    std::vector<double> s(rows);
    for (size_t r = 0; r < rows; ++r) {
      y[r] = input.y_classes[r] == static_cast<int>(k) ? 1 : 0;
      s[r] = input.probabilities[r * k_count + k];
    }
    if (!BothLabels(y)) continue;
    std::string name = k_count == 2 ? "model" : "class " + input.class_names[k];
    auto roc_curve = stats::ComputeRocCurve(y, s);
    roc.push_back({name, roc_curve.fpr, roc_curve.tpr, ""});
    auto pr_curve = stats::ComputePrecisionRecallCurve(y, s);
    pr.push_back({name, pr_curve.recall, pr_curve.precision, ""});
    auto cal = stats::ComputeCalibrationCurve(y, s, 10);
    calibration.push_back({name, cal.mean_predicted, cal.fraction_positive, ""});
    if (k_count == 2) {
      double positives = 0;
      for (int v : y) positives += v;
      baseline = positives / static_cast<double>(rows);
    }
  }
  std::vector<Figure> figures;
  if (!roc.empty()) {
    figures.push_back({RenderSvg(RocChart(roc)), "ROC curve"});
    figures.push_back({RenderSvg(PrecisionRecallChart(pr, baseline)), "Precision-recall curve"});
    figures.push_back({RenderSvg(CalibrationChart(calibration)), "Calibration (10 equal bins)"});
  }
  std::vector<std::vector<double>> counts(k_count, std::vector<double>(k_count, 0));
  for (size_t r = 0; r < rows; ++r) {
    size_t predicted = 0;
    for (size_t k = 1; k < k_count; ++k) {
      if (input.probabilities[r * k_count + k] > input.probabilities[r * k_count + predicted]) predicted = k;
    }
    counts[static_cast<size_t>(input.y_classes[r])][predicted] += 1;
  }
  figures.push_back({RenderSvg(ConfusionMatrixChart(input.class_names, counts)),
                     "Confusion matrix (rows: actual, columns: predicted)"});
  page.BeginSection("Charts").AddFigures(figures);
}

}  // namespace

std::string RenderEvaluationPage(const EvaluationPageInput& input) {
  HtmlPage page(input.title);
  page.SetSubtitle(input.subtitle);
  for (const auto& [label, value] : input.meta) page.AddMeta(label, value);
  page.AddMeta("generated", FormatUtc(NowMicros()).substr(0, 19) + " UTC");
  page.BeginSection("Summary");
  if (input.regression) {
    page.AddCards({{"RMSE", Metric(input, "rmse"), "", Verdict::kNone},
                   {"MAE", Metric(input, "mae"), "", Verdict::kNone},
                   {"R²", Metric(input, "r2"), "", Verdict::kNone}});
  } else {
    page.AddCards({{"ROC AUC", Metric(input, "roc_auc"), "", Verdict::kNone},
                   {"Accuracy", Metric(input, "accuracy"), "", Verdict::kNone},
                   {"F1 (macro)", Metric(input, "f1_macro"), "", Verdict::kNone},
                   {"Log loss", Metric(input, "log_loss"), "", Verdict::kNone}});
  }
  HtmlTable table{{"metric", "value"}, {}, "Every metric recorded"};
  for (const auto& [name, value] : input.metrics) table.rows.push_back({{name, FormatNumber(value, 6)}});
  page.AddTable(table);
  if (input.regression) {
    std::vector<Figure> figures{
        {RenderSvg(PredictedVsActualChart(input.y_values, input.predictions)), "Predicted vs actual"},
        {RenderSvg(ResidualChart(input.y_values, input.predictions)), "Residuals"}};
    page.BeginSection("Charts").AddFigures(figures);
  } else {
    AddClassificationCharts(page, input);
  }
  page.SetFooter("cairn evaluation report");
  return page.Render();
}

}  // namespace cairn::report
