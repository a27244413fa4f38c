#include "cairn/runtime/ml/ml_util.h"

#include <algorithm>
#include <limits>

#include "cairn/core/error.h"

namespace cairn::runtime::ml {

PostTransform ParsePostTransform(const KernelInfo& info, std::string_view name) {
  std::string value = info.GetString(name, "NONE");
  if (value == "NONE") return PostTransform::kNone;
  if (value == "SOFTMAX") return PostTransform::kSoftmax;
  if (value == "LOGISTIC") return PostTransform::kLogistic;
  if (value == "SOFTMAX_ZERO") return PostTransform::kSoftmaxZero;
  if (value == "PROBIT") return PostTransform::kProbit;
  info.Fail("attribute '" + std::string(name) + "' is '" + value +
            "'; expected NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO or PROBIT");
}

PostTransform PostTransformFromInt(const KernelInfo& info, int64_t value) {
  switch (value) {
    case 0: return PostTransform::kNone;
    case 1: return PostTransform::kSoftmax;
    case 2: return PostTransform::kLogistic;
    case 3: return PostTransform::kSoftmaxZero;
    case 4: return PostTransform::kProbit;
    default: info.Fail("attribute 'post_transform' is " + std::to_string(value) + "; expected 0 to 4");
  }
}

float Probit(float p) {
  float x = 2.0f * p - 1.0f;
  float sign = x < 0 ? -1.0f : 1.0f;
  float ln = std::log((1.0f - x) * (1.0f + x));
  constexpr float kA = 0.147f;
  float t = 2.0f / (3.14159f * kA) + 0.5f * ln;
  float inner = -t + std::sqrt(t * t - (1.0f / kA) * ln);
  return 1.41421356f * sign * std::sqrt(inner);
}

void ApplyPostTransform(PostTransform transform, float* scores, int64_t n) {
  switch (transform) {
    case PostTransform::kNone: return;
    case PostTransform::kLogistic:
      for (int64_t i = 0; i < n; ++i) scores[i] = Logistic(scores[i]);
      return;
    case PostTransform::kProbit:
      for (int64_t i = 0; i < n; ++i) scores[i] = Probit(scores[i]);
      return;
    case PostTransform::kSoftmax:
    case PostTransform::kSoftmaxZero: {
      bool zero_stays = transform == PostTransform::kSoftmaxZero;
      float max = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < n; ++i) max = std::max(max, scores[i]);
      float sum = 0;
      for (int64_t i = 0; i < n; ++i) {
        // SOFTMAX_ZERO: a score of (nearly) zero means "no vote" and stays 0.
        if (zero_stays && std::fabs(scores[i]) <= 1e-7f) {
          scores[i] = 0;
        } else {
          scores[i] = std::exp(scores[i] - max);
        }
        sum += scores[i];
      }
      if (sum > 0) {
        for (int64_t i = 0; i < n; ++i) scores[i] /= sum;
      }
      return;
    }
  }
}

FeatureMatrix ReadFeatures(const KernelContext& context, const Tensor& x) {
  FeatureMatrix m;
  if (x.rank() == 0 || x.rank() > 2) {
    context.Fail("input X must be [N, F] or [F], got " + x.Describe());
  }
  m.rows = x.rank() == 2 ? x.dim(0) : 1;
  m.cols = x.rank() == 2 ? x.dim(1) : x.dim(0);
  switch (x.dtype()) {
    case DataType::kFloat32: m.data = x.data<float>(); return m;
    case DataType::kFloat64:
    case DataType::kInt64:
    case DataType::kInt32:
    case DataType::kInt16:
    case DataType::kInt8:
    case DataType::kUint8:
      m.converted.resize(static_cast<size_t>(x.size()));
      for (int64_t i = 0; i < x.size(); ++i) m.converted[i] = static_cast<float>(x.ValueAsDouble(i));
      m.data = m.converted.data();
      return m;
    default: context.Fail("input X has type " + std::string(DataTypeName(x.dtype())) + "; expected a numeric type");
  }
}

ClassLabels::ClassLabels(const KernelInfo& info, const std::string& strings_name, const std::string& ints_name) {
  strings_ = info.GetStrings(strings_name);
  ints_ = info.GetInts(ints_name);
  if (!strings_.empty() && !ints_.empty()) {
    info.Fail("only one of '" + strings_name + "' and '" + ints_name + "' may be given");
  }
  is_string_ = !strings_.empty();
}

Tensor& ClassLabels::Allocate(KernelContext& context, size_t output, int64_t rows) const {
  return context.AllocateOutput(output, is_string_ ? DataType::kString : DataType::kInt64, {rows});
}

void ClassLabels::Set(Tensor& out, int64_t row, int64_t index) const {
  if (is_string_) {
    out.mutable_data<std::string>()[row] = strings_[static_cast<size_t>(index)];
  } else {
    out.mutable_data<int64_t>()[row] = ints_[static_cast<size_t>(index)];
  }
}

std::vector<double> GetFloatsOrTensor(const KernelInfo& info, const std::string& name) {
  std::string tensor_name = name + "_as_tensor";
  if (info.HasAttribute(tensor_name)) {
    Tensor t = info.RequireTensor(tensor_name);
    if (t.dtype() != DataType::kFloat32 && t.dtype() != DataType::kFloat64) {
      info.Fail("attribute '" + tensor_name + "' must be a float or double tensor, got " + t.Describe());
    }
    std::vector<double> out(static_cast<size_t>(t.size()));
    for (int64_t i = 0; i < t.size(); ++i) out[i] = t.ValueAsDouble(i);
    return out;
  }
  std::vector<float> values = info.GetFloats(name);
  return std::vector<double>(values.begin(), values.end());
}

}  // namespace cairn::runtime::ml
