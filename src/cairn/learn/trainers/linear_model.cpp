#include "cairn/learn/trainers/linear_model.h"

#include <cmath>

namespace cairn::learn {
namespace {

class LinearModel : public Model {
 public:
  LinearModel(LinearCoefficients coefficients, Task task) : c_(std::move(coefficients)), task_(task) {}

  const LinearCoefficients& coefficients() const { return c_; }

  Predictions Predict(const FeatureMatrix& x) const override {
    Predictions out;
    out.rows = x.rows;
    size_t features = x.cols;
    std::vector<double> scores(c_.outputs);
    for (size_t i = 0; i < x.rows; ++i) {
      for (size_t k = 0; k < c_.outputs; ++k) {
        double score = c_.intercepts[k];
        for (size_t j = 0; j < features; ++j) score += c_.weights[k * features + j] * x.at(i, j);
        scores[k] = score;
      }
      if (task_ == Task::kRegression) {
        out.values.push_back(scores[0]);
      } else if (task_ == Task::kBinary) {
        double p = 1 / (1 + std::exp(-scores[0]));
        out.values.push_back(1 - p);
        out.values.push_back(p);
      } else {
        double top = *std::max_element(scores.begin(), scores.end());
        double sum = 0;
        for (double& s : scores) sum += (s = std::exp(s - top));
        for (double s : scores) out.values.push_back(s / sum);
      }
    }
    out.width = task_ == Task::kRegression ? 1 : task_ == Task::kBinary ? 2 : c_.outputs;
    return out;
  }

  void EmitOnnx(OnnxGraph& graph, const EstimatorExport& target) const override {
    std::vector<float> weights(c_.weights.begin(), c_.weights.end());
    std::vector<float> intercepts(c_.intercepts.begin(), c_.intercepts.end());
    if (task_ == Task::kRegression) {
      graph.AddNode("LinearRegressor", {target.features}, {"variable"}, kOnnxMlDomain)
          .Floats("coefficients", weights)
          .Floats("intercepts", intercepts)
          .Int("targets", 1);
      return;
    }
    if (task_ == Task::kBinary) {
      // Two rows [0, w] with softmax give exactly [1 - sigmoid(s), sigmoid(s)],
      // the same layout as the multiclass case.
      std::vector<float> rows(weights.size(), 0.0f);
      rows.insert(rows.end(), weights.begin(), weights.end());
      weights = rows;
      intercepts = {0.0f, intercepts[0]};
    }
    graph.AddNode("LinearClassifier", {target.features}, {"label", "probabilities"}, kOnnxMlDomain)
        .Floats("coefficients", weights)
        .Floats("intercepts", intercepts)
        .Ints("classlabels_ints", target.label_values)
        .Int("multi_class", 0)
        .String("post_transform", "SOFTMAX");
  }

  Json Summary() const override { return {{"iterations", c_.iterations}}; }

 private:
  LinearCoefficients c_;
  Task task_;
};

}  // namespace

std::unique_ptr<Model> MakeLinearModel(LinearCoefficients coefficients, Task task) {
  return std::make_unique<LinearModel>(std::move(coefficients), task);
}

const LinearCoefficients* CoefficientsOf(const Model& model) {
  const auto* linear = dynamic_cast<const LinearModel*>(&model);
  return linear ? &linear->coefficients() : nullptr;
}

}  // namespace cairn::learn
