// Feature preprocessing: Scaler, Normalizer, Imputer, Binarizer,
// ArrayFeatureExtractor and FeatureVectorizer.
#include <algorithm>
#include <cmath>

#include "cairn/runtime/ml/ml_ops.h"
#include "cairn/runtime/ml/ml_util.h"
#include "cairn/runtime/ops/kernel_util.h"

namespace cairn::runtime::ml {
namespace {

int64_t LastDim(const Tensor& x) { return x.rank() == 0 ? 1 : x.dim(x.rank() - 1); }

// A per-feature attribute of length 1 (broadcast) or F.
void CheckPerFeature(const KernelContext& context, const std::string& name, size_t size, int64_t features) {
  if (size != 1 && static_cast<int64_t>(size) != features) {
    context.Fail("attribute '" + name + "' has " + std::to_string(size) + " values for " + std::to_string(features) +
                 " features (expected 1 or " + std::to_string(features) + ")");
  }
}

class ScalerKernel final : public Kernel {
 public:
  explicit ScalerKernel(const KernelInfo& info) : offset_(info.GetFloats("offset")), scale_(info.GetFloats("scale")) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t f = LastDim(x);
    if (!offset_.empty()) CheckPerFeature(context, "offset", offset_.size(), f);
    if (!scale_.empty()) CheckPerFeature(context, "scale", scale_.size(), f);
    FeatureMatrix m = ReadFeatures(context, x.rank() <= 2 ? x : x.Reshaped({x.size() / std::max<int64_t>(f, 1), f}));
    float* y = context.AllocateOutput(0, DataType::kFloat32, x.shape()).mutable_data<float>();
    for (int64_t i = 0; i < x.size(); ++i) {
      int64_t j = f == 0 ? 0 : i % f;
      float offset = offset_.empty() ? 0.0f : offset_[offset_.size() == 1 ? 0 : j];
      float scale = scale_.empty() ? 1.0f : scale_[scale_.size() == 1 ? 0 : j];
      y[i] = (m.data[i] - offset) * scale;
    }
  }

 private:
  std::vector<float> offset_, scale_;
};

enum class Norm { kMax, kL1, kL2 };

class NormalizerKernel final : public Kernel {
 public:
  explicit NormalizerKernel(const KernelInfo& info) {
    std::string norm = info.GetString("norm", "MAX");
    if (norm == "MAX") norm_ = Norm::kMax;
    else if (norm == "L1") norm_ = Norm::kL1;
    else if (norm == "L2") norm_ = Norm::kL2;
    else info.Fail("attribute 'norm' is '" + norm + "'; expected MAX, L1 or L2");
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    FeatureMatrix m = ReadFeatures(context, x);
    float* y = context.AllocateOutput(0, DataType::kFloat32, x.shape()).mutable_data<float>();
    for (int64_t r = 0; r < m.rows; ++r) {
      const float* in = m.data + r * m.cols;
      float* out = y + r * m.cols;
      double norm = 0;
      switch (norm_) {
        case Norm::kMax: {
          float max = -std::numeric_limits<float>::infinity();
          for (int64_t j = 0; j < m.cols; ++j) max = std::max(max, in[j]);
          norm = max;
          break;
        }
        case Norm::kL1:
          for (int64_t j = 0; j < m.cols; ++j) norm += std::fabs(in[j]);
          break;
        case Norm::kL2:
          for (int64_t j = 0; j < m.cols; ++j) norm += static_cast<double>(in[j]) * in[j];
          norm = std::sqrt(norm);
          break;
      }
      // An all-zero row (or a non-positive maximum) has nothing to scale by.
      for (int64_t j = 0; j < m.cols; ++j) out[j] = norm != 0 ? static_cast<float>(in[j] / norm) : in[j];
    }
  }

 private:
  Norm norm_ = Norm::kMax;
};

class ImputerKernel final : public Kernel {
 public:
  explicit ImputerKernel(const KernelInfo& info)
      : float_values_(info.GetFloats("imputed_value_floats")),
        int_values_(info.GetInts("imputed_value_int64s")),
        float_replaced_(info.GetFloat("replaced_value_float", 0.0f)),
        int_replaced_(info.GetInt("replaced_value_int64", 0)) {
    if (float_values_.empty() == int_values_.empty()) {
      info.Fail("exactly one of 'imputed_value_floats' and 'imputed_value_int64s' must be given");
    }
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    int64_t f = LastDim(x);
    Tensor& y = context.AllocateOutput(0, x.dtype(), x.shape());
    auto run = [&](auto tag, const auto& values, auto replaced) {
      using T = typename decltype(tag)::type;
      CheckPerFeature(context, values.size() == float_values_.size() && !float_values_.empty() ? "imputed_value_floats"
                                                                                               : "imputed_value_int64s",
                      values.size(), f);
      const T* in = x.data<T>();
      T* out = y.mutable_data<T>();
      for (int64_t i = 0; i < x.size(); ++i) {
        bool replace;
        if constexpr (std::is_floating_point_v<T>) {
          replace = std::isnan(static_cast<double>(replaced)) ? std::isnan(in[i]) : in[i] == static_cast<T>(replaced);
        } else {
          replace = in[i] == static_cast<T>(replaced);
        }
        out[i] = replace ? static_cast<T>(values[values.size() == 1 ? 0 : i % f]) : in[i];
      }
    };
    switch (x.dtype()) {
      case DataType::kFloat32:
      case DataType::kFloat64:
        if (float_values_.empty()) context.Fail("input X is " + x.Describe() + " but only 'imputed_value_int64s' is given");
        if (x.dtype() == DataType::kFloat32) run(TypeTag<float>{}, float_values_, float_replaced_);
        else run(TypeTag<double>{}, float_values_, float_replaced_);
        break;
      case DataType::kInt64:
      case DataType::kInt32:
        if (int_values_.empty()) context.Fail("input X is " + x.Describe() + " but only 'imputed_value_floats' is given");
        if (x.dtype() == DataType::kInt64) run(TypeTag<int64_t>{}, int_values_, int_replaced_);
        else run(TypeTag<int32_t>{}, int_values_, int_replaced_);
        break;
      default: context.Fail("input X is " + x.Describe() + "; expected float, double, int64 or int32");
    }
  }

 private:
  std::vector<float> float_values_;
  std::vector<int64_t> int_values_;
  float float_replaced_;
  int64_t int_replaced_;
};

class BinarizerKernel final : public Kernel {
 public:
  explicit BinarizerKernel(const KernelInfo& info) : threshold_(info.GetFloat("threshold", 0.0f)) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    Tensor& y = context.AllocateOutput(0, x.dtype(), x.shape());
    bool ok = DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* in = x.data<T>();
      T* out = y.mutable_data<T>();
      for (int64_t i = 0; i < x.size(); ++i) {
        if constexpr (std::is_floating_point_v<T>) {
          // NaN stays NaN: it is neither above nor below the threshold.
          out[i] = std::isnan(in[i]) ? in[i] : (static_cast<double>(in[i]) > threshold_ ? T(1) : T(0));
        } else {
          out[i] = static_cast<double>(in[i]) > threshold_ ? T(1) : T(0);
        }
      }
    });
    if (!ok) context.Fail("input X is " + x.Describe() + "; expected a numeric type");
  }

 private:
  float threshold_;
};

class ArrayFeatureExtractorKernel final : public Kernel {
 public:
  explicit ArrayFeatureExtractorKernel(const KernelInfo&) {}

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    const Tensor& indices = context.Input(1);
    if (x.rank() == 0) context.Fail("input X must have at least one dimension, got " + x.Describe());
    std::vector<int64_t> picks = ReadInt64s(indices.rank() > 1 ? indices.Reshaped({indices.size()}) : indices, "input Y");
    const int64_t last = x.dim(x.rank() - 1);
    for (size_t k = 0; k < picks.size(); ++k) {
      if (picks[k] < 0 || picks[k] >= last) {
        context.Fail("input Y[" + std::to_string(k) + "] = " + std::to_string(picks[k]) + " is outside [0, " +
                     std::to_string(last) + ") for X of shape " + ShapeToString(x.shape()));
      }
    }
    Shape shape = x.shape();
    shape.back() = static_cast<int64_t>(picks.size());
    if (x.rank() == 1) shape = {1, static_cast<int64_t>(picks.size())};
    Tensor& y = context.AllocateOutput(0, x.dtype(), shape);
    const int64_t outer = last == 0 ? 0 : x.size() / last;
    const int64_t k = static_cast<int64_t>(picks.size());
    bool ok = DispatchAny(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* in = x.data<T>();
      T* out = y.mutable_data<T>();
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < k; ++j) out[o * k + j] = in[o * last + picks[j]];
      }
    });
    if (!ok) context.Fail("input X has unsupported type " + x.Describe());
  }
};

class FeatureVectorizerKernel final : public Kernel {
 public:
  explicit FeatureVectorizerKernel(const KernelInfo& info) : dims_(info.GetInts("inputdimensions")) {
    if (dims_.size() != info.input_count()) {
      info.Fail("attribute 'inputdimensions' has " + std::to_string(dims_.size()) + " values for " +
                std::to_string(info.input_count()) + " inputs");
    }
    for (int64_t d : dims_) {
      if (d < 0) info.Fail("attribute 'inputdimensions' has a negative size");
      total_ += d;
    }
  }

  void Compute(KernelContext& context) const override {
    int64_t rows = -1;
    std::vector<FeatureMatrix> inputs;
    for (size_t i = 0; i < dims_.size(); ++i) {
      FeatureMatrix m = ReadFeatures(context, context.Input(i));
      if (rows >= 0 && m.rows != rows) {
        context.Fail("input " + std::to_string(i) + " has " + std::to_string(m.rows) + " rows; input 0 has " +
                     std::to_string(rows));
      }
      rows = m.rows;
      inputs.push_back(std::move(m));
    }
    if (rows < 0) rows = 0;
    float* y = context.AllocateOutput(0, DataType::kFloat32, {rows, total_}).mutable_data<float>();
    for (int64_t r = 0; r < rows; ++r) {
      float* out = y + r * total_;
      for (size_t i = 0; i < inputs.size(); ++i) {
        const FeatureMatrix& m = inputs[i];
        // Narrower inputs are padded with zeros, wider ones cut.
        int64_t copy = std::min(m.cols, dims_[i]);
        std::copy(m.data + r * m.cols, m.data + r * m.cols + copy, out);
        out += dims_[i];
      }
    }
  }

 private:
  std::vector<int64_t> dims_;
  int64_t total_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> MakeScaler(const KernelInfo& info) { return std::make_unique<ScalerKernel>(info); }
std::unique_ptr<Kernel> MakeNormalizer(const KernelInfo& info) { return std::make_unique<NormalizerKernel>(info); }
std::unique_ptr<Kernel> MakeImputer(const KernelInfo& info) { return std::make_unique<ImputerKernel>(info); }
std::unique_ptr<Kernel> MakeBinarizer(const KernelInfo& info) { return std::make_unique<BinarizerKernel>(info); }
std::unique_ptr<Kernel> MakeArrayFeatureExtractor(const KernelInfo& info) {
  return std::make_unique<ArrayFeatureExtractorKernel>(info);
}
std::unique_ptr<Kernel> MakeFeatureVectorizer(const KernelInfo& info) {
  return std::make_unique<FeatureVectorizerKernel>(info);
}

}  // namespace cairn::runtime::ml
