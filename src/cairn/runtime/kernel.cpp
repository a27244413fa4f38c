#include "cairn/runtime/kernel.h"

#include "cairn/core/error.h"
#include "cairn/runtime/tensor_pool.h"

namespace cairn::runtime {

KernelInfo::KernelInfo(const Node& node, int64_t opset, std::vector<const Tensor*> constant_inputs)
    : node_(node), opset_(opset), constant_inputs_(std::move(constant_inputs)) {
  constant_inputs_.resize(node.inputs.size(), nullptr);
}

bool KernelInfo::HasInput(size_t index) const { return index < node_.inputs.size() && !node_.inputs[index].empty(); }

const Tensor* KernelInfo::ConstantInput(size_t index) const {
  return index < constant_inputs_.size() ? constant_inputs_[index] : nullptr;
}

bool KernelInfo::HasAttribute(std::string_view name) const { return node_.FindAttribute(name) != nullptr; }

const Attribute* KernelInfo::Find(std::string_view name, AttributeType type) const {
  const Attribute* attribute = node_.FindAttribute(name);
  if (attribute != nullptr && attribute->type != type) {
    Fail("attribute '" + std::string(name) + "' is " + std::string(AttributeTypeName(attribute->type)) + ", not " +
         std::string(AttributeTypeName(type)));
  }
  return attribute;
}

int64_t KernelInfo::GetInt(std::string_view name, int64_t fallback) const {
  const Attribute* a = Find(name, AttributeType::kInt);
  return a ? a->i : fallback;
}

float KernelInfo::GetFloat(std::string_view name, float fallback) const {
  const Attribute* a = Find(name, AttributeType::kFloat);
  return a ? a->f : fallback;
}

std::string KernelInfo::GetString(std::string_view name, std::string_view fallback) const {
  const Attribute* a = Find(name, AttributeType::kString);
  return a ? a->s : std::string(fallback);
}

std::vector<int64_t> KernelInfo::GetInts(std::string_view name) const {
  const Attribute* a = Find(name, AttributeType::kInts);
  return a ? a->ints : std::vector<int64_t>{};
}

std::vector<float> KernelInfo::GetFloats(std::string_view name) const {
  const Attribute* a = Find(name, AttributeType::kFloats);
  return a ? a->floats : std::vector<float>{};
}

std::vector<std::string> KernelInfo::GetStrings(std::string_view name) const {
  const Attribute* a = Find(name, AttributeType::kStrings);
  return a ? a->strings : std::vector<std::string>{};
}

std::optional<Tensor> KernelInfo::GetTensor(std::string_view name) const {
  const Attribute* a = Find(name, AttributeType::kTensor);
  if (a == nullptr) return std::nullopt;
  return a->t;
}

int64_t KernelInfo::RequireInt(std::string_view name) const {
  if (!HasAttribute(name)) Fail("required attribute '" + std::string(name) + "' is missing");
  return GetInt(name, 0);
}

float KernelInfo::RequireFloat(std::string_view name) const {
  if (!HasAttribute(name)) Fail("required attribute '" + std::string(name) + "' is missing");
  return GetFloat(name, 0);
}

std::string KernelInfo::RequireString(std::string_view name) const {
  if (!HasAttribute(name)) Fail("required attribute '" + std::string(name) + "' is missing");
  return GetString(name, "");
}

Tensor KernelInfo::RequireTensor(std::string_view name) const {
  auto tensor = GetTensor(name);
  if (!tensor) Fail("required attribute '" + std::string(name) + "' is missing");
  return *tensor;
}

void KernelInfo::Fail(const std::string& message) const { ThrowInvalidInput(node_.Label() + ": " + message); }

KernelContext::KernelContext(const Node& node, std::span<const Value* const> inputs, std::vector<Value>* outputs,
                             TensorPool* pool)
    : node_(node), inputs_(inputs), outputs_(outputs), pool_(pool) {}

bool KernelContext::HasInput(size_t index) const {
  return index < inputs_.size() && inputs_[index] != nullptr && !inputs_[index]->empty();
}

const Value& KernelContext::InputValue(size_t index) const {
  if (!HasInput(index)) Fail("input " + std::to_string(index) + " is missing");
  return *inputs_[index];
}

const Tensor& KernelContext::Input(size_t index) const {
  const Value& value = InputValue(index);
  if (!value.is_tensor()) Fail("input " + std::to_string(index) + " is " + value.Describe() + ", not a tensor");
  return value.tensor();
}

const Tensor* KernelContext::OptionalInput(size_t index) const {
  if (!HasInput(index)) return nullptr;
  return &Input(index);
}

bool KernelContext::NeedsOutput(size_t index) const {
  return index < node_.outputs.size() && !node_.outputs[index].empty();
}

Tensor& KernelContext::AllocateOutput(size_t index, DataType dtype, const Shape& shape) {
  if (index >= outputs_->size()) Fail("has no output " + std::to_string(index));
  for (int64_t d : shape) {
    if (d < 0) Fail("output shape " + ShapeToString(shape) + " has a negative dimension");
  }
  Value& slot = (*outputs_)[index];
  slot = pool_ != nullptr ? pool_->Allocate(dtype, shape) : Tensor(dtype, shape);
  return slot.mutable_tensor();
}

void KernelContext::SetOutput(size_t index, Value value) {
  if (index >= outputs_->size()) Fail("has no output " + std::to_string(index));
  (*outputs_)[index] = std::move(value);
}

void KernelContext::Fail(const std::string& message) const { ThrowInvalidInput(node_.Label() + ": " + message); }

}  // namespace cairn::runtime
