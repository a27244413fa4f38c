// Evaluating a model on a dataset: score every row, compute the metric suite,
// record the evaluation in the registry, optionally write an HTML report.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/data/table.h"
#include "cairn/eval/prediction_set.h"
#include "cairn/eval/scoring_model.h"
#include "cairn/stats/metric_suite.h"

namespace cairn::eval {

// A dataset reference (NAME@VERSION, NAME@latest) or a CSV/JSON Lines file,
// loaded; `label` is what reports call it.
struct EvaluationData {
  data::Table table;
  std::string label;
  std::optional<std::string> dataset_name;
  std::optional<int64_t> dataset_version;
};
EvaluationData LoadEvaluationData(artifacts::Workspace& workspace, const std::string& ref);

struct EvaluationOptions {
  std::string target;             // the target column, when not the model's own
  std::filesystem::path report;   // write an HTML report here when not empty
  bool record = true;             // record in the registry (registry models on dataset versions)
};

struct EvaluationResult {
  std::string model;
  std::string data;
  ModelTask task = ModelTask::kRegression;
  size_t rows = 0;
  stats::MetricSuite metrics;
  bool recorded = false;
  std::string report;
};

EvaluationResult EvaluateModel(artifacts::Workspace& workspace, const std::string& model_ref,
                               const std::string& data_ref, const EvaluationOptions& options = {});

// The same for a model and data already loaded; nothing is recorded.
EvaluationResult EvaluateLoaded(const ScoringModel& model, const EvaluationData& data, const std::string& target,
                                PredictionSet* predictions_out = nullptr, TargetValues* targets_out = nullptr);

Json ToJson(const EvaluationResult& result);

}  // namespace cairn::eval
