#include "cairn/runtime/proto_convert.h"

#include <cstring>

#include "cairn/core/error.h"

namespace cairn::runtime {
namespace {

template <typename T, typename Field>
void CopyField(const Field& field, Tensor& tensor, const std::string& where) {
  if (static_cast<int64_t>(field.size()) != tensor.size()) {
    ThrowCorrupt(where + ": tensor holds " + std::to_string(field.size()) + " values for shape " +
                 ShapeToString(tensor.shape()));
  }
  T* out = tensor.mutable_data<T>();
  for (int i = 0; i < field.size(); ++i) out[i] = static_cast<T>(field.Get(i));
}

}  // namespace

Tensor TensorFromProto(const onnx::TensorProto& proto, const std::string& where) {
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    ThrowUnsupported(where + ": tensors with external data are not supported");
  }
  auto dtype = static_cast<DataType>(proto.data_type());
  if (!IsStorableType(dtype)) {
    ThrowUnsupported(where + ": cairn cannot hold tensors of type " + std::string(DataTypeName(dtype)) + " (" +
                     std::to_string(proto.data_type()) + ")");
  }
  Shape shape(proto.dims().begin(), proto.dims().end());
  for (int64_t d : shape) {
    if (d < 0) ThrowCorrupt(where + ": tensor shape " + ShapeToString(shape) + " has a negative dimension");
  }
  Tensor tensor(dtype, shape);
  if (dtype == DataType::kString) {
    CopyField<std::string>(proto.string_data(), tensor, where);
    return tensor;
  }
  if (proto.has_raw_data()) {
    const std::string& raw = proto.raw_data();
    if (raw.size() != tensor.byte_size()) {
      ThrowCorrupt(where + ": tensor raw data has " + std::to_string(raw.size()) + " bytes; shape " +
                   ShapeToString(shape) + " of " + std::string(DataTypeName(dtype)) + " needs " +
                   std::to_string(tensor.byte_size()));
    }
    if (dtype == DataType::kBool) {
      // Any non-zero byte is true; copied one by one so that every stored bool is 0 or 1.
      bool* out = tensor.mutable_data<bool>();
      for (size_t i = 0; i < raw.size(); ++i) out[i] = raw[i] != 0;
    } else if (!raw.empty()) {
      std::memcpy(tensor.mutable_raw_data(), raw.data(), raw.size());
    }
    return tensor;
  }
  switch (dtype) {
    case DataType::kFloat32: CopyField<float>(proto.float_data(), tensor, where); break;
    case DataType::kFloat64: CopyField<double>(proto.double_data(), tensor, where); break;
    case DataType::kInt64: CopyField<int64_t>(proto.int64_data(), tensor, where); break;
    case DataType::kUint32: CopyField<uint32_t>(proto.uint64_data(), tensor, where); break;
    case DataType::kUint64: CopyField<uint64_t>(proto.uint64_data(), tensor, where); break;
    case DataType::kInt32: CopyField<int32_t>(proto.int32_data(), tensor, where); break;
    case DataType::kInt16: CopyField<int16_t>(proto.int32_data(), tensor, where); break;
    case DataType::kUint16: CopyField<uint16_t>(proto.int32_data(), tensor, where); break;
    case DataType::kInt8: CopyField<int8_t>(proto.int32_data(), tensor, where); break;
    case DataType::kUint8: CopyField<uint8_t>(proto.int32_data(), tensor, where); break;
    case DataType::kBool: {
      const auto& field = proto.int32_data();
      if (static_cast<int64_t>(field.size()) != tensor.size()) {
        ThrowCorrupt(where + ": tensor holds " + std::to_string(field.size()) + " values for shape " +
                     ShapeToString(shape));
      }
      bool* out = tensor.mutable_data<bool>();
      for (int i = 0; i < field.size(); ++i) out[i] = field.Get(i) != 0;
      break;
    }
    default: break;
  }
  return tensor;
}

ValueType ValueTypeFromProto(const onnx::TypeProto& proto) {
  ValueType type;
  if (proto.has_tensor_type()) {
    const auto& tensor = proto.tensor_type();
    type.kind = ValueKind::kTensor;
    type.elem_type = static_cast<DataType>(tensor.elem_type());
    if (tensor.has_shape()) {
      type.has_shape = true;
      for (const auto& dim : tensor.shape().dim()) {
        Dimension d;
        if (dim.has_dim_value()) d.value = dim.dim_value();
        if (dim.has_dim_param()) d.symbol = dim.dim_param();
        type.dims.push_back(d);
      }
    }
  } else if (proto.has_sequence_type() && proto.sequence_type().elem_type().has_map_type()) {
    const auto& map = proto.sequence_type().elem_type().map_type();
    type.kind = ValueKind::kSequenceOfMaps;
    type.key_type = static_cast<DataType>(map.key_type());
    if (map.value_type().has_tensor_type()) {
      type.elem_type = static_cast<DataType>(map.value_type().tensor_type().elem_type());
    }
  } else if (proto.has_map_type()) {
    type.kind = ValueKind::kMap;
    type.key_type = static_cast<DataType>(proto.map_type().key_type());
    if (proto.map_type().value_type().has_tensor_type()) {
      type.elem_type = static_cast<DataType>(proto.map_type().value_type().tensor_type().elem_type());
    }
  } else {
    type.kind = ValueKind::kOther;
  }
  return type;
}

}  // namespace cairn::runtime
