// Tensor: cairn's n-dimensional array, the unit of data every kernel reads and
// writes. Storage is contiguous, row-major and shared on copy, so copies,
// reshapes and row ranges are cheap views.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::runtime {

class TensorPool;

// Element types; the numbers are ONNX's TensorProto.DataType so that the
// loader maps them one to one.
enum class DataType : int32_t {
  kUndefined = 0,
  kFloat32 = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kFloat64 = 11,
  kUint32 = 12,
  kUint64 = 13,
  kBfloat16 = 16,
};

// "float32", "int64", "string", ...
std::string_view DataTypeName(DataType type);
// Bytes per element; 0 for string and for types cairn cannot store.
size_t DataTypeSize(DataType type);
// Whether a Tensor can hold this type (float16 and bfloat16 cannot).
bool IsStorableType(DataType type);
bool IsFloatingType(DataType type);
bool IsIntegerType(DataType type);

template <typename T>
constexpr DataType DataTypeOf();
template <> constexpr DataType DataTypeOf<float>() { return DataType::kFloat32; }
template <> constexpr DataType DataTypeOf<double>() { return DataType::kFloat64; }
template <> constexpr DataType DataTypeOf<int8_t>() { return DataType::kInt8; }
template <> constexpr DataType DataTypeOf<uint8_t>() { return DataType::kUint8; }
template <> constexpr DataType DataTypeOf<int16_t>() { return DataType::kInt16; }
template <> constexpr DataType DataTypeOf<uint16_t>() { return DataType::kUint16; }
template <> constexpr DataType DataTypeOf<int32_t>() { return DataType::kInt32; }
template <> constexpr DataType DataTypeOf<uint32_t>() { return DataType::kUint32; }
template <> constexpr DataType DataTypeOf<int64_t>() { return DataType::kInt64; }
template <> constexpr DataType DataTypeOf<uint64_t>() { return DataType::kUint64; }
template <> constexpr DataType DataTypeOf<bool>() { return DataType::kBool; }
template <> constexpr DataType DataTypeOf<std::string>() { return DataType::kString; }

using Shape = std::vector<int64_t>;

// Product of the dimensions (1 for a scalar).
int64_t ElementCount(const Shape& shape);
// "[2, 3]"; "[]" for a scalar.
std::string ShapeToString(const Shape& shape);

class Tensor {
 public:
  // An undefined tensor (dtype kUndefined), as for an absent optional value.
  Tensor() = default;
  // Zero-initialised (empty strings for kString). Throws kUnsupported for a
  // type cairn cannot store and kInvalidInput for a negative dimension.
  Tensor(DataType dtype, Shape shape);

  template <typename T>
  static Tensor FromVector(Shape shape, const std::vector<T>& values);
  template <typename T>
  static Tensor Scalar(T value) {
    return FromVector<T>({}, std::vector<T>{value});
  }

  bool defined() const { return dtype_ != DataType::kUndefined; }
  DataType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t dim(size_t axis) const { return shape_[axis]; }
  int64_t size() const { return size_; }
  size_t byte_size() const { return static_cast<size_t>(size_) * DataTypeSize(dtype_); }

  // Typed element pointers; throw an internal kInvalidInput error when T does
  // not match dtype(). Writing through mutable_data() is for tensors the
  // caller allocated: copies share storage.
  template <typename T>
  const T* data() const {
    CheckType(DataTypeOf<T>());
    return reinterpret_cast<const T*>(RawData());
  }
  template <typename T>
  T* mutable_data() {
    CheckType(DataTypeOf<T>());
    return reinterpret_cast<T*>(const_cast<void*>(RawData()));
  }
  template <typename T>
  std::span<const T> values() const {
    return {data<T>(), static_cast<size_t>(size_)};
  }
  template <typename T>
  std::span<T> mutable_values() {
    return {mutable_data<T>(), static_cast<size_t>(size_)};
  }
  // Untyped access (not for strings).
  const void* raw_data() const { return RawData(); }
  void* mutable_raw_data() { return const_cast<void*>(RawData()); }

  // A view with another shape of the same element count.
  Tensor Reshaped(Shape shape) const;
  // A view of rows [begin, end) along axis 0.
  Tensor Rows(int64_t begin, int64_t end) const;
  // A deep copy with its own storage.
  Tensor Clone() const;
  // Element `index` (flat, row-major) converted to double; not for strings.
  double ValueAsDouble(int64_t index) const;
  // Whether this tensor is the only owner of its storage (for buffer reuse).
  bool OwnsStorageAlone() const;

  // A short description for messages: "float32[2, 3]".
  std::string Describe() const;

 private:
  friend class TensorPool;
  void CheckType(DataType wanted) const;
  [[noreturn]] static void ThrowSizeMismatch(size_t given, int64_t expected);
  const void* RawData() const;

  DataType dtype_ = DataType::kUndefined;
  Shape shape_;
  int64_t size_ = 0;
  // Numeric storage is raw bytes; string storage is a vector of strings.
  // offset_ is in elements, for row views.
  std::shared_ptr<std::byte[]> bytes_;
  std::shared_ptr<std::vector<std::string>> strings_;
  int64_t offset_ = 0;
};

template <typename T>
Tensor Tensor::FromVector(Shape shape, const std::vector<T>& values) {
  Tensor tensor(DataTypeOf<T>(), std::move(shape));
  if (static_cast<int64_t>(values.size()) != tensor.size()) {
    ThrowSizeMismatch(values.size(), tensor.size());
  }
  T* out = tensor.mutable_data<T>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return tensor;
}

}  // namespace cairn::runtime
