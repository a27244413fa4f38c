#include "cairn/eval/evaluation.h"

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/data/table_reader.h"
#include "cairn/eval/evaluation_report.h"
#include "cairn/store/dataset.h"

namespace cairn::eval {

namespace fs = std::filesystem;

EvaluationData LoadEvaluationData(artifacts::Workspace& workspace, const std::string& ref) {
  EvaluationData data;
  std::error_code ec;
  if (fs::is_regular_file(ref, ec)) {
    data.table = data::ReadTableFile(ref);
    data.label = ref;
    return data;
  }
  store::DatasetVersion version = artifacts::GetDataset(workspace, ref);
  data.table = artifacts::LoadDataset(workspace, version);
  data.label = store::FormatDatasetRef(version.name, version.version);
  data.dataset_name = version.name;
  data.dataset_version = version.version;
  return data;
}

EvaluationResult EvaluateLoaded(const ScoringModel& model, const EvaluationData& data, const std::string& target,
                                PredictionSet* predictions_out, TargetValues* targets_out) {
  TargetValues truth = ReadTarget(model, data.table, target);
  PredictionSet predictions = Predict(model, data.table);
  EvaluationResult result;
  result.model = model.label();
  result.data = data.label;
  result.task = predictions.task;
  result.rows = predictions.rows;
  if (predictions.task == ModelTask::kRegression) {
    result.metrics = stats::RegressionSuite(truth.values, predictions.values);
  } else {
    result.metrics =
        stats::ClassificationSuite(truth.classes, predictions.probabilities, predictions.num_classes(), predictions.class_names);
  }
  if (predictions_out != nullptr) *predictions_out = std::move(predictions);
  if (targets_out != nullptr) *targets_out = std::move(truth);
  return result;
}

EvaluationResult EvaluateModel(artifacts::Workspace& workspace, const std::string& model_ref,
                               const std::string& data_ref, const EvaluationOptions& options) {
  ScoringModel model = ScoringModel::Open(workspace, model_ref);
  EvaluationData data = LoadEvaluationData(workspace, data_ref);
  PredictionSet predictions;
  TargetValues truth;
  EvaluationResult result = EvaluateLoaded(model, data, options.target, &predictions, &truth);
  if (options.record && model.version() && data.dataset_name) {
    store::NewEvaluation evaluation;
    evaluation.model_name = model.version()->name;
    evaluation.model_version = model.version()->version;
    evaluation.dataset_name = *data.dataset_name;
    evaluation.dataset_version = *data.dataset_version;
    evaluation.metrics = result.metrics.ToJson();
    workspace.store().models().RecordEvaluation(evaluation);
    result.recorded = true;
  }
  if (!options.report.empty()) {
    WriteFileAtomic(options.report, RenderEvaluationReport(result, predictions, truth));
    result.report = options.report.string();
  }
  return result;
}

Json ToJson(const EvaluationResult& result) {
  Json json{{"model", result.model},
            {"data", result.data},
            {"task", ModelTaskName(result.task)},
            {"rows", result.rows},
            {"metrics", result.metrics.ToJson()},
            {"recorded", result.recorded}};
  if (!result.report.empty()) json["report"] = result.report;
  return json;
}

}  // namespace cairn::eval
