// Float models with deterministic random weights for the int8 quantization
// tests: a 2x256 MLP classifier and a logistic regression.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/runtime/model.h"

namespace cairn::runtime::testing {

// X float32[N, features] -> Gemm(transB=1) 256 -> Relu -> MatMul 256 + Add ->
// Relu -> Gemm(alpha 0.5, beta 2) classes -> Softmax -> "probabilities".
Model QuantizeMlpModel(int64_t features, int64_t classes, uint32_t seed);
// X float32[N, features] -> MatMul [features, 1] -> Add -> Sigmoid -> "probability".
Model QuantizeLinearModel(int64_t features, uint32_t seed);
// Standard-normal rows, row-major [rows, features].
std::vector<float> RandomRows(int64_t rows, int64_t features, uint32_t seed);

}  // namespace cairn::runtime::testing
