// Reading and writing single tensors in ONNX's TensorProto encoding, the
// format of the backend tests' input_N.pb and output_N.pb files.
#pragma once

#include <string>
#include <string_view>

#include "cairn/runtime/tensor.h"

namespace cairn::runtime {

// kCorrupt naming `source` when the bytes are not a TensorProto.
Tensor TensorFromProtoBytes(std::string_view bytes, const std::string& source);
// Reads a .pb file holding one TensorProto; kIo when unreadable.
Tensor ReadTensorFile(const std::string& path);
// Serialises a tensor (raw_data for numbers) under the given name.
std::string TensorToProtoBytes(const Tensor& tensor, const std::string& name);

}  // namespace cairn::runtime
