// Conversion from ONNX protobuf messages to cairn's tensors and types. Private
// to the runtime's .cpp files: protobuf types stay out of public headers.
#pragma once

#include <string>

#include "cairn/runtime/model.h"
#include "cairn/runtime/tensor.h"
#include "onnx/onnx_pb.h"

namespace cairn::runtime {

// kCorrupt naming `where` when the proto's data does not match its dims;
// kUnsupported for external data or a type cairn cannot hold.
Tensor TensorFromProto(const onnx::TensorProto& proto, const std::string& where);
ValueType ValueTypeFromProto(const onnx::TypeProto& proto);

}  // namespace cairn::runtime
