// A tracked training run: validate the config against the dataset, split,
// cross-validate on the training split (or search, each trial a child run
// scored by cross-validation), fit preprocessing and model, and record params,
// test and cross-validated metrics, model.onnx, the native model, test
// predictions, the reference profile and lineage.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/learn/train_config.h"

namespace cairn::learn {

// The run artifact holding the training config as run (JSON, which the YAML config reader accepts).
inline constexpr const char* kTrainConfigArtifact = "train_config.json";

struct TrainingOptions {
  std::filesystem::path config_path;
  std::vector<std::string> overrides;  // --set key=value
  // Recorded as the run's source (git state); the current directory when empty.
  std::filesystem::path source_dir;
};

struct TrainingResult {
  std::string run_id;
  std::string experiment;
  std::string dataset;  // "credit@2"
  std::string model_type;
  Task task = Task::kRegression;
  // The test split's, then "cv.<metric>.mean" and ".std" (the best trial's when searched).
  std::vector<std::pair<std::string, double>> metrics;
  Json best_params = Json::object();
  std::string model_sha256;
  int64_t model_bytes = 0;
  double training_seconds = 0.0;
};

// Every configuration mistake is raised (kInvalidInput, naming file and field)
// before a run is created; a failure after that ends the run as FAILED.
TrainingResult RunTrainingJob(artifacts::Workspace& workspace, const TrainingOptions& options);

Json ToJson(const TrainingResult& result);

}  // namespace cairn::learn
