// Matrix products (MatMul, Gemm) on Eigen, Softmax, LogSoftmax and TopK.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

template <typename T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using ConstMatrixMap = Eigen::Map<const RowMajor<T>>;
template <typename T>
using MatrixMap = Eigen::Map<RowMajor<T>>;

template <typename T>
constexpr bool kIsMatmulType = std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, int32_t> ||
                               std::is_same_v<T, int64_t> || std::is_same_v<T, uint32_t> ||
                               std::is_same_v<T, uint64_t>;

class MatMulKernel final : public Kernel {
 public:
  explicit MatMulKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor& b = context.Input(1);
    if (a.dtype() != b.dtype()) context.Fail("inputs differ in type: " + a.Describe() + " and " + b.Describe());
    if (a.rank() == 0 || b.rank() == 0) context.Fail("inputs must have rank 1 or more, got " + a.Describe() + " and " + b.Describe());
    // numpy.matmul: a 1-D operand is a row (left) or a column (right) vector.
    Shape sa = a.shape(), sb = b.shape();
    if (sa.size() == 1) sa.insert(sa.begin(), 1);
    if (sb.size() == 1) sb.push_back(1);
    int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
    if (sb[sb.size() - 2] != k) {
      context.Fail("inner dimensions differ: " + a.Describe() + " times " + b.Describe());
    }
    Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
    Shape batch = BroadcastShapes(batch_a, batch_b, context.node().Label());
    Shape out_shape = batch;
    if (a.rank() > 1) out_shape.push_back(m);
    if (b.rank() > 1) out_shape.push_back(n);
    Tensor& y = context.AllocateOutput(0, a.dtype(), out_shape);
    bool done = false;
    DispatchNumeric(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kIsMatmulType<T>) {
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        T* py = y.mutable_data<T>();
        ForEachBroadcast2(batch, batch_a, batch_b, [&](int64_t o, int64_t ia, int64_t ib) {
          ConstMatrixMap<T> ma(pa + ia * m * k, m, k);
          ConstMatrixMap<T> mb(pb + ib * k * n, k, n);
          MatrixMap<T> my(py + o * m * n, m, n);
          my.noalias() = ma * mb;
        });
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + a.Describe());
  }
};

class GemmKernel final : public Kernel {
 public:
  explicit GemmKernel(const KernelInfo& info)
      : alpha_(info.GetFloat("alpha", 1.0f)),
        beta_(info.GetFloat("beta", 1.0f)),
        trans_a_(info.GetInt("transA", 0) != 0),
        trans_b_(info.GetInt("transB", 0) != 0) {}

  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor& b = context.Input(1);
    const Tensor* c = context.OptionalInput(2);
    if (a.rank() != 2 || b.rank() != 2) context.Fail("A and B must be matrices, got " + a.Describe() + " and " + b.Describe());
    if (a.dtype() != b.dtype() || (c != nullptr && c->dtype() != a.dtype())) {
      context.Fail("inputs differ in type: " + a.Describe() + " and " + b.Describe());
    }
    int64_t m = trans_a_ ? a.dim(1) : a.dim(0);
    int64_t k = trans_a_ ? a.dim(0) : a.dim(1);
    int64_t kb = trans_b_ ? b.dim(1) : b.dim(0);
    int64_t n = trans_b_ ? b.dim(0) : b.dim(1);
    if (k != kb) context.Fail("inner dimensions differ: " + a.Describe() + " and " + b.Describe());
    Shape out_shape{m, n};
    if (c != nullptr) {
      Shape cs = BroadcastShapes(c->shape(), out_shape, context.node().Label());
      if (cs != out_shape) context.Fail("C " + c->Describe() + " does not broadcast to " + ShapeToString(out_shape));
    }
    Tensor& y = context.AllocateOutput(0, a.dtype(), out_shape);
    bool done = false;
    DispatchNumeric(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (kIsMatmulType<T>) {
        ConstMatrixMap<T> ma(a.data<T>(), a.dim(0), a.dim(1));
        ConstMatrixMap<T> mb(b.data<T>(), b.dim(0), b.dim(1));
        MatrixMap<T> my(y.mutable_data<T>(), m, n);
        if (c != nullptr && beta_ != 0) {
          const T* pc = c->data<T>();
          T* py = y.mutable_data<T>();
          ForEachBroadcast2(out_shape, out_shape, c->shape(),
                            [&](int64_t o, int64_t, int64_t ic) { py[o] = static_cast<T>(beta_ * pc[ic]); });
        }
        T alpha = static_cast<T>(alpha_);
        if (trans_a_ && trans_b_) {
          my.noalias() += alpha * (ma.transpose() * mb.transpose());
        } else if (trans_a_) {
          my.noalias() += alpha * (ma.transpose() * mb);
        } else if (trans_b_) {
          my.noalias() += alpha * (ma * mb.transpose());
        } else {
          my.noalias() += alpha * (ma * mb);
        }
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + a.Describe());
  }

 private:
  float alpha_, beta_;
  bool trans_a_, trans_b_;
};

// Softmax and LogSoftmax. Before opset 13 the input is flattened to 2-D at
// `axis` and normalised over the whole trailing block; from 13 on, over the
// one axis.
template <bool kLog>
class SoftmaxKernel final : public Kernel {
 public:
  explicit SoftmaxKernel(const KernelInfo& info)
      : flatten_(info.opset() < 13), axis_(info.GetInt("axis", info.opset() < 13 ? 1 : -1)) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t rank = static_cast<int64_t>(x.rank());
    int64_t axis = NormalizeAxis(axis_, rank, context.node().Label());
    int64_t outer = 1, length = 1, inner = 1;
    if (x.size() == 0) {
      context.SetOutput(0, x);
      return;
    }
    for (int64_t d = 0; d < rank; ++d) {
      if (d < axis) outer *= x.dim(d);
      else if (d == axis || flatten_) length *= x.dim(d);
      else inner *= x.dim(d);
    }
    bool done = false;
    DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (std::is_floating_point_v<T>) {
        Tensor& y = context.AllocateOutput(0, x.dtype(), x.shape());
        const T* in = x.data<T>();
        T* out = y.mutable_data<T>();
        for (int64_t o = 0; o < outer; ++o) {
          for (int64_t i = 0; i < inner; ++i) {
            const T* row = in + o * length * inner + i;
            T* dst = out + o * length * inner + i;
            T max = row[0];
            for (int64_t j = 1; j < length; ++j) max = std::max(max, row[j * inner]);
            T sum = 0;
            for (int64_t j = 0; j < length; ++j) {
              T e = std::exp(row[j * inner] - max);
              dst[j * inner] = e;
              sum += e;
            }
            if constexpr (kLog) {
              T log_sum = std::log(sum);
              for (int64_t j = 0; j < length; ++j) dst[j * inner] = row[j * inner] - max - log_sum;
            } else {
              for (int64_t j = 0; j < length; ++j) dst[j * inner] /= sum;
            }
          }
        }
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + x.Describe());
  }

 private:
  bool flatten_;
  int64_t axis_;
};

class TopKKernel final : public Kernel {
 public:
  explicit TopKKernel(const KernelInfo& info)
      : k_from_attribute_(info.opset() < 10),
        k_(info.GetInt("k", -1)),
        axis_(info.GetInt("axis", -1)),
        largest_(info.GetInt("largest", 1) != 0),
        sorted_(info.GetInt("sorted", 1) != 0) {
    if (k_from_attribute_ && k_ < 0) info.Fail("attribute 'k' is missing or negative");
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t k = k_;
    if (!k_from_attribute_) {
      auto ks = ReadInt64s(context.Input(1), context.node().Label() + ": K");
      if (ks.size() != 1) context.Fail("K must hold one value, got " + context.Input(1).Describe());
      k = ks[0];
    }
    int64_t rank = static_cast<int64_t>(x.rank());
    int64_t axis = NormalizeAxis(axis_, rank, context.node().Label());
    if (k < 0 || k > x.dim(axis)) {
      context.Fail("K = " + std::to_string(k) + " is outside [0, " + std::to_string(x.dim(axis)) + "] for " + x.Describe());
    }
    int64_t outer = 1, inner = 1, length = x.dim(axis);
    for (int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
    for (int64_t d = axis + 1; d < rank; ++d) inner *= x.dim(d);
    Shape out_shape = x.shape();
    out_shape[axis] = k;
    bool done = false;
    DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, bool>) {
        Tensor& values = context.AllocateOutput(0, x.dtype(), out_shape);
        Tensor& indices = context.AllocateOutput(1, DataType::kInt64, out_shape);
        const T* in = x.data<T>();
        T* pv = values.mutable_data<T>();
        int64_t* pi = indices.mutable_data<int64_t>();
        std::vector<int64_t> order(length);
        for (int64_t o = 0; o < outer; ++o) {
          for (int64_t i = 0; i < inner; ++i) {
            const T* row = in + o * length * inner + i;
            std::iota(order.begin(), order.end(), 0);
            // Ties keep the lower index first, as ONNX specifies.
            auto before = [&](int64_t p, int64_t q) {
              if (row[p * inner] != row[q * inner]) {
                return largest_ ? row[p * inner] > row[q * inner] : row[p * inner] < row[q * inner];
              }
              return p < q;
            };
            std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
            if (!sorted_) std::sort(order.begin(), order.begin() + k);
            for (int64_t j = 0; j < k; ++j) {
              int64_t dst = o * k * inner + j * inner + i;
              pv[dst] = row[order[j] * inner];
              pi[dst] = order[j];
            }
          }
        }
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + x.Describe());
  }

 private:
  bool k_from_attribute_;
  int64_t k_;
  int64_t axis_;
  bool largest_;
  bool sorted_;
};

}  // namespace

void RegisterMathKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "MatMul", {1, 9, 13}, MakeKernel<MatMulKernel>);
  registry.Add(kOnnxDomain, "Gemm", {7, 9, 11, 13}, MakeKernel<GemmKernel>);
  registry.Add(kOnnxDomain, "Softmax", {1, 11, 13}, MakeKernel<SoftmaxKernel<false>>);
  registry.Add(kOnnxDomain, "LogSoftmax", {1, 11, 13}, MakeKernel<SoftmaxKernel<true>>);
  registry.Add(kOnnxDomain, "TopK", {1, 10, 11}, MakeKernel<TopKKernel>);
}

}  // namespace cairn::runtime
