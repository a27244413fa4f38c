#include "cairn/eval/evaluation_report.h"

#include "cairn/report/evaluation_page.h"

namespace cairn::eval {

std::string RenderEvaluationReport(const EvaluationResult& result, const PredictionSet& predictions,
                                   const TargetValues& truth) {
  report::EvaluationPageInput input;
  input.title = "Evaluation of " + result.model;
  input.subtitle = "on " + result.data + ", " + std::to_string(result.rows) + " rows";
  input.meta = {{"model", result.model}, {"data", result.data}, {"task", std::string(ModelTaskName(result.task))}};
  input.regression = result.task == ModelTask::kRegression;
  input.metrics = result.metrics.values;
  input.class_names = predictions.class_names;
  input.y_classes = truth.classes;
  input.probabilities = predictions.probabilities;
  input.y_values = truth.values;
  input.predictions = predictions.values;
  return report::RenderEvaluationPage(input);
}

}  // namespace cairn::eval
