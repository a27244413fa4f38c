// Comparisons, boolean logic and Where, all with numpy broadcasting.
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

enum class Comparison { kEqual, kLess, kGreater, kLessOrEqual, kGreaterOrEqual };

template <Comparison kOp>
class CompareKernel final : public Kernel {
 public:
  explicit CompareKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor& b = context.Input(1);
    if (a.dtype() != b.dtype()) context.Fail("inputs differ in type: " + a.Describe() + " and " + b.Describe());
    Shape shape = BroadcastShapes(a.shape(), b.shape(), context.node().Label());
    Tensor& y = context.AllocateOutput(0, DataType::kBool, shape);
    bool* out = y.mutable_data<bool>();
    bool done = DispatchAny(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* pa = a.data<T>();
      const T* pb = b.data<T>();
      ForEachBroadcast2(shape, a.shape(), b.shape(), [&](int64_t o, int64_t ia, int64_t ib) {
        if constexpr (kOp == Comparison::kEqual) out[o] = pa[ia] == pb[ib];
        if constexpr (kOp == Comparison::kLess) out[o] = pa[ia] < pb[ib];
        if constexpr (kOp == Comparison::kGreater) out[o] = pa[ia] > pb[ib];
        if constexpr (kOp == Comparison::kLessOrEqual) out[o] = pa[ia] <= pb[ib];
        if constexpr (kOp == Comparison::kGreaterOrEqual) out[o] = pa[ia] >= pb[ib];
      });
    });
    if (!done) context.Fail("does not take " + a.Describe());
  }
};

enum class Logic { kAnd, kOr, kXor };

template <Logic kOp>
class LogicKernel final : public Kernel {
 public:
  explicit LogicKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor& b = context.Input(1);
    if (a.dtype() != DataType::kBool || b.dtype() != DataType::kBool) {
      context.Fail("takes bool tensors, not " + a.Describe() + " and " + b.Describe());
    }
    Shape shape = BroadcastShapes(a.shape(), b.shape(), context.node().Label());
    Tensor& y = context.AllocateOutput(0, DataType::kBool, shape);
    bool* out = y.mutable_data<bool>();
    const bool* pa = a.data<bool>();
    const bool* pb = b.data<bool>();
    ForEachBroadcast2(shape, a.shape(), b.shape(), [&](int64_t o, int64_t ia, int64_t ib) {
      if constexpr (kOp == Logic::kAnd) out[o] = pa[ia] && pb[ib];
      if constexpr (kOp == Logic::kOr) out[o] = pa[ia] || pb[ib];
      if constexpr (kOp == Logic::kXor) out[o] = pa[ia] != pb[ib];
    });
  }
};

class NotKernel final : public Kernel {
 public:
  explicit NotKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    if (x.dtype() != DataType::kBool) context.Fail("takes a bool tensor, not " + x.Describe());
    Tensor& y = context.AllocateOutput(0, DataType::kBool, x.shape());
    const bool* in = x.data<bool>();
    bool* out = y.mutable_data<bool>();
    for (int64_t i = 0; i < x.size(); ++i) out[i] = !in[i];
  }
};

class WhereKernel final : public Kernel {
 public:
  explicit WhereKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& condition = context.Input(0);
    const Tensor& x = context.Input(1);
    const Tensor& y = context.Input(2);
    if (condition.dtype() != DataType::kBool) context.Fail("condition must be bool, not " + condition.Describe());
    if (x.dtype() != y.dtype()) context.Fail("X and Y differ in type: " + x.Describe() + " and " + y.Describe());
    std::string where = context.node().Label();
    Shape shape = BroadcastShapes(BroadcastShapes(condition.shape(), x.shape(), where), y.shape(), where);
    Tensor& out = context.AllocateOutput(0, x.dtype(), shape);
    DispatchAny(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const bool* pc = condition.data<bool>();
      const T* px = x.data<T>();
      const T* py = y.data<T>();
      T* po = out.mutable_data<T>();
      ForEachBroadcast3(shape, condition.shape(), x.shape(), y.shape(),
                        [&](int64_t o, int64_t ic, int64_t ix, int64_t iy) { po[o] = pc[ic] ? px[ix] : py[iy]; });
    });
  }
};

}  // namespace

void RegisterLogicKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "Equal", {7, 11, 13}, MakeKernel<CompareKernel<Comparison::kEqual>>);
  registry.Add(kOnnxDomain, "Less", {7, 9, 13}, MakeKernel<CompareKernel<Comparison::kLess>>);
  registry.Add(kOnnxDomain, "Greater", {7, 9, 13}, MakeKernel<CompareKernel<Comparison::kGreater>>);
  registry.Add(kOnnxDomain, "LessOrEqual", {12, 16}, MakeKernel<CompareKernel<Comparison::kLessOrEqual>>);
  registry.Add(kOnnxDomain, "GreaterOrEqual", {12, 16}, MakeKernel<CompareKernel<Comparison::kGreaterOrEqual>>);
  registry.Add(kOnnxDomain, "And", 7, MakeKernel<LogicKernel<Logic::kAnd>>);
  registry.Add(kOnnxDomain, "Or", 7, MakeKernel<LogicKernel<Logic::kOr>>);
  registry.Add(kOnnxDomain, "Xor", 7, MakeKernel<LogicKernel<Logic::kXor>>);
  registry.Add(kOnnxDomain, "Not", 1, MakeKernel<NotKernel>);
  registry.Add(kOnnxDomain, "Where", {9, 16}, MakeKernel<WhereKernel>);
}

}  // namespace cairn::runtime
