#include "cairn/runtime/quantize/weight_quantization.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cairn::runtime::quantize {

ChannelQuantizedWeights QuantizePerColumn(const Tensor& weights) {
  const int64_t k = weights.dim(0), n = weights.dim(1);
  const float* w = weights.data<float>();
  std::vector<float> scales(n, 0.0f);
  for (int64_t r = 0; r < k; ++r) {
    for (int64_t c = 0; c < n; ++c) scales[c] = std::max(scales[c], std::fabs(w[r * n + c]));
  }
  for (float& s : scales) s = s > 0 && std::isfinite(s) ? s / 127.0f : 1.0f;
  ChannelQuantizedWeights out{Tensor(DataType::kInt8, {k, n}), Tensor::FromVector<float>({n}, scales)};
  int8_t* q = out.values.mutable_data<int8_t>();
  for (int64_t r = 0; r < k; ++r) {
    for (int64_t c = 0; c < n; ++c) {
      // Half to even, as ONNX's QuantizeLinear rounds, so that the pair
      // (values, scales) is what QuantizeLinear(weights, scales) would give.
      float v = std::nearbyint(w[r * n + c] / scales[c]);
      q[r * n + c] = static_cast<int8_t>(std::clamp(std::isnan(v) ? 0.0f : v, -127.0f, 127.0f));
    }
  }
  return out;
}

Tensor Transpose2D(const Tensor& matrix) {
  const int64_t rows = matrix.dim(0), cols = matrix.dim(1);
  Tensor out(DataType::kFloat32, {cols, rows});
  const float* in = matrix.data<float>();
  float* t = out.mutable_data<float>();
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) t[c * rows + r] = in[r * cols + c];
  }
  return out;
}

}  // namespace cairn::runtime::quantize
