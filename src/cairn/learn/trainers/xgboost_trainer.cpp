#include "cairn/learn/trainers/xgboost_trainer.h"

#include <xgboost/c_api.h>

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/learn/xgboost_import.h"

namespace cairn::learn {
namespace {

void Check(int status, const char* what) {
  if (status != 0) ThrowInvalidInput(std::string("XGBoost ") + what + ": " + XGBGetLastError());
}

class DMatrix {
 public:
  explicit DMatrix(const FeatureMatrix& x) {
    Check(XGDMatrixCreateFromMat(x.values.data(), x.rows, x.cols, std::nanf(""), &handle_), "matrix");
  }
  ~DMatrix() { XGDMatrixFree(handle_); }
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

class XgboostModelHandle : public Model {
 public:
  XgboostModelHandle(BoosterHandle booster, Task task, int num_classes, int rounds)
      : booster_(booster), task_(task), num_classes_(num_classes), rounds_(rounds) {}
  ~XgboostModelHandle() override { XGBoosterFree(booster_); }

  Predictions Predict(const FeatureMatrix& x) const override {
    DMatrix matrix(x);
    const char* config = R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
    const bst_ulong* shape = nullptr;
    bst_ulong dims = 0;
    const float* result = nullptr;
    Check(XGBoosterPredictFromDMatrix(booster_, matrix.get(), config, &shape, &dims, &result), "predict");
    Predictions out;
    out.rows = x.rows;
    // The result buffer belongs to the booster and is reused by its next call: copy now.
    if (task_ == Task::kBinary) {
      out.width = 2;
      for (size_t i = 0; i < x.rows; ++i) {
        out.values.push_back(1.0 - static_cast<double>(result[i]));
        out.values.push_back(result[i]);
      }
    } else {
      out.width = task_ == Task::kMulticlass ? static_cast<size_t>(num_classes_) : 1;
      out.values.assign(result, result + x.rows * out.width);
    }
    return out;
  }

  void EmitOnnx(OnnxGraph& graph, const EstimatorExport& target) const override {
    EmitXgboostEnsemble(graph, ParseXgboostJson(NativeBytes()), target);
  }

  std::string NativeFileName() const override { return "model.xgboost.json"; }
  std::string NativeBytes() const override {
    bst_ulong length = 0;
    const char* bytes = nullptr;
    Check(XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &length, &bytes), "save");
    return std::string(bytes, length);
  }
  Json Summary() const override { return {{"rounds", rounds_}}; }

 private:
  BoosterHandle booster_;
  Task task_;
  int num_classes_;
  int rounds_;
};

std::vector<ParamSpec> CommonTreeParams(bool forest) {
  std::vector<ParamSpec> specs = {
      {"n_estimators", ParamKind::kInteger, 100, 1, 100000, forest ? "trees in the forest" : "boosting rounds"},
      {"max_depth", ParamKind::kInteger, 6, 0, 64, "deepest split level; 0 for no limit"},
  };
  if (!forest) specs.push_back({"learning_rate", ParamKind::kNumber, 0.3, 1e-9, 1e9, "shrinkage per round"});
  specs.push_back({"min_child_weight", ParamKind::kNumber, 1.0, 0, 1e12, "least hessian sum in a leaf"});
  specs.push_back({"subsample", ParamKind::kNumber, forest ? 0.8 : 1.0, 1e-9, 1, "fraction of rows per tree"});
  if (!forest) specs.push_back({"colsample_bytree", ParamKind::kNumber, 1.0, 1e-9, 1, "fraction of columns per tree"});
  specs.push_back({"colsample_bynode", ParamKind::kNumber, forest ? 0.8 : 1.0, 1e-9, 1, "fraction of columns per split"});
  specs.push_back({"reg_lambda", ParamKind::kNumber, forest ? 1e-5 : 1.0, 0, 1e12, "L2 penalty on leaf values"});
  if (!forest) {
    specs.push_back({"reg_alpha", ParamKind::kNumber, 0.0, 0, 1e12, "L1 penalty on leaf values"});
    specs.push_back({"gamma", ParamKind::kNumber, 0.0, 0, 1e12, "least loss reduction to split"});
  }
  specs.push_back({"max_bin", ParamKind::kInteger, 256, 2, 65536, "histogram bins per feature"});
  specs.push_back({"nthread", ParamKind::kInteger, 0, 0, 1024, "threads; 0 for every core (same model either way)"});
  return specs;
}

std::unique_ptr<Model> Fit(bool forest, const TrainingSet& data, const ModelParams& params, const ProgressFn& progress) {
  DMatrix matrix(data.x);
  std::vector<float> labels(data.y.begin(), data.y.end());
  Check(XGDMatrixSetFloatInfo(matrix.get(), "label", labels.data(), labels.size()), "labels");
  BoosterHandle booster = nullptr;
  DMatrixHandle handles[] = {matrix.get()};
  Check(XGBoosterCreate(handles, 1, &booster), "create");
  auto model = std::make_unique<XgboostModelHandle>(booster, data.task, data.num_classes,
                                                    forest ? 1 : static_cast<int>(params.Integer("n_estimators")));
  for (const auto& [key, value] : XgboostBoosterParams(forest, data, params)) {
    Check(XGBoosterSetParam(booster, key.c_str(), value.c_str()), "parameter");
  }
  int rounds = forest ? 1 : static_cast<int>(params.Integer("n_estimators"));
  for (int round = 0; round < rounds; ++round) {
    Check(XGBoosterUpdateOneIter(booster, round, matrix.get()), "training");
    if (progress) progress(static_cast<uint64_t>(round + 1), static_cast<uint64_t>(rounds));
  }
  return model;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> XgboostBoosterParams(bool forest, const TrainingSet& data, const ModelParams& params) {
  std::vector<std::pair<std::string, std::string>> out;
  switch (data.task) {
    case Task::kBinary:
      out.emplace_back("objective", "binary:logistic");
      break;
    case Task::kMulticlass:
      out.emplace_back("objective", "multi:softprob");
      out.emplace_back("num_class", std::to_string(data.num_classes));
      break;
    case Task::kRegression:
      out.emplace_back("objective", "reg:squarederror");
      break;
  }
  out.emplace_back("tree_method", "hist");
  out.emplace_back("seed", std::to_string(data.seed));
  out.emplace_back("verbosity", "1");
  out.emplace_back("max_depth", std::to_string(params.Integer("max_depth")));
  out.emplace_back("learning_rate", FormatDouble(forest ? 1.0 : params.Number("learning_rate")));
  out.emplace_back("min_child_weight", FormatDouble(params.Number("min_child_weight")));
  out.emplace_back("subsample", FormatDouble(params.Number("subsample")));
  out.emplace_back("colsample_bynode", FormatDouble(params.Number("colsample_bynode")));
  out.emplace_back("reg_lambda", FormatDouble(params.Number("reg_lambda")));
  out.emplace_back("max_bin", std::to_string(params.Integer("max_bin")));
  out.emplace_back("nthread", std::to_string(params.Integer("nthread")));
  if (forest) {
    out.emplace_back("num_parallel_tree", std::to_string(params.Integer("n_estimators")));
  } else {
    out.emplace_back("colsample_bytree", FormatDouble(params.Number("colsample_bytree")));
    out.emplace_back("reg_alpha", FormatDouble(params.Number("reg_alpha")));
    out.emplace_back("gamma", FormatDouble(params.Number("gamma")));
  }
  return out;
}

const std::vector<ParamSpec>& GbdtParams() {
  static const std::vector<ParamSpec> specs = CommonTreeParams(false);
  return specs;
}

const std::vector<ParamSpec>& RandomForestParams() {
  static const std::vector<ParamSpec> specs = CommonTreeParams(true);
  return specs;
}

std::unique_ptr<Model> FitGbdt(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress) {
  return Fit(false, data, params, progress);
}

std::unique_ptr<Model> FitRandomForest(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress) {
  return Fit(true, data, params, progress);
}

}  // namespace cairn::learn
