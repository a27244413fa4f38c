// What every trainer shares: the data it fits on, the fitted model's interface
// (predict, emit itself as ONNX nodes, its native file) and progress reporting.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/learn/feature_matrix.h"
#include "cairn/learn/onnx_graph.h"
#include "cairn/learn/train_config.h"
#include "cairn/learn/trainers/model_params.h"

namespace cairn::learn {

struct TrainingSet {
  const FeatureMatrix& x;
  std::span<const double> y;  // class index 0..num_classes-1 for classification
  Task task = Task::kRegression;
  int num_classes = 1;  // 1 for regression
  uint64_t seed = 0;
};

// Row-major: class probabilities (width = number of classes) or one value per row.
struct Predictions {
  size_t rows = 0;
  size_t width = 0;
  std::vector<double> values;
  double at(size_t row, size_t col) const { return values[row * width + col]; }
};

// Graph outputs: "label" (int64 [N], the entries of label_values) and
// "probabilities" (float [N, K]) for classifiers, "variable" (float [N, 1]) for regressors.
struct EstimatorExport {
  std::string features;                // the [N, F] float tensor
  Task task = Task::kRegression;
  std::vector<int64_t> label_values;   // what "label" holds for class k
};

class Model {
 public:
  virtual ~Model() = default;
  virtual Predictions Predict(const FeatureMatrix& x) const = 0;
  // Adds the estimator's nodes and the named outputs described above.
  virtual void EmitOnnx(OnnxGraph& graph, const EstimatorExport& target) const = 0;
  // The trainer's own file format ("xgboost.json") and bytes; empty when none.
  virtual std::string NativeFileName() const { return ""; }
  virtual std::string NativeBytes() const { return ""; }
  // Numbers worth recording: iterations, epochs, best validation loss...
  virtual Json Summary() const { return Json::object(); }
};

// Called with (done, total) as rounds, epochs or iterations complete.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

using FitFn = std::unique_ptr<Model> (*)(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);

// Shared by the estimators that end in class scores: Softmax/Sigmoid and ArgMax
// over `probabilities`, mapping indices to label_values with Gather when needed.
void EmitLabelFromProbabilities(OnnxGraph& graph, const std::string& probabilities, const EstimatorExport& target);

}  // namespace cairn::learn
