#include "cairn/runtime/tensor_io.h"

#include <climits>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/runtime/proto_convert.h"

namespace cairn::runtime {

Tensor TensorFromProtoBytes(std::string_view bytes, const std::string& source) {
  onnx::TensorProto proto;
  if (bytes.size() > static_cast<size_t>(INT_MAX) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    ThrowCorrupt(source + ": not a valid ONNX tensor (protobuf parse failed)");
  }
  return TensorFromProto(proto, source);
}

Tensor ReadTensorFile(const std::string& path) { return TensorFromProtoBytes(ReadFile(path), path); }

std::string TensorToProtoBytes(const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(static_cast<int32_t>(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto.add_dims(d);
  if (tensor.dtype() == DataType::kString) {
    for (const auto& s : tensor.values<std::string>()) proto.add_string_data(s);
  } else {
    proto.set_raw_data(static_cast<const char*>(tensor.raw_data()), tensor.byte_size());
  }
  return proto.SerializeAsString();
}

}  // namespace cairn::runtime
