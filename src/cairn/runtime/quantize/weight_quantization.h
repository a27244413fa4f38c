// Symmetric int8 quantization of a constant weight matrix, one scale per
// output channel (column), the weight half of cairn's int8 pass.
#pragma once

#include "cairn/runtime/tensor.h"

namespace cairn::runtime::quantize {

struct ChannelQuantizedWeights {
  Tensor values;  // int8 [K, N], in [-127, 127]
  Tensor scales;  // float32 [N]: weight[k, n] ~= values[k, n] * scales[n]
};

// `weights` is float32 [K, N] (already transposed for Gemm's transB). A column
// of zeros gets scale 1 so that every scale stays a usable divisor. The range
// is [-127, 127], not -128, so that negating a weight stays representable.
ChannelQuantizedWeights QuantizePerColumn(const Tensor& weights);

// float32 [N, K] -> [K, N].
Tensor Transpose2D(const Tensor& matrix);

}  // namespace cairn::runtime::quantize
