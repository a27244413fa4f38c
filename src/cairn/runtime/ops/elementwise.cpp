// Elementwise arithmetic: unary math, binary arithmetic with numpy
// broadcasting, Pow, and the variadic Sum, Min and Max.
#include <cmath>
#include <limits>
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

// ---- Unary -----------------------------------------------------------------

struct ReluFn {
  template <typename T>
  T operator()(T x) const { return x > T(0) ? x : T(0); }
};
struct SigmoidFn {
  template <typename T>
  T operator()(T x) const {
    // Split by sign so that exp never overflows.
    if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
    T e = std::exp(x);
    return e / (T(1) + e);
  }
};
struct TanhFn {
  template <typename T>
  T operator()(T x) const { return std::tanh(x); }
};
struct ExpFn {
  template <typename T>
  T operator()(T x) const { return std::exp(x); }
};
struct LogFn {
  template <typename T>
  T operator()(T x) const { return std::log(x); }
};
struct SqrtFn {
  template <typename T>
  T operator()(T x) const { return std::sqrt(x); }
};
struct FloorFn {
  template <typename T>
  T operator()(T x) const { return std::floor(x); }
};
struct CeilFn {
  template <typename T>
  T operator()(T x) const { return std::ceil(x); }
};
struct AbsFn {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_unsigned_v<T>) {
      return x;
    } else {
      return x < T(0) ? static_cast<T>(-x) : x;
    }
  }
};
struct NegFn {
  template <typename T>
  T operator()(T x) const { return static_cast<T>(-x); }
};

template <typename T>
constexpr bool kIsFloat = std::is_same_v<T, float> || std::is_same_v<T, double>;
template <typename T>
constexpr bool kIsArithmetic = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

// kFloatOnly: the op is defined for float types only (Exp, Log, ...); else
// for every signed or unsigned number too (Abs, Neg, Relu).
template <typename Fn, bool kFloatOnly>
class UnaryKernel final : public Kernel {
 public:
  explicit UnaryKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    bool done = false;
    DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kIsFloat<T> || (!kFloatOnly && kIsArithmetic<T>)) {
        Tensor& y = context.AllocateOutput(0, x.dtype(), x.shape());
        const T* in = x.data<T>();
        T* out = y.mutable_data<T>();
        Fn fn;
        for (int64_t i = 0; i < x.size(); ++i) out[i] = fn(in[i]);
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + x.Describe());
  }
};

// ---- Binary arithmetic -----------------------------------------------------

enum class Arithmetic { kAdd, kSub, kMul, kDiv };

template <Arithmetic kOp>
class ArithmeticKernel final : public Kernel {
 public:
  explicit ArithmeticKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor& b = context.Input(1);
    if (a.dtype() != b.dtype()) context.Fail("inputs differ in type: " + a.Describe() + " and " + b.Describe());
    Shape shape = BroadcastShapes(a.shape(), b.shape(), context.node().Label());
    bool done = false;
    bool divided_by_zero = false;
    DispatchNumeric(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kIsArithmetic<T>) {
        Tensor& y = context.AllocateOutput(0, a.dtype(), shape);
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        T* out = y.mutable_data<T>();
        ForEachBroadcast2(shape, a.shape(), b.shape(), [&](int64_t o, int64_t ia, int64_t ib) {
          if constexpr (kOp == Arithmetic::kAdd) out[o] = static_cast<T>(pa[ia] + pb[ib]);
          if constexpr (kOp == Arithmetic::kSub) out[o] = static_cast<T>(pa[ia] - pb[ib]);
          if constexpr (kOp == Arithmetic::kMul) out[o] = static_cast<T>(pa[ia] * pb[ib]);
          if constexpr (kOp == Arithmetic::kDiv) {
            if constexpr (std::is_integral_v<T>) {
              if (pb[ib] == 0) {
                divided_by_zero = true;
                return;
              }
            }
            out[o] = static_cast<T>(pa[ia] / pb[ib]);
          }
        });
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + a.Describe());
    if (divided_by_zero) context.Fail("integer division by zero");
  }
};

class PowKernel final : public Kernel {
 public:
  explicit PowKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor& b = context.Input(1);
    Shape shape = BroadcastShapes(a.shape(), b.shape(), context.node().Label());
    if (!kIsNumber(a.dtype()) || !kIsNumber(b.dtype())) {
      context.Fail("does not take " + a.Describe() + " and " + b.Describe());
    }
    Tensor& y = context.AllocateOutput(0, a.dtype(), shape);
    DispatchNumeric(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kIsArithmetic<T>) {
        const T* pa = a.data<T>();
        T* out = y.mutable_data<T>();
        ForEachBroadcast2(shape, a.shape(), b.shape(), [&](int64_t o, int64_t ia, int64_t ib) {
          double value = std::pow(static_cast<double>(pa[ia]), b.ValueAsDouble(ib));
          if constexpr (kIsFloat<T>) {
            out[o] = static_cast<T>(value);
          } else {
            // Integer results of pow are exact in double for the ranges tested.
            out[o] = std::isfinite(value) ? static_cast<T>(static_cast<int64_t>(value)) : T(0);
          }
        });
      }
    });
  }

 private:
  static bool kIsNumber(DataType type) { return IsFloatingType(type) || IsIntegerType(type); }
};

// ---- Variadic --------------------------------------------------------------

enum class Variadic { kSum, kMin, kMax, kMean };

template <Variadic kOp>
class VariadicKernel final : public Kernel {
 public:
  explicit VariadicKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& first = context.Input(0);
    Shape shape = first.shape();
    for (size_t i = 1; i < context.input_count(); ++i) {
      const Tensor& next = context.Input(i);
      if (next.dtype() != first.dtype()) context.Fail("inputs differ in type: " + first.Describe() + " and " + next.Describe());
      shape = BroadcastShapes(shape, next.shape(), context.node().Label());
    }
    bool done = false;
    DispatchNumeric(first.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kIsArithmetic<T>) {
        Tensor& y = context.AllocateOutput(0, first.dtype(), shape);
        T* out = y.mutable_data<T>();
        const T* p0 = first.data<T>();
        ForEachBroadcast2(shape, shape, first.shape(), [&](int64_t o, int64_t, int64_t i0) { out[o] = p0[i0]; });
        for (size_t i = 1; i < context.input_count(); ++i) {
          const Tensor& next = context.Input(i);
          const T* p = next.data<T>();
          ForEachBroadcast2(shape, shape, next.shape(), [&](int64_t o, int64_t, int64_t j) {
            if constexpr (kOp == Variadic::kSum || kOp == Variadic::kMean) out[o] = static_cast<T>(out[o] + p[j]);
            if constexpr (kOp == Variadic::kMin) out[o] = (p[j] < out[o] || std::isnan(static_cast<double>(p[j]))) ? p[j] : out[o];
            if constexpr (kOp == Variadic::kMax) out[o] = (p[j] > out[o] || std::isnan(static_cast<double>(p[j]))) ? p[j] : out[o];
          });
        }
        if constexpr (kOp == Variadic::kMean) {
          for (int64_t o = 0; o < y.size(); ++o) out[o] = static_cast<T>(out[o] / static_cast<T>(context.input_count()));
        }
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + first.Describe());
  }
};

}  // namespace

void RegisterElementwiseKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "Relu", {6, 13, 14}, MakeKernel<UnaryKernel<ReluFn, false>>);
  registry.Add(kOnnxDomain, "Sigmoid", {6, 13}, MakeKernel<UnaryKernel<SigmoidFn, true>>);
  registry.Add(kOnnxDomain, "Tanh", {6, 13}, MakeKernel<UnaryKernel<TanhFn, true>>);
  registry.Add(kOnnxDomain, "Exp", {6, 13}, MakeKernel<UnaryKernel<ExpFn, true>>);
  registry.Add(kOnnxDomain, "Log", {6, 13}, MakeKernel<UnaryKernel<LogFn, true>>);
  registry.Add(kOnnxDomain, "Sqrt", {6, 13}, MakeKernel<UnaryKernel<SqrtFn, true>>);
  registry.Add(kOnnxDomain, "Abs", {6, 13}, MakeKernel<UnaryKernel<AbsFn, false>>);
  registry.Add(kOnnxDomain, "Floor", {6, 13}, MakeKernel<UnaryKernel<FloorFn, true>>);
  registry.Add(kOnnxDomain, "Ceil", {6, 13}, MakeKernel<UnaryKernel<CeilFn, true>>);

  registry.Add(kOnnxDomain, "Neg", {6, 13}, MakeKernel<UnaryKernel<NegFn, false>>);

  registry.Add(kOnnxDomain, "Add", {7, 13, 14}, MakeKernel<ArithmeticKernel<Arithmetic::kAdd>>);
  registry.Add(kOnnxDomain, "Sub", {7, 13, 14}, MakeKernel<ArithmeticKernel<Arithmetic::kSub>>);
  registry.Add(kOnnxDomain, "Mul", {7, 13, 14}, MakeKernel<ArithmeticKernel<Arithmetic::kMul>>);
  registry.Add(kOnnxDomain, "Div", {7, 13, 14}, MakeKernel<ArithmeticKernel<Arithmetic::kDiv>>);
  registry.Add(kOnnxDomain, "Pow", {7, 12, 13, 15}, MakeKernel<PowKernel>);

  registry.Add(kOnnxDomain, "Sum", {6, 8, 13}, MakeKernel<VariadicKernel<Variadic::kSum>>);
  registry.Add(kOnnxDomain, "Mean", {6, 8, 13}, MakeKernel<VariadicKernel<Variadic::kMean>>);
  registry.Add(kOnnxDomain, "Min", {6, 8, 12, 13}, MakeKernel<VariadicKernel<Variadic::kMin>>);
  registry.Add(kOnnxDomain, "Max", {6, 8, 12, 13}, MakeKernel<VariadicKernel<Variadic::kMax>>);
}

}  // namespace cairn::runtime
