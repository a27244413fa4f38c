// Helpers shared by the ai.onnx.ml kernels: post-transforms, reading feature
// matrices of any numeric type as float, and class-label outputs.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cairn/runtime/kernel.h"

namespace cairn::runtime::ml {

enum class PostTransform { kNone, kSoftmax, kLogistic, kSoftmaxZero, kProbit };

// From the string attribute (opsets 1-3) "NONE", "SOFTMAX", "LOGISTIC",
// "SOFTMAX_ZERO", "PROBIT"; kInvalidInput naming the node otherwise.
PostTransform ParsePostTransform(const KernelInfo& info, std::string_view name = "post_transform");
// From the integer form of opset 5 (0..4).
PostTransform PostTransformFromInt(const KernelInfo& info, int64_t value);

inline float Logistic(float v) {
  // Split by sign so exp never overflows.
  if (v >= 0) return 1.0f / (1.0f + std::exp(-v));
  float e = std::exp(v);
  return e / (1.0f + e);
}

// The inverse of the standard normal CDF. cairn uses Winitzki's closed-form
// approximation of erfinv (a = 0.147), the one the reference engine uses, so
// that PROBIT outputs agree with it to float precision.
float Probit(float p);

// In place over one row of `n` scores.
void ApplyPostTransform(PostTransform transform, float* scores, int64_t n);

// A 2-D float view of a kernel's feature input ([N, F], or [F] as one row);
// other numeric types are converted once per call.
struct FeatureMatrix {
  const float* data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<float> converted;
};
// kInvalidInput naming the node for rank > 2 or a non-numeric type.
FeatureMatrix ReadFeatures(const KernelContext& context, const Tensor& x);

// Class labels: int64 or strings, exactly one of the two attributes.
class ClassLabels {
 public:
  ClassLabels() = default;
  // Reads `<prefix>strings` and `<prefix>int64s` (or `<prefix>ints`).
  ClassLabels(const KernelInfo& info, const std::string& strings_name, const std::string& ints_name);
  bool is_string() const { return is_string_; }
  int64_t size() const { return is_string_ ? static_cast<int64_t>(strings_.size()) : static_cast<int64_t>(ints_.size()); }
  // Output tensor of labels for `rows` rows.
  Tensor& Allocate(KernelContext& context, size_t output, int64_t rows) const;
  // Writes label `index` at `row` of a tensor from Allocate.
  void Set(Tensor& out, int64_t row, int64_t index) const;
  const std::vector<int64_t>& ints() const { return ints_; }
  const std::vector<std::string>& strings() const { return strings_; }

 private:
  bool is_string_ = false;
  std::vector<int64_t> ints_;
  std::vector<std::string> strings_;
};

// The attribute as floats: `name` (floats) or `name_as_tensor` (a float or
// double tensor); empty when neither is present.
std::vector<double> GetFloatsOrTensor(const KernelInfo& info, const std::string& name);

}  // namespace cairn::runtime::ml
