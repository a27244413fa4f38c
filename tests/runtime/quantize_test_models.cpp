#include "quantize_test_models.h"

#include <cmath>
#include <random>

namespace cairn::runtime::testing {
namespace {

ValueInfo FloatValue(const std::string& name, std::vector<Dimension> dims) {
  ValueInfo info;
  info.name = name;
  info.type.elem_type = DataType::kFloat32;
  info.type.has_shape = true;
  info.type.dims = std::move(dims);
  return info;
}

Dimension Fixed(int64_t value) {
  Dimension d;
  d.value = value;
  return d;
}

Dimension Batch() {
  Dimension d;
  d.symbol = "N";
  return d;
}

// Weights scaled like a trained layer's (He initialisation) so that
// activations keep a realistic range through the layers.
Tensor RandomMatrix(int64_t rows, int64_t cols, double fan_in, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, static_cast<float>(std::sqrt(2.0 / fan_in)));
  std::vector<float> values(rows * cols);
  for (float& v : values) v = normal(rng);
  return Tensor::FromVector<float>({rows, cols}, values);
}

Attribute MakeAttribute(const std::string& name, AttributeType type, int64_t i, float f) {
  Attribute a;
  a.name = name;
  a.type = type;
  a.i = i;
  a.f = f;
  return a;
}

Model BaseModel(const std::string& name) {
  Model model;
  model.ir_version = 8;
  model.producer_name = "cairn-tests";
  model.opsets[""] = 17;
  model.graph.name = name;
  return model;
}

}  // namespace

Model QuantizeMlpModel(int64_t features, int64_t classes, uint32_t seed) {
  std::mt19937 rng(seed);
  Model model = BaseModel("mlp");
  constexpr int64_t kHidden = 256;
  auto& g = model.graph;
  g.inputs.push_back(FloatValue("X", {Batch(), Fixed(features)}));
  g.outputs.push_back(FloatValue("probabilities", {Batch(), Fixed(classes)}));
  g.initializers.emplace_back("W1", RandomMatrix(kHidden, features, features, rng));  // [out, in]: transB
  g.initializers.emplace_back("B1", RandomMatrix(1, kHidden, 100, rng).Reshaped({kHidden}));
  g.initializers.emplace_back("W2", RandomMatrix(kHidden, kHidden, kHidden, rng));
  g.initializers.emplace_back("B2", RandomMatrix(1, kHidden, 100, rng).Reshaped({kHidden}));
  g.initializers.emplace_back("W3", RandomMatrix(kHidden, classes, kHidden, rng));
  g.initializers.emplace_back("B3", RandomMatrix(1, classes, 100, rng).Reshaped({classes}));
  g.nodes.push_back(Node{"fc1", "Gemm", "", {"X", "W1", "B1"}, {"h1"},
                         {MakeAttribute("transB", AttributeType::kInt, 1, 0)}});
  g.nodes.push_back(Node{"relu1", "Relu", "", {"h1"}, {"a1"}, {}});
  g.nodes.push_back(Node{"fc2", "MatMul", "", {"a1", "W2"}, {"h2"}, {}});
  g.nodes.push_back(Node{"bias2", "Add", "", {"h2", "B2"}, {"z2"}, {}});
  g.nodes.push_back(Node{"relu2", "Relu", "", {"z2"}, {"a2"}, {}});
  g.nodes.push_back(Node{"fc3", "Gemm", "", {"a2", "W3", "B3"}, {"logits"},
                         {MakeAttribute("alpha", AttributeType::kFloat, 0, 0.5f),
                          MakeAttribute("beta", AttributeType::kFloat, 0, 2.0f)}});
  g.nodes.push_back(Node{"softmax", "Softmax", "", {"logits"}, {"probabilities"},
                         {MakeAttribute("axis", AttributeType::kInt, 1, 0)}});
  return model;
}

Model QuantizeLinearModel(int64_t features, uint32_t seed) {
  std::mt19937 rng(seed);
  Model model = BaseModel("logistic");
  auto& g = model.graph;
  g.inputs.push_back(FloatValue("X", {Batch(), Fixed(features)}));
  g.outputs.push_back(FloatValue("probability", {Batch(), Fixed(1)}));
  g.initializers.emplace_back("coef", RandomMatrix(features, 1, features, rng));
  g.initializers.emplace_back("intercept", Tensor::FromVector<float>({1}, {0.25f}));
  g.nodes.push_back(Node{"linear", "MatMul", "", {"X", "coef"}, {"margin"}, {}});
  g.nodes.push_back(Node{"intercept", "Add", "", {"margin", "intercept"}, {"z"}, {}});
  g.nodes.push_back(Node{"sigmoid", "Sigmoid", "", {"z"}, {"probability"}, {}});
  return model;
}

std::vector<float> RandomRows(int64_t rows, int64_t features, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(rows * features);
  for (float& v : values) v = normal(rng);
  return values;
}

}  // namespace cairn::runtime::testing
