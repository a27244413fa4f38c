// The 8-bit integer matrix product behind MatMulInteger and QLinearMatMul:
// a portable reference path for every shape, and a fast path on oneDNN's
// VNNI int8 GEMM for the form cairn's quantization pass emits (u8
// activations times a constant 2-D int8 weight).
#pragma once

#include <memory>

#include "cairn/runtime/kernel.h"
#include "cairn/runtime/tensor.h"

namespace cairn::runtime {

// (A - a_zero) x (B - b_zero) accumulated exactly in int32, with numpy
// matmul batch broadcasting. a_zero is a scalar or one per row of A, b_zero a
// scalar or one per column of B; either may be null (zero).
Tensor IntegerMatMul(const KernelContext& context, const Tensor& a, const Tensor* a_zero, const Tensor& b,
                     const Tensor* b_zero);

// The MatMulInteger kernel: prepares the fast path at load time when B is a
// constant int8 matrix and the CPU has VNNI, else uses IntegerMatMul.
std::unique_ptr<Kernel> MakeMatMulIntegerKernel(const KernelInfo& info);

// Whether this process runs int8 products on the fast path when it can
// (false without VNNI or when CAIRN_INT8_GEMM=reference is set).
bool Int8FastPathAvailable();

}  // namespace cairn::runtime
