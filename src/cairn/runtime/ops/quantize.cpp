// Linear quantization: QuantizeLinear and DequantizeLinear (per tensor and per
// axis), DynamicQuantizeLinear, and the integer matrix products MatMulInteger
// and QLinearMatMul.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/matmul_integer.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

// Rounds half to even, as ONNX's quantizers do, then saturates to Q's range.
template <typename Q>
Q Saturate(double value) {
  double rounded = std::nearbyint(value);
  rounded = std::clamp(rounded, static_cast<double>(std::numeric_limits<Q>::lowest()),
                       static_cast<double>(std::numeric_limits<Q>::max()));
  return static_cast<Q>(rounded);
}

// For a scale of one element or one per slice along `axis`, the index of the
// scale that element i of `x` uses.
struct AxisLayout {
  int64_t inner = 1;   // elements per step along the axis
  int64_t length = 1;  // scale count (1 for per-tensor)
  int64_t ScaleIndex(int64_t i) const { return length == 1 ? 0 : (i / inner) % length; }
};

AxisLayout LayoutFor(const KernelContext& context, const Tensor& x, const Tensor& scale, int64_t axis_attribute) {
  AxisLayout layout;
  if (scale.size() == 1 && scale.rank() <= 1) return layout;
  if (scale.rank() != 1) context.Fail("scale must be a scalar or 1-D, got " + scale.Describe());
  int64_t axis = NormalizeAxis(axis_attribute, static_cast<int64_t>(x.rank()), context.node().Label());
  if (x.dim(axis) != scale.size()) {
    context.Fail("scale " + scale.Describe() + " does not match axis " + std::to_string(axis) + " of " + x.Describe());
  }
  layout.length = scale.size();
  for (size_t d = axis + 1; d < x.rank(); ++d) layout.inner *= x.dim(d);
  return layout;
}

class QuantizeLinearKernel final : public Kernel {
 public:
  explicit QuantizeLinearKernel(const KernelInfo& info) : axis_(info.GetInt("axis", 1)) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    const Tensor& scale = context.Input(1);
    const Tensor* zero_point = context.OptionalInput(2);
    if (scale.dtype() != DataType::kFloat32) context.Fail("y_scale must be float32, not " + scale.Describe());
    AxisLayout layout = LayoutFor(context, x, scale, axis_);
    if (zero_point != nullptr && zero_point->size() != scale.size()) {
      context.Fail("y_zero_point " + zero_point->Describe() + " does not match y_scale " + scale.Describe());
    }
    DataType out_type = zero_point != nullptr ? zero_point->dtype() : DataType::kUint8;
    bool done = false;
    auto quantize = [&](auto tag) {
      using Q = typename decltype(tag)::type;
      Tensor& y = context.AllocateOutput(0, out_type, x.shape());
      Q* out = y.mutable_data<Q>();
      const float* s = scale.data<float>();
      for (int64_t i = 0; i < x.size(); ++i) {
        int64_t k = layout.ScaleIndex(i);
        double zp = zero_point != nullptr ? static_cast<double>(zero_point->data<Q>()[k]) : 0.0;
        // Round x / scale first, then add the zero point, as the spec orders it.
        double q = std::nearbyint(x.ValueAsDouble(i) / static_cast<double>(s[k])) + zp;
        out[i] = Saturate<Q>(q);
      }
      done = true;
    };
    if (x.dtype() != DataType::kFloat32 && x.dtype() != DataType::kInt32) context.Fail("does not take " + x.Describe());
    if (out_type == DataType::kUint8) quantize(TypeTag<uint8_t>{});
    if (out_type == DataType::kInt8) quantize(TypeTag<int8_t>{});
    if (!done) context.Fail("cannot quantize to " + std::string(DataTypeName(out_type)));
  }

 private:
  int64_t axis_;
};

class DequantizeLinearKernel final : public Kernel {
 public:
  explicit DequantizeLinearKernel(const KernelInfo& info) : axis_(info.GetInt("axis", 1)) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    const Tensor& scale = context.Input(1);
    const Tensor* zero_point = context.OptionalInput(2);
    if (scale.dtype() != DataType::kFloat32) context.Fail("x_scale must be float32, not " + scale.Describe());
    if (x.dtype() != DataType::kUint8 && x.dtype() != DataType::kInt8 && x.dtype() != DataType::kInt32) {
      context.Fail("does not take " + x.Describe());
    }
    if (zero_point != nullptr && (zero_point->dtype() != x.dtype() || zero_point->size() != scale.size())) {
      context.Fail("x_zero_point " + zero_point->Describe() + " does not match x " + x.Describe() + " and x_scale " +
                   scale.Describe());
    }
    AxisLayout layout = LayoutFor(context, x, scale, axis_);
    Tensor& y = context.AllocateOutput(0, DataType::kFloat32, x.shape());
    float* out = y.mutable_data<float>();
    const float* s = scale.data<float>();
    for (int64_t i = 0; i < x.size(); ++i) {
      int64_t k = layout.ScaleIndex(i);
      double zp = zero_point != nullptr ? zero_point->ValueAsDouble(k) : 0.0;
      out[i] = static_cast<float>((x.ValueAsDouble(i) - zp) * s[k]);
    }
  }

 private:
  int64_t axis_;
};

class DynamicQuantizeLinearKernel final : public Kernel {
 public:
  explicit DynamicQuantizeLinearKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    if (x.dtype() != DataType::kFloat32) context.Fail("does not take " + x.Describe());
    const float* in = x.data<float>();
    const int64_t count = x.size();
    // The range always includes 0 so that 0 is exactly representable.
    float lo = 0, hi = 0;
    for (int64_t i = 0; i < count; ++i) {
      lo = std::min(lo, in[i]);
      hi = std::max(hi, in[i]);
    }
    float scale = (hi - lo) / 255.0f;
    uint8_t zero_point = scale == 0 ? 0 : Saturate<uint8_t>(-lo / scale);
    Tensor& y = context.AllocateOutput(0, DataType::kUint8, x.shape());
    uint8_t* out = y.mutable_data<uint8_t>();
    if (scale == 0) {
      std::fill(out, out + count, zero_point);
    } else {
      // x / scale is clamped to the values that stay in range after adding
      // the zero point (clamping before rounding is the same, as the bounds
      // are integers), then rounded half to even by adding and removing
      // 1.5 * 2^23: exact for |v| < 2^22 in round-to-nearest float
      // arithmetic, and a loop the compiler vectorizes, unlike nearbyint.
      const float low = -static_cast<float>(zero_point);
      const float high = 255.0f - static_cast<float>(zero_point);
      constexpr float kRound = 12582912.0f;
      for (int64_t i = 0; i < count; ++i) {
        float v = in[i] / scale;
        v = v >= low ? v : low;  // also maps NaN to the low end
        v = v <= high ? v : high;
        float rounded = (v + kRound) - kRound;
        out[i] = static_cast<uint8_t>(static_cast<int32_t>(rounded) + zero_point);
      }
    }
    context.SetOutput(1, Tensor::Scalar<float>(scale));
    context.SetOutput(2, Tensor::Scalar<uint8_t>(zero_point));
  }
};

class QLinearMatMulKernel final : public Kernel {
 public:
  explicit QLinearMatMulKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& a_scale = context.Input(1);
    const Tensor& b_scale = context.Input(4);
    const Tensor& y_scale = context.Input(6);
    const Tensor& y_zero = context.Input(7);
    for (const Tensor* s : {&a_scale, &b_scale, &y_scale}) {
      if (s->dtype() != DataType::kFloat32) context.Fail("scales must be float32, not " + s->Describe());
    }
    if (y_scale.size() != 1 || y_zero.size() != 1) context.Fail("y_scale and y_zero_point must be scalars");
    Tensor acc = IntegerMatMul(context, context.Input(0), &context.Input(2), context.Input(3), &context.Input(5));
    int64_t n = acc.rank() > 0 ? acc.dim(acc.rank() - 1) : 1;
    int64_t m = acc.rank() > 1 ? acc.dim(acc.rank() - 2) : 1;
    Tensor& y = context.AllocateOutput(0, y_zero.dtype(), acc.shape());
    const int32_t* pa = acc.data<int32_t>();
    double ys = y_scale.data<float>()[0];
    double yz = y_zero.ValueAsDouble(0);
    auto write = [&](auto tag) {
      using Q = typename decltype(tag)::type;
      Q* out = y.mutable_data<Q>();
      for (int64_t i = 0; i < acc.size(); ++i) {
        int64_t row = (i / n) % m, col = i % n;
        double as = a_scale.data<float>()[a_scale.size() == 1 ? 0 : row];
        double bs = b_scale.data<float>()[b_scale.size() == 1 ? 0 : col];
        out[i] = Saturate<Q>(std::nearbyint(pa[i] * (as * bs / ys)) + yz);
      }
    };
    if (y_zero.dtype() == DataType::kUint8) write(TypeTag<uint8_t>{});
    else if (y_zero.dtype() == DataType::kInt8) write(TypeTag<int8_t>{});
    else context.Fail("y_zero_point must be uint8 or int8, not " + y_zero.Describe());
  }
};

}  // namespace

void RegisterQuantizeKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "QuantizeLinear", {10, 13}, MakeKernel<QuantizeLinearKernel>);
  registry.Add(kOnnxDomain, "DequantizeLinear", {10, 13}, MakeKernel<DequantizeLinearKernel>);
  registry.Add(kOnnxDomain, "DynamicQuantizeLinear", 11, MakeKernel<DynamicQuantizeLinearKernel>);
  registry.Add(kOnnxDomain, "MatMulInteger", 10, MakeMatMulIntegerKernel);
  registry.Add(kOnnxDomain, "QLinearMatMul", 10, MakeKernel<QLinearMatMulKernel>);
}

}  // namespace cairn::runtime
