// Linear quantization: QuantizeLinear and DequantizeLinear (per tensor and per
// axis), DynamicQuantizeLinear, and the integer matrix products MatMulInteger
// and QLinearMatMul.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
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
    // The range always includes 0 so that 0 is exactly representable.
    float lo = 0, hi = 0;
    for (int64_t i = 0; i < x.size(); ++i) {
      lo = std::min(lo, in[i]);
      hi = std::max(hi, in[i]);
    }
    float scale = (hi - lo) / 255.0f;
    uint8_t zero_point = scale == 0 ? 0 : Saturate<uint8_t>(-lo / scale);
    Tensor& y = context.AllocateOutput(0, DataType::kUint8, x.shape());
    uint8_t* out = y.mutable_data<uint8_t>();
    for (int64_t i = 0; i < x.size(); ++i) {
      out[i] = scale == 0 ? zero_point : Saturate<uint8_t>(std::nearbyint(in[i] / scale) + zero_point);
    }
    context.SetOutput(1, Tensor::Scalar<float>(scale));
    context.SetOutput(2, Tensor::Scalar<uint8_t>(zero_point));
  }
};

using Int32Matrix = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// (A - a_zero_point) x (B - b_zero_point) in int32 with numpy matmul batch
// broadcasting. a_zero_point is a scalar or one per row of A; b_zero_point a
// scalar or one per column of B.
Tensor IntegerMatMul(const KernelContext& context, const Tensor& a, const Tensor* a_zero, const Tensor& b,
                     const Tensor* b_zero) {
  auto is_8bit = [](DataType t) { return t == DataType::kUint8 || t == DataType::kInt8; };
  if (!is_8bit(a.dtype()) || !is_8bit(b.dtype())) {
    context.Fail("takes 8-bit integer matrices, not " + a.Describe() + " and " + b.Describe());
  }
  if (a.rank() == 0 || b.rank() == 0) context.Fail("inputs must have rank 1 or more");
  Shape sa = a.shape(), sb = b.shape();
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  if (sb[sb.size() - 2] != k) context.Fail("inner dimensions differ: " + a.Describe() + " times " + b.Describe());
  if (a_zero != nullptr && a_zero->size() != 1 && a_zero->size() != m) {
    context.Fail("a_zero_point " + a_zero->Describe() + " must be a scalar or one per row");
  }
  if (b_zero != nullptr && b_zero->size() != 1 && b_zero->size() != n) {
    context.Fail("b_zero_point " + b_zero->Describe() + " must be a scalar or one per column");
  }
  Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  Shape batch = BroadcastShapes(batch_a, batch_b, context.node().Label());
  Shape out_shape = batch;
  if (a.rank() > 1) out_shape.push_back(m);
  if (b.rank() > 1) out_shape.push_back(n);
  Tensor y(DataType::kInt32, out_shape);
  int32_t* py = y.mutable_data<int32_t>();
  auto zero = [](const Tensor* zp, int64_t i) {
    return zp == nullptr ? 0 : static_cast<int32_t>(zp->ValueAsDouble(zp->size() == 1 ? 0 : i));
  };
  Int32Matrix ma(m, k), mb(k, n);
  ForEachBroadcast2(batch, batch_a, batch_b, [&](int64_t o, int64_t ia, int64_t ib) {
    for (int64_t r = 0; r < m; ++r) {
      for (int64_t c = 0; c < k; ++c) {
        ma(r, c) = static_cast<int32_t>(a.ValueAsDouble(ia * m * k + r * k + c)) - zero(a_zero, r);
      }
    }
    for (int64_t r = 0; r < k; ++r) {
      for (int64_t c = 0; c < n; ++c) {
        mb(r, c) = static_cast<int32_t>(b.ValueAsDouble(ib * k * n + r * n + c)) - zero(b_zero, c);
      }
    }
    Eigen::Map<Int32Matrix>(py + o * m * n, m, n).noalias() = ma * mb;
  });
  return y;
}

class MatMulIntegerKernel final : public Kernel {
 public:
  explicit MatMulIntegerKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    context.SetOutput(0, IntegerMatMul(context, context.Input(0), context.OptionalInput(2), context.Input(1),
                                       context.OptionalInput(3)));
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
  registry.Add(kOnnxDomain, "MatMulInteger", 10, MakeKernel<MatMulIntegerKernel>);
  registry.Add(kOnnxDomain, "QLinearMatMul", 10, MakeKernel<QLinearMatMulKernel>);
}

}  // namespace cairn::runtime
