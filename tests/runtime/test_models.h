// Small models built in code for the runtime tests.
#pragma once

#include <string>
#include <vector>

#include "cairn/runtime/model.h"

namespace cairn::runtime::testing {

Attribute IntAttribute(const std::string& name, int64_t value);
ValueInfo FloatInput(const std::string& name, const std::vector<Dimension>& dims);

// X float32[batch, 4] -> MatMul(W 4x3) -> Add(B) -> Softmax(axis 1) -> Y.
// With `fixed_batch`, X's first dimension is declared as 1.
Model MlpModel(bool fixed_batch = false);
std::string MlpModelBytes();

// The weights MlpModel uses, row-major W[4][3] and B[3].
const std::vector<float>& MlpWeights();
const std::vector<float>& MlpBias();

}  // namespace cairn::runtime::testing
