#include "cairn/runtime/tensor.h"

#include <cstring>

#include "cairn/core/error.h"

namespace cairn::runtime {

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kUndefined: return "undefined";
    case DataType::kFloat32: return "float32";
    case DataType::kUint8: return "uint8";
    case DataType::kInt8: return "int8";
    case DataType::kUint16: return "uint16";
    case DataType::kInt16: return "int16";
    case DataType::kInt32: return "int32";
    case DataType::kInt64: return "int64";
    case DataType::kString: return "string";
    case DataType::kBool: return "bool";
    case DataType::kFloat16: return "float16";
    case DataType::kFloat64: return "float64";
    case DataType::kUint32: return "uint32";
    case DataType::kUint64: return "uint64";
    case DataType::kBfloat16: return "bfloat16";
  }
  return "unknown";
}

size_t DataTypeSize(DataType type) {
  switch (type) {
    case DataType::kFloat32: return 4;
    case DataType::kUint8: return 1;
    case DataType::kInt8: return 1;
    case DataType::kUint16: return 2;
    case DataType::kInt16: return 2;
    case DataType::kInt32: return 4;
    case DataType::kInt64: return 8;
    case DataType::kBool: return 1;
    case DataType::kFloat64: return 8;
    case DataType::kUint32: return 4;
    case DataType::kUint64: return 8;
    default: return 0;
  }
}

bool IsStorableType(DataType type) { return type == DataType::kString || DataTypeSize(type) > 0; }

bool IsFloatingType(DataType type) { return type == DataType::kFloat32 || type == DataType::kFloat64; }

bool IsIntegerType(DataType type) {
  switch (type) {
    case DataType::kUint8:
    case DataType::kInt8:
    case DataType::kUint16:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
    case DataType::kUint32:
    case DataType::kUint64: return true;
    default: return false;
  }
}

int64_t ElementCount(const Shape& shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    // Shapes come from model files: a product past int64 is a damaged model, not a tensor.
    if (__builtin_mul_overflow(count, d, &count)) {
      ThrowInvalidInput("shape " + ShapeToString(shape) + " has more elements than cairn can hold");
    }
  }
  return count;
}

std::string ShapeToString(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

Tensor::Tensor(DataType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  if (!IsStorableType(dtype)) {
    ThrowUnsupported("cairn cannot hold " + std::string(DataTypeName(dtype)) + " tensors");
  }
  size_ = 1;
  for (int64_t d : shape_) {
    if (d < 0) ThrowInvalidInput("tensor shape " + ShapeToString(shape_) + " has a negative dimension");
    // Guards the multiplication against overflow on corrupt shapes.
    if (d > 0 && size_ > (int64_t{1} << 40) / d) {
      ThrowInvalidInput("tensor shape " + ShapeToString(shape_) + " is too large");
    }
    size_ *= d;
  }
  if (dtype == DataType::kString) {
    strings_ = std::make_shared<std::vector<std::string>>(static_cast<size_t>(size_));
  } else {
    size_t bytes = std::max<size_t>(byte_size(), 1);
    bytes_ = std::shared_ptr<std::byte[]>(new std::byte[bytes]());
  }
}

void Tensor::ThrowSizeMismatch(size_t given, int64_t expected) {
  ThrowInvalidInput("tensor given " + std::to_string(given) + " values for " + std::to_string(expected) +
                    " elements");
}

void Tensor::CheckType(DataType wanted) const {
  if (wanted != dtype_) {
    ThrowInvalidInput("tensor of type " + std::string(DataTypeName(dtype_)) + " read as " +
                      std::string(DataTypeName(wanted)));
  }
}

const void* Tensor::RawData() const {
  if (dtype_ == DataType::kString) return strings_ ? strings_->data() + offset_ : nullptr;
  return bytes_ ? bytes_.get() + offset_ * static_cast<int64_t>(DataTypeSize(dtype_)) : nullptr;
}

Tensor Tensor::Reshaped(Shape shape) const {
  if (ElementCount(shape) != size_) {
    ThrowInvalidInput("cannot view " + Describe() + " as shape " + ShapeToString(shape));
  }
  Tensor view = *this;
  view.shape_ = std::move(shape);
  return view;
}

Tensor Tensor::Rows(int64_t begin, int64_t end) const {
  if (shape_.empty() || begin < 0 || end < begin || end > shape_[0]) {
    ThrowInvalidInput("rows [" + std::to_string(begin) + ", " + std::to_string(end) + ") are outside " + Describe());
  }
  Tensor view = *this;
  int64_t row = shape_[0] == 0 ? 0 : size_ / shape_[0];
  view.shape_[0] = end - begin;
  view.size_ = row * (end - begin);
  view.offset_ = offset_ + row * begin;
  return view;
}

Tensor Tensor::Clone() const {
  if (!defined()) return {};
  Tensor copy(dtype_, shape_);
  if (dtype_ == DataType::kString) {
    auto in = values<std::string>();
    auto out = copy.mutable_values<std::string>();
    for (size_t i = 0; i < in.size(); ++i) out[i] = in[i];
  } else if (byte_size() > 0) {
    std::memcpy(copy.mutable_raw_data(), raw_data(), byte_size());
  }
  return copy;
}

double Tensor::ValueAsDouble(int64_t index) const {
  const void* p = RawData();
  switch (dtype_) {
    case DataType::kFloat32: return static_cast<const float*>(p)[index];
    case DataType::kFloat64: return static_cast<const double*>(p)[index];
    case DataType::kInt8: return static_cast<const int8_t*>(p)[index];
    case DataType::kUint8: return static_cast<const uint8_t*>(p)[index];
    case DataType::kInt16: return static_cast<const int16_t*>(p)[index];
    case DataType::kUint16: return static_cast<const uint16_t*>(p)[index];
    case DataType::kInt32: return static_cast<const int32_t*>(p)[index];
    case DataType::kUint32: return static_cast<const uint32_t*>(p)[index];
    case DataType::kInt64: return static_cast<double>(static_cast<const int64_t*>(p)[index]);
    case DataType::kUint64: return static_cast<double>(static_cast<const uint64_t*>(p)[index]);
    case DataType::kBool: return static_cast<const bool*>(p)[index] ? 1.0 : 0.0;
    default: ThrowInvalidInput(Describe() + " has no numeric values");
  }
}

bool Tensor::OwnsStorageAlone() const {
  if (dtype_ == DataType::kString) return strings_ && strings_.use_count() == 1;
  return bytes_ && bytes_.use_count() == 1;
}

std::string Tensor::Describe() const { return std::string(DataTypeName(dtype_)) + ShapeToString(shape_); }

}  // namespace cairn::runtime
