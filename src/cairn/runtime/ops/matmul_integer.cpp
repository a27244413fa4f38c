// MatMulInteger and the shared integer product. The fast path hands the raw
// u8 x s8 product to oneDNN (VNNI dot products accumulate in int32 without
// the 16-bit saturation of older int8 instructions, so results stay exact)
// and applies the zero points afterwards from precomputed column sums.
#include "cairn/runtime/ops/matmul_integer.h"

#include <Eigen/Core>
#include <cstdlib>
#include <cstring>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cairn/runtime/ops/kernel_util.h"

// From the OpenMP runtime oneDNN is built on (linked in CMakeLists.txt);
// declared here so that no OpenMP compiler flags are needed.
extern "C" void omp_set_num_threads(int count);

namespace cairn::runtime {
namespace {

using Int32Matrix = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

bool Is8Bit(DataType type) { return type == DataType::kUint8 || type == DataType::kInt8; }

// Element i of an 8-bit tensor, widened.
int32_t Int8At(const Tensor& t, int64_t i) {
  return t.dtype() == DataType::kUint8 ? static_cast<int32_t>(t.data<uint8_t>()[i])
                                       : static_cast<int32_t>(t.data<int8_t>()[i]);
}

int32_t ZeroPointAt(const Tensor* zero_point, int64_t i) {
  if (zero_point == nullptr) return 0;
  return Int8At(*zero_point, zero_point->size() == 1 ? 0 : i);
}

// Copies a rows x cols block of an 8-bit tensor (from element `offset`) into
// `out`, minus a zero point per row (per_row) or per column.
template <typename Q>
void WidenBlock(const Q* in, int64_t rows, int64_t cols, const Tensor* zero_point, bool per_row, Int32Matrix& out) {
  for (int64_t r = 0; r < rows; ++r) {
    const Q* row = in + r * cols;
    int32_t* dst = out.data() + r * cols;
    if (zero_point == nullptr || zero_point->size() == 1 || per_row) {
      int32_t zp = ZeroPointAt(zero_point, r);
      for (int64_t c = 0; c < cols; ++c) dst[c] = static_cast<int32_t>(row[c]) - zp;
    } else {
      for (int64_t c = 0; c < cols; ++c) dst[c] = static_cast<int32_t>(row[c]) - ZeroPointAt(zero_point, c);
    }
  }
}

void WidenBlock(const Tensor& t, int64_t offset, int64_t rows, int64_t cols, const Tensor* zero_point, bool per_row,
                Int32Matrix& out) {
  if (t.dtype() == DataType::kUint8) WidenBlock(t.data<uint8_t>() + offset, rows, cols, zero_point, per_row, out);
  else WidenBlock(t.data<int8_t>() + offset, rows, cols, zero_point, per_row, out);
}

struct ProductShape {
  int64_t m = 0, k = 0, n = 0;
  Shape batch, batch_a, batch_b, out;
};

ProductShape CheckProduct(const KernelContext& context, const Tensor& a, const Tensor* a_zero, const Tensor& b,
                          const Tensor* b_zero) {
  if (!Is8Bit(a.dtype()) || !Is8Bit(b.dtype())) {
    context.Fail("takes 8-bit integer matrices, not " + a.Describe() + " and " + b.Describe());
  }
  if (a.rank() == 0 || b.rank() == 0) context.Fail("inputs must have rank 1 or more");
  Shape sa = a.shape(), sb = b.shape();
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  ProductShape p;
  p.m = sa[sa.size() - 2];
  p.k = sa.back();
  p.n = sb.back();
  if (sb[sb.size() - 2] != p.k) context.Fail("inner dimensions differ: " + a.Describe() + " times " + b.Describe());
  auto check_zero_point = [&](const Tensor* zp, const Tensor& matrix, const char* name, int64_t count,
                              const char* shape_rule) {
    if (zp == nullptr) return;
    if (zp->dtype() != matrix.dtype()) {
      context.Fail(std::string(name) + " " + zp->Describe() + " must have the type of its matrix " + matrix.Describe());
    }
    if (zp->size() != 1 && zp->size() != count) {
      context.Fail(std::string(name) + " " + zp->Describe() + " must be a scalar or one per " + shape_rule);
    }
  };
  check_zero_point(a_zero, a, "a_zero_point", p.m, "row");
  check_zero_point(b_zero, b, "b_zero_point", p.n, "column");
  p.batch_a.assign(sa.begin(), sa.end() - 2);
  p.batch_b.assign(sb.begin(), sb.end() - 2);
  p.batch = BroadcastShapes(p.batch_a, p.batch_b, context.node().Label());
  p.out = p.batch;
  if (a.rank() > 1) p.out.push_back(p.m);
  if (b.rank() > 1) p.out.push_back(p.n);
  return p;
}

// Process-wide oneDNN state: the CPU engine and whether the fast path is on.
struct OneDnn {
  bool enabled = false;
  std::optional<dnnl::engine> engine;

  static const OneDnn& Get() {
    static const OneDnn instance = [] {
      OneDnn state;
      const char* choice = std::getenv("CAIRN_INT8_GEMM");
      if (choice != nullptr && std::strcmp(choice, "reference") == 0) return state;
      // Without VNNI, oneDNN's u8 x s8 kernels may saturate 16-bit pair sums:
      // cairn then keeps the exact reference path.
      auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
      auto has = [&](dnnl::cpu_isa wanted) {
        auto bits = static_cast<unsigned>(wanted);
        return (isa & bits) == bits;
      };
      if (!has(dnnl::cpu_isa::avx512_core_vnni) && !has(dnnl::cpu_isa::avx2_vnni)) return state;
      try {
        state.engine.emplace(dnnl::engine::kind::cpu, 0);
        state.enabled = true;
      } catch (const dnnl::error&) {
        state.enabled = false;
      }
      return state;
    }();
    return instance;
  }
};

// A constant int8 weight [K, N] prepared for oneDNN: one primitive with a
// run-time row count, so any batch size reuses it.
class PreparedWeights {
 public:
  PreparedWeights(const Tensor& b, const Tensor* b_zero) : b_(b), k_(b.dim(0)), n_(b.dim(1)) {
    const int8_t* pb = b.data<int8_t>();
    column_sums_.assign(n_, 0);
    for (int64_t r = 0; r < k_; ++r) {
      for (int64_t c = 0; c < n_; ++c) column_sums_[c] += pb[r * n_ + c];
    }
    zero_points_.assign(n_, 0);
    for (int64_t c = 0; c < n_; ++c) {
      zero_points_[c] = ZeroPointAt(b_zero, c);
      if (zero_points_[c] != 0) has_zero_points_ = true;
    }
    using dt = dnnl::memory::data_type;
    using tag = dnnl::memory::format_tag;
    dnnl::memory::desc a_desc({DNNL_RUNTIME_DIM_VAL, k_}, dt::u8, tag::ab);
    dnnl::memory::desc b_desc({k_, n_}, dt::s8, tag::ab);
    dnnl::memory::desc c_desc({DNNL_RUNTIME_DIM_VAL, n_}, dt::s32, tag::ab);
    dnnl::primitive_attr attr;
    // Each call brings its own scratch memory, so concurrent runs share nothing.
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_desc, b_desc, c_desc), attr, *OneDnn::Get().engine);
    scratch_bytes_ = pd.scratchpad_desc().get_size();
    scratch_desc_ = pd.scratchpad_desc();
    primitive_ = dnnl::matmul(pd);
  }

  int64_t k() const { return k_; }
  int64_t n() const { return n_; }

  // out[m, N] = (a - a_zero) x (B - b_zero) for u8 rows a[m, K].
  void Multiply(const uint8_t* a, int64_t m, int32_t a_zero, int32_t* out) const {
    if (m == 0) return;
    const dnnl::engine& engine = *OneDnn::Get().engine;
    using dt = dnnl::memory::data_type;
    using tag = dnnl::memory::format_tag;
    dnnl::memory a_mem({{m, k_}, dt::u8, tag::ab}, engine, const_cast<uint8_t*>(a));
    dnnl::memory b_mem({{k_, n_}, dt::s8, tag::ab}, engine, const_cast<int8_t*>(b_.data<int8_t>()));
    dnnl::memory c_mem({{m, n_}, dt::s32, tag::ab}, engine, out);
    std::vector<uint8_t> scratch(scratch_bytes_);
    dnnl::memory scratch_mem(scratch_desc_, engine, scratch.empty() ? nullptr : scratch.data());
    // Parallelism belongs to the caller (one Session::Run per thread): oneDNN
    // runs on the calling thread only.
    omp_set_num_threads(1);
    dnnl::stream stream(engine);
    primitive_.execute(stream, {{DNNL_ARG_SRC, a_mem},
                                {DNNL_ARG_WEIGHTS, b_mem},
                                {DNNL_ARG_DST, c_mem},
                                {DNNL_ARG_SCRATCHPAD, scratch_mem}});
    stream.wait();
    // (a - za)(B - zb) = aB - za colsum(B) - zb rowsum(a) + K za zb.
    if (a_zero != 0) {
      for (int64_t r = 0; r < m; ++r) {
        int32_t* row = out + r * n_;
        for (int64_t c = 0; c < n_; ++c) row[c] -= a_zero * column_sums_[c];
      }
    }
    if (has_zero_points_) {
      for (int64_t r = 0; r < m; ++r) {
        int32_t row_sum = 0;
        for (int64_t i = 0; i < k_; ++i) row_sum += a[r * k_ + i];
        int32_t* row = out + r * n_;
        for (int64_t c = 0; c < n_; ++c) {
          row[c] += zero_points_[c] * (static_cast<int32_t>(k_) * a_zero - row_sum);
        }
      }
    }
  }

 private:
  Tensor b_;  // keeps the weight alive; oneDNN reads it in place
  int64_t k_, n_;
  std::vector<int32_t> column_sums_;
  std::vector<int32_t> zero_points_;
  bool has_zero_points_ = false;
  size_t scratch_bytes_ = 0;
  dnnl::memory::desc scratch_desc_;
  dnnl::matmul primitive_;
};

class MatMulIntegerKernel final : public Kernel {
 public:
  explicit MatMulIntegerKernel(const KernelInfo& info) {
    if (!OneDnn::Get().enabled) return;
    const Tensor* b = info.ConstantInput(1);
    if (b == nullptr || b->dtype() != DataType::kInt8 || b->rank() != 2 || b->size() == 0) return;
    const Tensor* b_zero = nullptr;
    if (info.HasInput(3)) {
      b_zero = info.ConstantInput(3);
      if (b_zero == nullptr || b_zero->dtype() != DataType::kInt8) return;
      if (b_zero->size() != 1 && b_zero->size() != b->dim(1)) return;
    }
    try {
      weights_ = std::make_shared<const PreparedWeights>(*b, b_zero);
    } catch (const dnnl::error&) {
      // A shape oneDNN declines runs on the reference path.
      weights_.reset();
    }
  }

  void Compute(KernelContext& context) const override {
    const Tensor& a = context.Input(0);
    const Tensor* a_zero = context.OptionalInput(2);
    if (weights_ != nullptr && a.dtype() == DataType::kUint8 && a.rank() >= 1 && a.shape().back() == weights_->k() &&
        (a_zero == nullptr || (a_zero->dtype() == DataType::kUint8 && a_zero->size() == 1))) {
      Shape out_shape(a.shape().begin(), a.shape().end() - 1);
      out_shape.push_back(weights_->n());
      Tensor& y = context.AllocateOutput(0, DataType::kInt32, out_shape);
      weights_->Multiply(a.data<uint8_t>(), a.size() / weights_->k(), ZeroPointAt(a_zero, 0),
                         y.mutable_data<int32_t>());
      return;
    }
    context.SetOutput(0, IntegerMatMul(context, a, a_zero, context.Input(1), context.OptionalInput(3)));
  }

 private:
  std::shared_ptr<const PreparedWeights> weights_;
};

}  // namespace

Tensor IntegerMatMul(const KernelContext& context, const Tensor& a, const Tensor* a_zero, const Tensor& b,
                     const Tensor* b_zero) {
  ProductShape p = CheckProduct(context, a, a_zero, b, b_zero);
  Tensor y(DataType::kInt32, p.out);
  int32_t* py = y.mutable_data<int32_t>();
  Int32Matrix ma(p.m, p.k), mb(p.k, p.n);
  ForEachBroadcast2(p.batch, p.batch_a, p.batch_b, [&](int64_t o, int64_t ia, int64_t ib) {
    WidenBlock(a, ia * p.m * p.k, p.m, p.k, a_zero, /*per_row=*/true, ma);
    WidenBlock(b, ib * p.k * p.n, p.k, p.n, b_zero, /*per_row=*/false, mb);
    Eigen::Map<Int32Matrix>(py + o * p.m * p.n, p.m, p.n).noalias() = ma * mb;
  });
  return y;
}

std::unique_ptr<Kernel> MakeMatMulIntegerKernel(const KernelInfo& info) {
  return std::make_unique<MatMulIntegerKernel>(info);
}

bool Int8FastPathAvailable() { return OneDnn::Get().enabled; }

}  // namespace cairn::runtime
