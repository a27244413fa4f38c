// One ONNX graph per trained model: the fitted preprocessing in front of the
// estimator, named inputs per feature, `label` + `probabilities` or
// `variable` outputs, and metadata that identifies what it was trained on
// (never a run id or a time, so the same training gives the same bytes).
#pragma once

#include <string>
#include <vector>

#include "cairn/learn/preprocessing.h"
#include "cairn/learn/train_config.h"
#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

struct ModelDescription {
  std::string model_type;  // "gbdt"
  Task task = Task::kRegression;
  std::string target;
  // Classes in index order, as text, and what the `label` output holds for each:
  // the class values for integer and boolean targets, else the index.
  std::vector<std::string> class_names;
  std::vector<int64_t> label_values;
  std::string training_data_sha256;  // of the training split's rows and columns used
  std::string config_sha256;
};

// Serialized ONNX bytes (ir_version 8, opset 17, ai.onnx.ml 3).
std::string ExportModel(const Preprocessor& preprocessor, const Model& model, const ModelDescription& description);

}  // namespace cairn::learn
