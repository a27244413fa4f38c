// Registration functions of the ai.onnx kernel families, one per file under
// ops/, all called from DefaultRegistry() in op_registry.cpp.
#pragma once

namespace cairn::runtime {

class OpRegistry;

// Unary math, binary arithmetic with broadcasting, Pow, and the variadic
// Sum/Mean/Min/Max.
void RegisterElementwiseKernels(OpRegistry& registry);
// Comparisons, And/Or/Xor/Not, Where.
void RegisterLogicKernels(OpRegistry& registry);
// Cast and Clip.
void RegisterConversionKernels(OpRegistry& registry);
// MatMul, Gemm, Softmax, LogSoftmax, TopK.
void RegisterMathKernels(OpRegistry& registry);
// Reduce*, ArgMax, ArgMin.
void RegisterReduceKernels(OpRegistry& registry);
// Constant, Identity, Shape, Reshape, Flatten, Transpose, Squeeze, Unsqueeze,
// Concat, Gather, Slice.
void RegisterShapeKernels(OpRegistry& registry);
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger,
// QLinearMatMul.
void RegisterQuantizeKernels(OpRegistry& registry);

}  // namespace cairn::runtime
