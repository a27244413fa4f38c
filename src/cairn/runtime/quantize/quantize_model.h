// cairn's int8 quantization pass: rewrites the MatMul and Gemm nodes of a
// float model whose weight is a constant into integer form, leaving every
// other op in float. Weights become int8, symmetric, one scale per output
// channel; activations are quantized at run time (u8, one scale per tensor
// per call) by DynamicQuantizeLinear.
//
// MatMulInteger form (the default), for Y = X W (+ bias):
//   DynamicQuantizeLinear(X) -> Xq, x_scale, x_zero_point
//   MatMulInteger(Xq, Wq, x_zero_point) -> int32   (Wq's zero point is 0)
//   Cast(to float) -> Mul(x_scale * w_scale[N]) [-> Add(bias)] -> Y
// QDQ form: the same activation quantization followed by DequantizeLinear of
// both operands and a float MatMul, for engines that pattern-match QDQ.
// Both forms use only standard ai.onnx ops (opset 11 and 13 respectively).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/runtime/model.h"

namespace cairn::runtime::quantize {

enum class QuantizeFormat { kMatMulInteger, kQdq };

// "matmul-integer", "qdq".
std::string_view QuantizeFormatName(QuantizeFormat format);
// Inverse of QuantizeFormatName; kInvalidInput listing the choices.
QuantizeFormat ParseQuantizeFormat(std::string_view name);

struct QuantizeOptions {
  QuantizeFormat format = QuantizeFormat::kMatMulInteger;
  // Weights with fewer elements stay float (a tiny matrix saves nothing and
  // costs the activation quantization).
  int64_t min_weight_elements = 0;
};

struct QuantizeResult {
  Model quantized;
  // Serialized sizes of the whole model before and after.
  size_t bytes_before = 0;
  size_t bytes_after = 0;
  // Bytes of the weights that were replaced, and of what replaced them
  // (int8 values plus per-channel scales and, in QDQ form, zero points).
  size_t weight_bytes_before = 0;
  size_t weight_bytes_after = 0;
  int weights_quantized = 0;  // distinct weight matrices
  int nodes_quantized = 0;    // MatMul and Gemm nodes rewritten
  // Candidate nodes left in float, each with the reason:
  // "node 'fc1' (Gemm): transA=1 is not quantized".
  std::vector<std::string> skipped;
};

// The input must be a loaded (checked) model. kUnsupported when its ai.onnx
// opset is older than the chosen form needs.
QuantizeResult QuantizeModel(const Model& model, const QuantizeOptions& options = {});

struct QuantizedBytes {
  std::string bytes;
  QuantizeResult summary;  // summary.quantized is the model `bytes` encodes
};

// ONNX bytes in, quantized ONNX bytes out: loads and checks the input, runs
// the pass, and loads the result back through the checker before returning
// it. For frontends (the CLI, the model registry) that hold model files.
QuantizedBytes QuantizeModelBytes(std::string_view onnx_bytes, const QuantizeOptions& options = {},
                                  std::string_view source_name = "<bytes>");

}  // namespace cairn::runtime::quantize
