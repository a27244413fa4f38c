// The op kernel interface: one Kernel per graph node, built once from the
// node's attributes, then computed any number of times, from many threads.
//
// Writing a kernel:
//   class ScalerKernel final : public Kernel {
//    public:
//     explicit ScalerKernel(const KernelInfo& info)
//         : offset_(info.GetFloats("offset")), scale_(info.GetFloats("scale")) {}
//     void Compute(KernelContext& context) const override {
//       const Tensor& x = context.Input(0);
//       Tensor& y = context.AllocateOutput(0, DataType::kFloat32, x.shape());
//       ...
//     }
//    private:
//     std::vector<float> offset_, scale_;
//   };
// and add it to a registration function (see op_registry.h):
//   registry.Add(kOnnxMlDomain, "Scaler", 1, MakeKernel<ScalerKernel>);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/runtime/model.h"
#include "cairn/runtime/tensor.h"
#include "cairn/runtime/value.h"

namespace cairn::runtime {

class TensorPool;

// What a kernel constructor sees: the node, its attributes, the opset it runs
// under, and the values of inputs that are constant at load time.
class KernelInfo {
 public:
  KernelInfo(const Node& node, int64_t opset, std::vector<const Tensor*> constant_inputs);

  const Node& node() const { return node_; }
  // The model's opset for the node's domain.
  int64_t opset() const { return opset_; }
  // Counts include absent optional inputs ("" names) in the middle.
  size_t input_count() const { return node_.inputs.size(); }
  size_t output_count() const { return node_.outputs.size(); }
  bool HasInput(size_t index) const;
  // The input's value when it is an initializer or folded constant, else
  // null. Valid only during construction: copy the Tensor (cheap) to keep it.
  const Tensor* ConstantInput(size_t index) const;

  bool HasAttribute(std::string_view name) const;
  // Typed getters: the default when absent; kInvalidInput naming the node and
  // the attribute when present with another type.
  int64_t GetInt(std::string_view name, int64_t fallback) const;
  float GetFloat(std::string_view name, float fallback) const;
  std::string GetString(std::string_view name, std::string_view fallback) const;
  std::vector<int64_t> GetInts(std::string_view name) const;
  std::vector<float> GetFloats(std::string_view name) const;
  std::vector<std::string> GetStrings(std::string_view name) const;
  std::optional<Tensor> GetTensor(std::string_view name) const;
  // As above, but kInvalidInput when absent.
  int64_t RequireInt(std::string_view name) const;
  float RequireFloat(std::string_view name) const;
  std::string RequireString(std::string_view name) const;
  Tensor RequireTensor(std::string_view name) const;

  // kInvalidInput: "<node label>: <message>".
  [[noreturn]] void Fail(const std::string& message) const;

 private:
  const Attribute* Find(std::string_view name, AttributeType type) const;

  const Node& node_;
  int64_t opset_;
  std::vector<const Tensor*> constant_inputs_;
};

// What Compute sees: this call's inputs and a place for its outputs. One
// context per node per Session::Run call; never shared between threads.
class KernelContext {
 public:
  // `inputs` must outlive the context. `pool`, when given, recycles buffers
  // of values that died earlier in the same call.
  KernelContext(const Node& node, std::span<const Value* const> inputs, std::vector<Value>* outputs,
                TensorPool* pool = nullptr);

  const Node& node() const { return node_; }
  size_t input_count() const { return inputs_.size(); }
  size_t output_count() const { return outputs_->size(); }

  // Whether optional input `index` was given (named and bound to a value).
  bool HasInput(size_t index) const;
  // The input as a tensor; kInvalidInput naming the node when it is absent or
  // not a tensor.
  const Tensor& Input(size_t index) const;
  // Null when the optional input is absent.
  const Tensor* OptionalInput(size_t index) const;
  const Value& InputValue(size_t index) const;

  // Whether output `index` is consumed or a graph output (optional outputs
  // named "" need not be computed).
  bool NeedsOutput(size_t index) const;
  // A new tensor for output `index` (zero-filled), owned by this call.
  Tensor& AllocateOutput(size_t index, DataType dtype, const Shape& shape);
  // Pass a ready tensor (a view of an input, for Identity or Reshape).
  void SetOutput(size_t index, Value value);

  // kInvalidInput: "<node label>: <message>".
  [[noreturn]] void Fail(const std::string& message) const;

 private:
  const Node& node_;
  std::span<const Value* const> inputs_;
  std::vector<Value>* outputs_;
  TensorPool* pool_;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Reads inputs, writes every needed output. Must not modify the kernel:
  // one kernel serves every concurrent Session::Run.
  virtual void Compute(KernelContext& context) const = 0;
};

// The factory type the registry stores; MakeKernel<K> fits it for any K with
// an explicit K(const KernelInfo&) constructor.
using KernelFactory = std::unique_ptr<Kernel> (*)(const KernelInfo& info);

template <typename K>
std::unique_ptr<Kernel> MakeKernel(const KernelInfo& info) {
  return std::make_unique<K>(info);
}

}  // namespace cairn::runtime
