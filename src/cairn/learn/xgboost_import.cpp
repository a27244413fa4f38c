#include "cairn/learn/xgboost_import.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "cairn/core/error.h"
#include "cairn/core/sha256.h"

namespace cairn::learn {
namespace {

using RawJson = nlohmann::json;

const RawJson& Field(const RawJson& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) ThrowInvalidInput("XGBoost model: " + where + "." + key + " is missing");
  return object.at(key);
}

double NumberField(const RawJson& value, const std::string& where) {
  // XGBoost writes model parameters as strings ("5E-1").
  try {
    if (value.is_string()) return std::stod(value.get<std::string>());
    if (value.is_number()) return value.get<double>();
  } catch (const std::exception&) {
  }
  ThrowInvalidInput("XGBoost model: " + where + " is not a number");
}

template <typename T>
std::vector<T> Array(const RawJson& tree, const char* key, size_t index) {
  const RawJson& values = Field(tree, key, "trees[" + std::to_string(index) + "]");
  std::vector<T> out;
  out.reserve(values.size());
  for (const auto& value : values) {
    if (value.is_boolean()) {
      out.push_back(static_cast<T>(value.get<bool>()));
    } else {
      out.push_back(value.get<T>());
    }
  }
  return out;
}

}  // namespace

Task XgboostModel::task() const {
  if (objective.rfind("binary:", 0) == 0) return Task::kBinary;
  if (objective.rfind("multi:", 0) == 0) return Task::kMulticlass;
  return Task::kRegression;
}

double XgboostModel::base_margin() const {
  if (objective == "binary:logistic") return std::log(base_score / (1 - base_score));
  return base_score;
}

XgboostModel ParseXgboostJson(std::string_view json) {
  RawJson root;
  try {
    root = RawJson::parse(json);
  } catch (const RawJson::exception& e) {
    ThrowInvalidInput(std::string("XGBoost model: not JSON: ") + e.what());
  }
  XgboostModel model;
  try {
    const RawJson& learner = Field(root, "learner", "model");
    const RawJson& booster = Field(learner, "gradient_booster", "learner");
    std::string booster_name = Field(booster, "name", "learner.gradient_booster").get<std::string>();
    if (booster_name != "gbtree") ThrowUnsupported("XGBoost model: booster '" + booster_name + "' cannot be converted; only gbtree");
    model.objective = Field(Field(learner, "objective", "learner"), "name", "learner.objective").get<std::string>();
    static const std::vector<std::string> kSupported = {"binary:logistic", "binary:logitraw", "multi:softprob", "multi:softmax",
                                                        "reg:squarederror", "reg:linear", "reg:absoluteerror", "reg:pseudohubererror"};
    if (std::find(kSupported.begin(), kSupported.end(), model.objective) == kSupported.end()) {
      ThrowUnsupported("XGBoost model: objective '" + model.objective + "' cannot be converted");
    }
    const RawJson& params = Field(learner, "learner_model_param", "learner");
    model.base_score = NumberField(Field(params, "base_score", "learner.learner_model_param"), "base_score");
    model.num_class = static_cast<int>(NumberField(Field(params, "num_class", "learner.learner_model_param"), "num_class"));
    model.num_feature = static_cast<int>(NumberField(Field(params, "num_feature", "learner.learner_model_param"), "num_feature"));
    if (learner.contains("feature_names")) {
      for (const auto& name : learner.at("feature_names")) model.feature_names.push_back(name.get<std::string>());
    }
    const RawJson& trees_model = Field(booster, "model", "learner.gradient_booster");
    const RawJson& trees = Field(trees_model, "trees", "learner.gradient_booster.model");
    const RawJson& tree_info = Field(trees_model, "tree_info", "learner.gradient_booster.model");
    if (tree_info.size() != trees.size()) ThrowInvalidInput("XGBoost model: tree_info and trees differ in length");
    for (size_t t = 0; t < trees.size(); ++t) {
      XgboostTree tree;
      tree.left = Array<int32_t>(trees[t], "left_children", t);
      tree.right = Array<int32_t>(trees[t], "right_children", t);
      tree.split_index = Array<int32_t>(trees[t], "split_indices", t);
      tree.split_condition = Array<float>(trees[t], "split_conditions", t);
      tree.default_left = Array<uint8_t>(trees[t], "default_left", t);
      tree.cover = Array<float>(trees[t], "sum_hessian", t);
      size_t n = tree.left.size();
      if (tree.right.size() != n || tree.split_index.size() != n || tree.split_condition.size() != n || tree.default_left.size() != n) {
        ThrowInvalidInput("XGBoost model: trees[" + std::to_string(t) + "] has arrays of different lengths");
      }
      for (size_t i = 0; i < n; ++i) {
        bool leaf = tree.left[i] < 0;
        if (!leaf && (tree.left[i] >= static_cast<int32_t>(n) || tree.right[i] < 0 || tree.right[i] >= static_cast<int32_t>(n) ||
                      tree.split_index[i] < 0 || tree.split_index[i] >= std::max(model.num_feature, 1))) {
          ThrowInvalidInput("XGBoost model: trees[" + std::to_string(t) + "] node " + std::to_string(i) + " points outside the tree");
        }
      }
      model.trees.push_back(std::move(tree));
      model.tree_class.push_back(tree_info[t].get<int>());
    }
  } catch (const RawJson::exception& e) {
    ThrowInvalidInput(std::string("XGBoost model: unexpected layout: ") + e.what());
  }
  return model;
}

void EmitXgboostEnsemble(OnnxGraph& graph, const XgboostModel& model, const EstimatorExport& target) {
  std::vector<int64_t> tree_ids, node_ids, feature_ids, true_ids, false_ids, missing_true;
  std::vector<float> values;
  std::vector<std::string> modes;
  std::vector<int64_t> leaf_tree_ids, leaf_node_ids, leaf_class_ids;
  std::vector<float> leaf_weights;
  bool multiclass = model.task() == Task::kMulticlass;
  for (size_t t = 0; t < model.trees.size(); ++t) {
    const XgboostTree& tree = model.trees[t];
    for (size_t i = 0; i < tree.left.size(); ++i) {
      bool leaf = tree.left[i] < 0;
      tree_ids.push_back(static_cast<int64_t>(t));
      node_ids.push_back(static_cast<int64_t>(i));
      feature_ids.push_back(leaf ? 0 : tree.split_index[i]);
      modes.push_back(leaf ? "LEAF" : "BRANCH_LT");
      values.push_back(leaf ? 0.0f : tree.split_condition[i]);
      true_ids.push_back(leaf ? 0 : tree.left[i]);
      false_ids.push_back(leaf ? 0 : tree.right[i]);
      missing_true.push_back(leaf ? 0 : tree.default_left[i]);
      if (leaf) {
        leaf_tree_ids.push_back(static_cast<int64_t>(t));
        leaf_node_ids.push_back(static_cast<int64_t>(i));
        leaf_class_ids.push_back(multiclass ? model.tree_class[t] : 0);
        leaf_weights.push_back(tree.split_condition[i]);
      }
    }
  }
  auto base = static_cast<float>(model.base_margin());
  if (target.task == Task::kRegression) {
    graph.AddNode("TreeEnsembleRegressor", {target.features}, {"variable"}, kOnnxMlDomain)
        .Ints("nodes_treeids", tree_ids)
        .Ints("nodes_nodeids", node_ids)
        .Ints("nodes_featureids", feature_ids)
        .Strings("nodes_modes", modes)
        .Floats("nodes_values", values)
        .Ints("nodes_truenodeids", true_ids)
        .Ints("nodes_falsenodeids", false_ids)
        .Ints("nodes_missing_value_tracks_true", missing_true)
        .Ints("target_treeids", leaf_tree_ids)
        .Ints("target_nodeids", leaf_node_ids)
        .Ints("target_ids", leaf_class_ids)
        .Floats("target_weights", leaf_weights)
        .Int("n_targets", 1)
        .Floats("base_values", {base})
        .String("aggregate_function", "SUM")
        .String("post_transform", "NONE");
    return;
  }
  size_t classes = target.label_values.size();
  std::vector<float> base_values(multiclass ? classes : 1, base);
  bool raw = model.objective == "binary:logitraw";
  graph.AddNode("TreeEnsembleClassifier", {target.features}, {"label", "probabilities"}, kOnnxMlDomain)
      .Ints("nodes_treeids", tree_ids)
      .Ints("nodes_nodeids", node_ids)
      .Ints("nodes_featureids", feature_ids)
      .Strings("nodes_modes", modes)
      .Floats("nodes_values", values)
      .Ints("nodes_truenodeids", true_ids)
      .Ints("nodes_falsenodeids", false_ids)
      .Ints("nodes_missing_value_tracks_true", missing_true)
      .Ints("class_treeids", leaf_tree_ids)
      .Ints("class_nodeids", leaf_node_ids)
      .Ints("class_ids", leaf_class_ids)
      .Floats("class_weights", leaf_weights)
      .Ints("classlabels_int64s", target.label_values)
      .Floats("base_values", base_values)
      .String("post_transform", raw ? "NONE" : multiclass ? "SOFTMAX" : "LOGISTIC");
}

std::string ImportXgboostJson(std::string_view json_bytes, const std::vector<std::string>& feature_names) {
  XgboostModel model = ParseXgboostJson(json_bytes);
  std::vector<std::string> names = feature_names.empty() ? model.feature_names : feature_names;
  if (names.empty()) {
    for (int i = 0; i < model.num_feature; ++i) names.push_back("f" + std::to_string(i));
  }
  if (static_cast<int>(names.size()) != model.num_feature) {
    ThrowInvalidInput("XGBoost model has " + std::to_string(model.num_feature) + " features but " + std::to_string(names.size()) +
                      " feature names were given");
  }
  OnnxGraph graph("xgboost");
  graph.AddInput({"X", TensorType::kFloat, {-1, model.num_feature}});
  EstimatorExport target{"X", model.task(), {}};
  int classes = model.task() == Task::kMulticlass ? model.num_class : model.task() == Task::kBinary ? 2 : 0;
  for (int k = 0; k < classes; ++k) target.label_values.push_back(k);
  EmitXgboostEnsemble(graph, model, target);
  if (target.task == Task::kRegression) {
    graph.AddOutput({"variable", TensorType::kFloat, {-1, 1}});
  } else {
    graph.AddOutput({"label", TensorType::kInt64, {-1}});
    graph.AddOutput({"probabilities", TensorType::kFloat, {-1, classes}});
  }
  Json order = names;
  graph.SetMetadata("cairn.input", "X");
  graph.SetMetadata("cairn.feature_order", order.dump());
  graph.SetMetadata("cairn.task", std::string(TaskName(target.task)));
  graph.SetMetadata("cairn.model_type", "xgboost");
  graph.SetMetadata("cairn.xgboost_objective", model.objective);
  graph.SetMetadata("cairn.source_sha256", Sha256Hex(json_bytes));
  return graph.Serialize();
}

}  // namespace cairn::learn
