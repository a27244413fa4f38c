#include "cairn/eval/evaluation_report.h"

#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/report/html_page.h"
#include "cairn/report/svg_chart.h"
#include "cairn/stats/ranking_metrics.h"

namespace cairn::eval {

namespace {

std::string Metric(const EvaluationResult& result, const std::string& name) {
  auto it = result.metrics.values.find(name);
  return it == result.metrics.values.end() ? "-" : FormatNumber(it->second, 4);
}

// One-vs-rest scores for class k, as binary labels and scores.
void OneVsRest(const PredictionSet& p, const TargetValues& t, size_t k, std::vector<int>& y, std::vector<double>& s) {
  y.resize(p.rows);
  s.resize(p.rows);
  for (size_t r = 0; r < p.rows; ++r) {
    y[r] = t.classes[r] == static_cast<int>(k) ? 1 : 0;
    s[r] = p.probabilities[r * p.num_classes() + k];
  }
}

bool BothLabels(const std::vector<int>& y) {
  bool zero = false, one = false;
  for (int v : y) (v ? one : zero) = true;
  return zero && one;
}

void AddClassificationCharts(report::HtmlPage& page, const PredictionSet& p, const TargetValues& t) {
  std::vector<report::Series> roc, pr, calibration;
  // Binary: the positive class only; multiclass: one curve per class.
  size_t first = p.num_classes() == 2 ? 1 : 0;
  double positive_rate = 0;
  for (size_t k = first; k < p.num_classes(); ++k) {
    std::vector<int> y;
    std::vector<double> s;
    OneVsRest(p, t, k, y, s);
    if (!BothLabels(y)) continue;
    std::string name = p.num_classes() == 2 ? "model" : "class " + p.class_names[k];
    auto roc_curve = stats::ComputeRocCurve(y, s);
    roc.push_back({name, roc_curve.fpr, roc_curve.tpr, ""});
    auto pr_curve = stats::ComputePrecisionRecallCurve(y, s);
    pr.push_back({name, pr_curve.recall, pr_curve.precision, ""});
    auto cal = stats::ComputeCalibrationCurve(y, s, 10);
    calibration.push_back({name, cal.mean_predicted, cal.fraction_positive, ""});
    if (p.num_classes() == 2) {
      for (int v : y) positive_rate += v;
      positive_rate /= static_cast<double>(y.size());
    }
  }
  std::vector<report::Figure> figures;
  if (!roc.empty()) {
    figures.push_back({report::RenderSvg(report::RocChart(roc)), "ROC curve"});
    std::optional<double> baseline;
    if (p.num_classes() == 2) baseline = positive_rate;
    figures.push_back({report::RenderSvg(report::PrecisionRecallChart(pr, baseline)), "Precision-recall curve"});
    figures.push_back({report::RenderSvg(report::CalibrationChart(calibration)), "Calibration (10 equal bins)"});
  }
  std::vector<std::vector<double>> counts(p.num_classes(), std::vector<double>(p.num_classes(), 0));
  for (size_t r = 0; r < p.rows; ++r) {
    size_t predicted = 0;
    for (size_t k = 1; k < p.num_classes(); ++k) {
      if (p.probabilities[r * p.num_classes() + k] > p.probabilities[r * p.num_classes() + predicted]) predicted = k;
    }
    counts[static_cast<size_t>(t.classes[r])][predicted] += 1;
  }
  figures.push_back({report::RenderSvg(report::ConfusionMatrixChart(p.class_names, counts)),
                     "Confusion matrix (rows: actual, columns: predicted)"});
  page.BeginSection("Charts").AddFigures(figures);
}

}  // namespace

std::string RenderEvaluationReport(const EvaluationResult& result, const PredictionSet& predictions,
                                   const TargetValues& truth) {
  report::HtmlPage page("Evaluation of " + result.model);
  page.SetSubtitle("on " + result.data + ", " + std::to_string(result.rows) + " rows")
      .AddMeta("model", result.model)
      .AddMeta("data", result.data)
      .AddMeta("task", std::string(ModelTaskName(result.task)))
      .AddMeta("generated", FormatUtc(NowMicros()).substr(0, 19) + " UTC");
  page.BeginSection("Summary");
  if (result.task == ModelTask::kRegression) {
    page.AddCards({{"RMSE", Metric(result, "rmse"), "", report::Verdict::kNone},
                   {"MAE", Metric(result, "mae"), "", report::Verdict::kNone},
                   {"R²", Metric(result, "r2"), "", report::Verdict::kNone}});
  } else {
    page.AddCards({{"ROC AUC", Metric(result, "roc_auc"), "", report::Verdict::kNone},
                   {"Accuracy", Metric(result, "accuracy"), "", report::Verdict::kNone},
                   {"F1 (macro)", Metric(result, "f1_macro"), "", report::Verdict::kNone},
                   {"Log loss", Metric(result, "log_loss"), "", report::Verdict::kNone}});
  }
  report::HtmlTable table{{"metric", "value"}, {}, "Every metric recorded for this evaluation"};
  for (const auto& [name, value] : result.metrics.values) table.rows.push_back({{name, FormatNumber(value, 6)}});
  page.AddTable(table);
  if (result.task == ModelTask::kRegression) {
    std::vector<report::Figure> figures{
        {report::RenderSvg(report::PredictedVsActualChart(truth.values, predictions.values)), "Predicted vs actual"},
        {report::RenderSvg(report::ResidualChart(truth.values, predictions.values)), "Residuals"}};
    page.BeginSection("Charts").AddFigures(figures);
  } else {
    AddClassificationCharts(page, predictions, truth);
  }
  page.SetFooter("cairn evaluation report");
  return page.Render();
}

}  // namespace cairn::eval
