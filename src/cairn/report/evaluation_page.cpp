#include "cairn/report/evaluation_page.h"

#include <cmath>
#include <optional>

#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/report/html_page.h"
#include "cairn/report/svg_chart.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/ranking_metrics.h"

namespace cairn::report {

namespace {

// An undefined value reads "-" (as a metric the data cannot define does), never
// the "nan" a formatter would print; tables keep "-" out of a column's kind.
std::string Number(double value, int significant) { return std::isfinite(value) ? FormatNumber(value, significant) : "-"; }

std::string Metric(const EvaluationPageInput& input, const std::string& name) {
  auto it = input.metrics.find(name);
  return it == input.metrics.end() ? "-" : Number(it->second, 4);
}

bool BothLabels(const std::vector<int>& y) {
  bool zero = false, one = false;
  for (int v : y) (v ? one : zero) = true;
  return zero && one;
}

// Numeric class names ("0", "1") read poorly alone in a legend; others stand as they are.
std::string ClassLegend(const std::string& name) {
  bool numeric = !name.empty() && name.find_first_not_of("0123456789.-") == std::string::npos;
  return numeric ? "class " + name : name;
}

void AddPerClassTable(HtmlPage& page, const EvaluationPageInput& input, const std::vector<int>& predicted) {
  const size_t k_count = input.class_names.size();
  std::vector<int> labels(k_count);
  for (size_t k = 0; k < k_count; ++k) labels[k] = static_cast<int>(k);
  stats::PrecisionRecallF1 scores = stats::ComputePrecisionRecallF1(input.y_classes, predicted, labels);
  std::vector<int64_t> predicted_rows(k_count, 0);
  for (int p : predicted) ++predicted_rows[static_cast<size_t>(p)];
  HtmlTable table{{"class", "actual rows", "predicted rows", "precision", "recall", "F1"}, {},
                  "Each class against the rest; a row's predicted class is its most probable one"};
  for (const auto& s : scores.per_class) {
    const auto k = static_cast<size_t>(s.label);
    table.rows.push_back({{input.class_names[k], std::to_string(s.support), std::to_string(predicted_rows[k]),
                           Number(s.precision, 4), Number(s.recall, 4), Number(s.f1, 4)}});
  }
  table.rows.push_back({{"macro average", std::to_string(input.y_classes.size()), std::to_string(predicted.size()),
                         Number(scores.macro_precision, 4), Number(scores.macro_recall, 4), Number(scores.macro_f1, 4)}});
  page.BeginSection("Per class").AddTable(table);
  if (scores.zero_division) {
    page.AddNote("A class that is never predicted (or never present) has precision (or recall) 0, as scikit-learn reports it.");
  }
}

void AddClassificationCharts(HtmlPage& page, const EvaluationPageInput& input, const std::vector<int>& predicted) {
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
    std::string name = k_count == 2 ? "model" : ClassLegend(input.class_names[k]);
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
  for (size_t r = 0; r < rows; ++r) counts[static_cast<size_t>(input.y_classes[r])][static_cast<size_t>(predicted[r])] += 1;
  figures.push_back({RenderSvg(ConfusionMatrixChart(input.class_names, counts)),
                     "Confusion matrix (rows: actual, columns: predicted)"});
  page.BeginSection("Charts").AddFigures(figures);
}

void AddCrossValidation(HtmlPage& page, const EvaluationPageInput& input) {
  if (input.cross_validation.empty()) return;
  HtmlTable table{{"metric", "mean", "std"}, {}, ""};
  for (const auto& m : input.cross_validation) table.rows.push_back({{m.metric, Number(m.mean, 6), Number(m.std, 6)}});
  page.BeginSection("Cross-validation", std::to_string(input.cv_folds) +
                                            " folds of the training split, each scored by a model fitted on the others: "
                                            "the mean over the folds and the standard deviation (ddof 0).")
      .AddTable(table);
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
  for (const auto& [name, value] : input.metrics) table.rows.push_back({{name, Number(value, 6)}});
  page.AddTable(table);
  if (input.regression) {
    std::vector<Figure> figures{
        {RenderSvg(PredictedVsActualChart(input.y_values, input.predictions)), "Predicted vs actual"},
        {RenderSvg(ResidualChart(input.y_values, input.predictions)), "Residuals (actual minus predicted)"}};
    page.BeginSection("Charts").AddFigures(figures);
  } else if (!input.class_names.empty()) {
    std::vector<int> predicted = stats::ArgMaxLabels(input.probabilities, input.class_names.size());
    AddPerClassTable(page, input, predicted);
    AddClassificationCharts(page, input, predicted);
  }
  AddCrossValidation(page, input);
  page.SetFooter("cairn evaluation report");
  return page.Render();
}

}  // namespace cairn::report
