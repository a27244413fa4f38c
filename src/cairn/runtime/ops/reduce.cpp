// Reductions over axes (ReduceSum, ReduceMean, ReduceMax, ...) and the
// index-returning ArgMax and ArgMin.
#include <cmath>
#include <limits>
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

enum class Reduction { kSum, kMean, kMax, kMin, kProd, kSumSquare, kLogSumExp, kLogSum, kL1, kL2 };

// Which input dimensions are reduced, from axes (possibly negative); empty
// axes reduce everything.
std::vector<bool> ReducedDims(const std::vector<int64_t>& axes, int64_t rank, const std::string& where) {
  std::vector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) reduced[NormalizeAxis(axis, rank, where)] = true;
  return reduced;
}

template <typename T>
using Accumulator = std::conditional_t<std::is_floating_point_v<T>, double,
                                       std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;

template <Reduction kOp>
class ReduceKernel final : public Kernel {
 public:
  explicit ReduceKernel(const KernelInfo& info)
      : axes_from_input_(kOp == Reduction::kSum && info.opset() >= 13),
        axes_(info.GetInts("axes")),
        keepdims_(info.GetInt("keepdims", 1) != 0),
        noop_with_empty_axes_(info.GetInt("noop_with_empty_axes", 0) != 0) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_ && context.HasInput(1)) axes = ReadInt64s(context.Input(1), context.node().Label() + ": axes");
    if (axes.empty() && noop_with_empty_axes_) {
      context.SetOutput(0, x);
      return;
    }
    int64_t rank = static_cast<int64_t>(x.rank());
    std::vector<bool> reduced = ReducedDims(axes, rank, context.node().Label());
    Shape out_shape, kept_shape;  // kept_shape: rank-preserving, 1 on reduced dims
    for (int64_t d = 0; d < rank; ++d) {
      kept_shape.push_back(reduced[d] ? 1 : x.dim(d));
      if (!reduced[d]) out_shape.push_back(x.dim(d));
      else if (keepdims_) out_shape.push_back(1);
    }
    bool done = false;
    DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, bool>) {
        Reduce<T>(context, x, kept_shape, out_shape);
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + x.Describe());
  }

 private:
  template <typename T>
  void Reduce(KernelContext& context, const Tensor& x, const Shape& kept_shape, const Shape& out_shape) const {
    using Acc = Accumulator<T>;
    int64_t out_count = ElementCount(out_shape);
    Acc init = 0;
    if constexpr (kOp == Reduction::kProd) init = 1;
    if constexpr (kOp == Reduction::kMax) init = static_cast<Acc>(std::numeric_limits<T>::lowest());
    if constexpr (kOp == Reduction::kMin) init = static_cast<Acc>(std::numeric_limits<T>::max());
    if constexpr (std::is_floating_point_v<T>) {
      if constexpr (kOp == Reduction::kMax) init = -std::numeric_limits<double>::infinity();
      if constexpr (kOp == Reduction::kMin) init = std::numeric_limits<double>::infinity();
    }
    std::vector<Acc> acc(out_count, init);
    const T* in = x.data<T>();
    // Each input element lands on the output element with its reduced
    // coordinates set to zero.
    ForEachBroadcast2(x.shape(), x.shape(), kept_shape, [&](int64_t i, int64_t, int64_t o) {
      Acc v = static_cast<Acc>(in[i]);
      if constexpr (kOp == Reduction::kSum || kOp == Reduction::kMean || kOp == Reduction::kLogSum) acc[o] += v;
      if constexpr (kOp == Reduction::kProd) acc[o] *= v;
      if constexpr (kOp == Reduction::kMax) acc[o] = (v > acc[o] || v != v) ? v : acc[o];
      if constexpr (kOp == Reduction::kMin) acc[o] = (v < acc[o] || v != v) ? v : acc[o];
      if constexpr (kOp == Reduction::kSumSquare || kOp == Reduction::kL2) acc[o] += v * v;
      if constexpr (kOp == Reduction::kL1) acc[o] += v < 0 ? static_cast<Acc>(0 - v) : v;
      if constexpr (kOp == Reduction::kLogSumExp) acc[o] += static_cast<Acc>(std::exp(static_cast<double>(v)));
    });
    int64_t group = out_count == 0 ? 0 : x.size() / out_count;
    Tensor& y = context.AllocateOutput(0, x.dtype(), out_shape);
    T* out = y.mutable_data<T>();
    for (int64_t o = 0; o < out_count; ++o) {
      double value = static_cast<double>(acc[o]);
      if constexpr (kOp == Reduction::kMean) value = group > 0 ? value / static_cast<double>(group) : NAN;
      if constexpr (kOp == Reduction::kLogSumExp || kOp == Reduction::kLogSum) value = std::log(value);
      if constexpr (kOp == Reduction::kL2) value = std::sqrt(value);
      if constexpr (kOp == Reduction::kSum || kOp == Reduction::kProd || kOp == Reduction::kSumSquare ||
                    kOp == Reduction::kL1 || kOp == Reduction::kMax || kOp == Reduction::kMin) {
        out[o] = static_cast<T>(acc[o]);  // exact for integers
      } else {
        out[o] = static_cast<T>(value);
      }
    }
  }

  bool axes_from_input_;
  std::vector<int64_t> axes_;
  bool keepdims_;
  bool noop_with_empty_axes_;
};

template <bool kMax>
class ArgKernel final : public Kernel {
 public:
  explicit ArgKernel(const KernelInfo& info)
      : axis_(info.GetInt("axis", 0)),
        keepdims_(info.GetInt("keepdims", 1) != 0),
        select_last_index_(info.GetInt("select_last_index", 0) != 0) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t rank = static_cast<int64_t>(x.rank());
    int64_t axis = NormalizeAxis(axis_, rank, context.node().Label());
    int64_t length = x.dim(axis);
    if (length == 0) context.Fail("cannot take the index over an empty axis of " + x.Describe());
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
    for (int64_t d = axis + 1; d < rank; ++d) inner *= x.dim(d);
    Shape out_shape = x.shape();
    if (keepdims_) out_shape[axis] = 1;
    else out_shape.erase(out_shape.begin() + axis);
    bool done = false;
    DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, bool>) {
        Tensor& y = context.AllocateOutput(0, DataType::kInt64, out_shape);
        const T* in = x.data<T>();
        int64_t* out = y.mutable_data<int64_t>();
        for (int64_t o = 0; o < outer; ++o) {
          for (int64_t i = 0; i < inner; ++i) {
            const T* row = in + o * length * inner + i;
            int64_t best = 0;
            for (int64_t j = 1; j < length; ++j) {
              T v = row[j * inner], b = row[best * inner];
              bool better = kMax ? v > b : v < b;
              if (better || (select_last_index_ && v == b)) best = j;
            }
            out[o * inner + i] = best;
          }
        }
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + x.Describe());
  }

 private:
  int64_t axis_;
  bool keepdims_;
  bool select_last_index_;
};

}  // namespace

void RegisterReduceKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "ReduceSum", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kSum>>);
  registry.Add(kOnnxDomain, "ReduceMean", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kMean>>);
  registry.Add(kOnnxDomain, "ReduceMax", {1, 11, 12, 13}, MakeKernel<ReduceKernel<Reduction::kMax>>);
  registry.Add(kOnnxDomain, "ReduceMin", {1, 11, 12, 13}, MakeKernel<ReduceKernel<Reduction::kMin>>);
  registry.Add(kOnnxDomain, "ReduceProd", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kProd>>);
  registry.Add(kOnnxDomain, "ReduceSumSquare", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kSumSquare>>);
  registry.Add(kOnnxDomain, "ReduceLogSumExp", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kLogSumExp>>);
  registry.Add(kOnnxDomain, "ReduceLogSum", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kLogSum>>);
  registry.Add(kOnnxDomain, "ReduceL1", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kL1>>);
  registry.Add(kOnnxDomain, "ReduceL2", {1, 11, 13}, MakeKernel<ReduceKernel<Reduction::kL2>>);
  registry.Add(kOnnxDomain, "ArgMax", {1, 11, 12, 13}, MakeKernel<ArgKernel<true>>);
  registry.Add(kOnnxDomain, "ArgMin", {1, 11, 12, 13}, MakeKernel<ArgKernel<false>>);
}

}  // namespace cairn::runtime
