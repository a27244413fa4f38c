// Ops that move data without arithmetic: Constant, Identity, Shape, Reshape,
// Flatten, Squeeze, Unsqueeze (views where possible), Transpose, Concat,
// Gather and Slice (copies).
#include <algorithm>
#include <limits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

// Copies out[o] = in[offset(o)] for every output element, where offset is
// start + sum(index[d] * strides[d]); used by Transpose and Slice.
void StridedCopy(const Tensor& in, Tensor& out, int64_t start, const std::vector<int64_t>& strides) {
  const Shape& shape = out.shape();
  int64_t total = out.size();
  if (total == 0) return;
  DispatchAny(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = in.data<T>();
    T* dst = out.mutable_data<T>();
    std::vector<int64_t> index(shape.size(), 0);
    int64_t offset = start;
    for (int64_t o = 0; o < total; ++o) {
      dst[o] = src[offset];
      for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
        if (++index[d] < shape[d]) {
          offset += strides[d];
          break;
        }
        offset -= strides[d] * (shape[d] - 1);
        index[d] = 0;
      }
    }
  });
}

class ConstantKernel final : public Kernel {
 public:
  explicit ConstantKernel(const KernelInfo& info) {
    if (info.HasAttribute("value")) {
      value_ = info.RequireTensor("value");
    } else if (info.HasAttribute("value_float")) {
      value_ = Tensor::Scalar<float>(info.RequireFloat("value_float"));
    } else if (info.HasAttribute("value_floats")) {
      auto floats = info.GetFloats("value_floats");
      value_ = Tensor::FromVector<float>({static_cast<int64_t>(floats.size())}, floats);
    } else if (info.HasAttribute("value_int")) {
      value_ = Tensor::Scalar<int64_t>(info.RequireInt("value_int"));
    } else if (info.HasAttribute("value_ints")) {
      auto ints = info.GetInts("value_ints");
      value_ = Tensor::FromVector<int64_t>({static_cast<int64_t>(ints.size())}, ints);
    } else if (info.HasAttribute("value_string")) {
      value_ = Tensor::Scalar<std::string>(info.RequireString("value_string"));
    } else if (info.HasAttribute("value_strings")) {
      auto strings = info.GetStrings("value_strings");
      value_ = Tensor::FromVector<std::string>({static_cast<int64_t>(strings.size())}, strings);
    } else {
      info.Fail("has no value attribute cairn reads (sparse constants are not supported)");
    }
  }
  void Compute(KernelContext& context) const override { context.SetOutput(0, value_); }

 private:
  Tensor value_;
};

class IdentityKernel final : public Kernel {
 public:
  explicit IdentityKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override { context.SetOutput(0, context.InputValue(0)); }
};

class ShapeKernel final : public Kernel {
 public:
  explicit ShapeKernel(const KernelInfo& info)
      : start_(info.GetInt("start", 0)), end_(info.GetInt("end", std::numeric_limits<int64_t>::max())) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t rank = static_cast<int64_t>(x.rank());
    auto clamp = [&](int64_t v) { return std::clamp(v < 0 ? v + rank : v, int64_t{0}, rank); };
    int64_t start = clamp(start_), end = std::max(clamp(end_), start);
    std::vector<int64_t> dims(x.shape().begin() + start, x.shape().begin() + end);
    context.SetOutput(0, Tensor::FromVector<int64_t>({end - start}, dims));
  }

 private:
  int64_t start_, end_;
};

class ReshapeKernel final : public Kernel {
 public:
  explicit ReshapeKernel(const KernelInfo& info) : allow_zero_(info.GetInt("allowzero", 0) != 0) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    std::vector<int64_t> requested = ReadInt64s(context.Input(1), context.node().Label() + ": shape");
    Shape shape(requested.size());
    int64_t infer_at = -1, known = 1;
    for (size_t i = 0; i < requested.size(); ++i) {
      int64_t d = requested[i];
      if (d == 0 && !allow_zero_) {
        if (i >= x.rank()) context.Fail("shape " + ShapeToString(requested) + " copies dimension " + std::to_string(i) + " that " + x.Describe() + " lacks");
        d = x.dim(i);
      }
      if (d == -1) {
        if (infer_at >= 0) context.Fail("shape " + ShapeToString(requested) + " has more than one -1");
        infer_at = static_cast<int64_t>(i);
        continue;
      }
      if (d < 0) context.Fail("shape " + ShapeToString(requested) + " has a negative dimension");
      shape[i] = d;
      // A product past int64 cannot match any real tensor's size.
      if (__builtin_mul_overflow(known, d, &known)) {
        context.Fail("shape " + ShapeToString(requested) + " has more elements than cairn can hold");
      }
    }
    if (infer_at >= 0) {
      if (known == 0 || x.size() % known != 0) {
        context.Fail("cannot reshape " + x.Describe() + " to " + ShapeToString(requested));
      }
      shape[infer_at] = x.size() / known;
    }
    if (ElementCount(shape) != x.size()) context.Fail("cannot reshape " + x.Describe() + " to " + ShapeToString(requested));
    context.SetOutput(0, x.Reshaped(shape));
  }

 private:
  bool allow_zero_;
};

class FlattenKernel final : public Kernel {
 public:
  explicit FlattenKernel(const KernelInfo& info) : axis_(info.GetInt("axis", 1)) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t rank = static_cast<int64_t>(x.rank());
    int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis > rank) context.Fail("axis " + std::to_string(axis_) + " is out of range for " + x.Describe());
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
    context.SetOutput(0, x.Reshaped({outer, outer == 0 ? 0 : x.size() / outer}));
  }

 private:
  int64_t axis_;
};

class SqueezeKernel final : public Kernel {
 public:
  explicit SqueezeKernel(const KernelInfo& info) : axes_from_input_(info.opset() >= 13), axes_(info.GetInts("axes")) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_ && context.HasInput(1)) axes = ReadInt64s(context.Input(1), context.node().Label() + ": axes");
    int64_t rank = static_cast<int64_t>(x.rank());
    std::vector<bool> drop(rank, false);
    for (int64_t axis : axes) {
      int64_t a = NormalizeAxis(axis, rank, context.node().Label());
      if (x.dim(a) != 1) context.Fail("cannot squeeze axis " + std::to_string(axis) + " of " + x.Describe());
      drop[a] = true;
    }
    Shape shape;
    for (int64_t d = 0; d < rank; ++d) {
      bool squeeze = axes.empty() ? x.dim(d) == 1 : drop[d];
      if (!squeeze) shape.push_back(x.dim(d));
    }
    context.SetOutput(0, x.Reshaped(shape));
  }

 private:
  bool axes_from_input_;
  std::vector<int64_t> axes_;
};

class UnsqueezeKernel final : public Kernel {
 public:
  explicit UnsqueezeKernel(const KernelInfo& info)
      : axes_from_input_(info.opset() >= 13), axes_(info.GetInts("axes")) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_) axes = ReadInt64s(context.Input(1), context.node().Label() + ": axes");
    int64_t out_rank = static_cast<int64_t>(x.rank() + axes.size());
    std::vector<bool> inserted(out_rank, false);
    for (int64_t axis : axes) {
      int64_t a = NormalizeAxis(axis, out_rank, context.node().Label());
      if (inserted[a]) context.Fail("axis " + std::to_string(axis) + " is given twice");
      inserted[a] = true;
    }
    Shape shape;
    size_t next = 0;
    for (int64_t d = 0; d < out_rank; ++d) shape.push_back(inserted[d] ? 1 : x.dim(next++));
    context.SetOutput(0, x.Reshaped(shape));
  }

 private:
  bool axes_from_input_;
  std::vector<int64_t> axes_;
};

class TransposeKernel final : public Kernel {
 public:
  explicit TransposeKernel(const KernelInfo& info) : perm_(info.GetInts("perm")) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    size_t rank = x.rank();
    std::vector<int64_t> perm = perm_;
    if (perm.empty()) {
      for (size_t d = 0; d < rank; ++d) perm.push_back(static_cast<int64_t>(rank - 1 - d));
    }
    if (perm.size() != rank) context.Fail("perm " + ShapeToString(perm) + " does not fit " + x.Describe());
    std::vector<bool> seen(rank, false);
    std::vector<int64_t> in_strides = StridesOf(x.shape()), strides(rank);
    Shape shape(rank);
    for (size_t d = 0; d < rank; ++d) {
      int64_t p = perm[d];
      if (p < 0 || p >= static_cast<int64_t>(rank) || seen[p]) context.Fail("perm " + ShapeToString(perm) + " is not a permutation");
      seen[p] = true;
      shape[d] = x.dim(p);
      strides[d] = in_strides[p];
    }
    StridedCopy(x, context.AllocateOutput(0, x.dtype(), shape), 0, strides);
  }

 private:
  std::vector<int64_t> perm_;
};

class ConcatKernel final : public Kernel {
 public:
  explicit ConcatKernel(const KernelInfo& info) : axis_(info.RequireInt("axis")) {}
  void Compute(KernelContext& context) const override {
    const Tensor& first = context.Input(0);
    int64_t rank = static_cast<int64_t>(first.rank());
    int64_t axis = NormalizeAxis(axis_, rank, context.node().Label());
    Shape shape = first.shape();
    shape[axis] = 0;
    for (size_t i = 0; i < context.input_count(); ++i) {
      const Tensor& t = context.Input(i);
      bool fits = t.dtype() == first.dtype() && static_cast<int64_t>(t.rank()) == rank;
      for (int64_t d = 0; fits && d < rank; ++d) fits = d == axis || t.dim(d) == first.dim(d);
      if (!fits) context.Fail("input " + std::to_string(i) + " " + t.Describe() + " does not fit " + first.Describe());
      shape[axis] += t.dim(axis);
    }
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= shape[d];
    Tensor& y = context.AllocateOutput(0, first.dtype(), shape);
    DispatchAny(first.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* out = y.mutable_data<T>();
      int64_t out_block = outer == 0 ? 0 : y.size() / outer, position = 0;
      for (size_t i = 0; i < context.input_count(); ++i) {
        const Tensor& t = context.Input(i);
        const T* in = t.data<T>();
        int64_t block = outer == 0 ? 0 : t.size() / outer;
        for (int64_t o = 0; o < outer; ++o) std::copy(in + o * block, in + (o + 1) * block, out + o * out_block + position);
        position += block;
      }
    });
  }

 private:
  int64_t axis_;
};

class GatherKernel final : public Kernel {
 public:
  explicit GatherKernel(const KernelInfo& info) : axis_(info.GetInt("axis", 0)) {}
  void Compute(KernelContext& context) const override {
    const Tensor& data = context.Input(0);
    const Tensor& indices_tensor = context.Input(1);
    int64_t rank = static_cast<int64_t>(data.rank());
    int64_t axis = NormalizeAxis(axis_, rank, context.node().Label());
    std::vector<int64_t> indices = ReadInt64s(indices_tensor, context.node().Label() + ": indices");
    int64_t length = data.dim(axis);
    for (int64_t& index : indices) {
      if (index < -length || index >= length) {
        context.Fail("index " + std::to_string(index) + " is out of range for axis " + std::to_string(axis) + " of " + data.Describe());
      }
      if (index < 0) index += length;
    }
    Shape shape(data.shape().begin(), data.shape().begin() + axis);
    shape.insert(shape.end(), indices_tensor.shape().begin(), indices_tensor.shape().end());
    shape.insert(shape.end(), data.shape().begin() + axis + 1, data.shape().end());
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= data.dim(d);
    for (int64_t d = axis + 1; d < rank; ++d) inner *= data.dim(d);
    Tensor& y = context.AllocateOutput(0, data.dtype(), shape);
    DispatchAny(data.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* in = data.data<T>();
      T* out = y.mutable_data<T>();
      int64_t n = static_cast<int64_t>(indices.size());
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < n; ++j) {
          const T* src = in + (o * length + indices[j]) * inner;
          std::copy(src, src + inner, out + (o * n + j) * inner);
        }
      }
    });
  }

 private:
  int64_t axis_;
};

class SliceKernel final : public Kernel {
 public:
  explicit SliceKernel(const KernelInfo& info)
      : from_attributes_(info.opset() < 10),
        starts_(info.GetInts("starts")),
        ends_(info.GetInts("ends")),
        axes_(info.GetInts("axes")) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    std::string where = context.node().Label();
    std::vector<int64_t> starts = starts_, ends = ends_, axes = axes_, steps;
    if (!from_attributes_) {
      starts = ReadInt64s(context.Input(1), where + ": starts");
      ends = ReadInt64s(context.Input(2), where + ": ends");
      axes = context.HasInput(3) ? ReadInt64s(context.Input(3), where + ": axes") : std::vector<int64_t>{};
      if (context.HasInput(4)) steps = ReadInt64s(context.Input(4), where + ": steps");
    }
    int64_t rank = static_cast<int64_t>(x.rank());
    if (axes.empty()) {
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    }
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
      context.Fail("starts, ends, axes and steps differ in length");
    }
    Shape shape = x.shape();
    std::vector<int64_t> begin(rank, 0), step(rank, 1);
    std::vector<bool> seen(rank, false);
    for (size_t i = 0; i < starts.size(); ++i) {
      int64_t axis = NormalizeAxis(axes[i], rank, where);
      if (seen[axis]) context.Fail("axis " + std::to_string(axes[i]) + " is sliced twice");
      seen[axis] = true;
      int64_t dim = x.dim(axis), s = steps[i];
      if (s == 0) context.Fail("step 0 on axis " + std::to_string(axes[i]));
      int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
      int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
      if (s > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        shape[axis] = end > start ? (end - start + s - 1) / s : 0;
      } else if (dim == 0) {
        start = 0;
        shape[axis] = 0;
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
        shape[axis] = start > end ? (start - end - s - 1) / (-s) : 0;
      }
      begin[axis] = start;
      step[axis] = s;
    }
    std::vector<int64_t> in_strides = StridesOf(x.shape()), strides(rank);
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d) {
      strides[d] = in_strides[d] * step[d];
      offset += begin[d] * in_strides[d];
    }
    Tensor& y = context.AllocateOutput(0, x.dtype(), shape);
    StridedCopy(x, y, offset, strides);
  }

 private:
  bool from_attributes_;
  std::vector<int64_t> starts_, ends_, axes_;
};

}  // namespace

void RegisterShapeKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "Constant", {1, 9, 11, 12, 13}, MakeKernel<ConstantKernel>);
  registry.Add(kOnnxDomain, "Identity", {1, 13, 14, 16}, MakeKernel<IdentityKernel>);
  registry.Add(kOnnxDomain, "Shape", {1, 13, 15}, MakeKernel<ShapeKernel>);
  registry.Add(kOnnxDomain, "Reshape", {5, 13, 14}, MakeKernel<ReshapeKernel>);
  registry.Add(kOnnxDomain, "Flatten", {1, 9, 11, 13}, MakeKernel<FlattenKernel>);
  registry.Add(kOnnxDomain, "Squeeze", {1, 11, 13}, MakeKernel<SqueezeKernel>);
  registry.Add(kOnnxDomain, "Unsqueeze", {1, 11, 13}, MakeKernel<UnsqueezeKernel>);
  registry.Add(kOnnxDomain, "Transpose", {1, 13}, MakeKernel<TransposeKernel>);
  registry.Add(kOnnxDomain, "Concat", {4, 11, 13}, MakeKernel<ConcatKernel>);
  registry.Add(kOnnxDomain, "Gather", {1, 11, 13}, MakeKernel<GatherKernel>);
  registry.Add(kOnnxDomain, "Slice", {1, 10, 11, 13}, MakeKernel<SliceKernel>);
}

}  // namespace cairn::runtime
