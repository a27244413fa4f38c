#include "test_models.h"

#include "cairn/runtime/model_writer.h"

namespace cairn::runtime::testing {

Attribute IntAttribute(const std::string& name, int64_t value) {
  Attribute attribute;
  attribute.name = name;
  attribute.type = AttributeType::kInt;
  attribute.i = value;
  return attribute;
}

ValueInfo FloatInput(const std::string& name, const std::vector<Dimension>& dims) {
  ValueInfo info;
  info.name = name;
  info.type.kind = ValueKind::kTensor;
  info.type.elem_type = DataType::kFloat32;
  info.type.has_shape = true;
  info.type.dims = dims;
  return info;
}

const std::vector<float>& MlpWeights() {
  static const std::vector<float> weights{0.5f, -1.0f, 0.25f, 1.5f, 0.0f, -0.5f, -2.0f, 1.0f, 0.75f, 0.1f, 0.2f, 0.3f};
  return weights;
}

const std::vector<float>& MlpBias() {
  static const std::vector<float> bias{0.1f, -0.2f, 0.3f};
  return bias;
}

Model MlpModel(bool fixed_batch) {
  Model model;
  model.ir_version = 8;
  model.producer_name = "cairn-tests";
  model.opsets[""] = 13;
  model.graph.name = "mlp";
  Dimension batch;
  if (fixed_batch) batch.value = 1;
  else batch.symbol = "batch";
  Dimension four;
  four.value = 4;
  Dimension three;
  three.value = 3;
  model.graph.inputs.push_back(FloatInput("X", {batch, four}));
  model.graph.outputs.push_back(FloatInput("Y", {batch, three}));
  model.graph.initializers.emplace_back("W", Tensor::FromVector<float>({4, 3}, MlpWeights()));
  model.graph.initializers.emplace_back("B", Tensor::FromVector<float>({3}, MlpBias()));
  model.graph.nodes.push_back(Node{"matmul", "MatMul", "", {"X", "W"}, {"XW"}, {}});
  model.graph.nodes.push_back(Node{"add", "Add", "", {"XW", "B"}, {"Z"}, {}});
  model.graph.nodes.push_back(Node{"softmax", "Softmax", "", {"Z"}, {"Y"}, {IntAttribute("axis", 1)}});
  return model;
}

std::string MlpModelBytes() { return SerializeModel(MlpModel()); }

}  // namespace cairn::runtime::testing
