// XGBoost JSON models (as XGBoosterSaveModel writes them) read into parallel
// tree arrays and emitted as ONNX TreeEnsembleClassifier/Regressor nodes:
// the export path of cairn's gbdt and random_forest trainers and of
// `cairn models import-xgboost`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/learn/onnx_graph.h"
#include "cairn/learn/train_config.h"
#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

// One tree as XGBoost stores it: node i's children (-1 at leaves), split
// feature and threshold (x < threshold goes left), the side missing values
// take, and the leaf value in split_conditions at leaves.
struct XgboostTree {
  std::vector<int32_t> left;
  std::vector<int32_t> right;
  std::vector<int32_t> split_index;
  std::vector<float> split_condition;
  std::vector<uint8_t> default_left;
  std::vector<float> cover;  // sum_hessian
};

struct XgboostModel {
  std::string objective;  // "binary:logistic", "multi:softprob", "reg:squarederror", ...
  int num_class = 0;      // 0 or 1 outside multiclass objectives
  int num_feature = 0;
  double base_score = 0.5;  // as stored: a probability for binary:logistic
  std::vector<XgboostTree> trees;
  std::vector<int> tree_class;
  std::vector<std::string> feature_names;  // empty when the model has none

  Task task() const;
  // The margin every row starts from (logit of base_score for binary:logistic).
  double base_margin() const;
};

// kInvalidInput naming the missing or malformed field; kUnsupported for
// boosters and objectives cairn does not convert (dart, gblinear, ranking...).
XgboostModel ParseXgboostJson(std::string_view json);

// TreeEnsembleClassifier (label, probabilities) or TreeEnsembleRegressor (variable).
void EmitXgboostEnsemble(OnnxGraph& graph, const XgboostModel& model, const EstimatorExport& target);

// A whole ONNX model with one float input "X" [N, num_feature]; the column
// order (feature_names, or the model's own names, or f0, f1...) is in the
// metadata "cairn.feature_order".
std::string ImportXgboostJson(std::string_view json_bytes, const std::vector<std::string>& feature_names);

}  // namespace cairn::learn
