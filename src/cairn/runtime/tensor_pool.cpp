#include "cairn/runtime/tensor_pool.h"

#include <cstring>

namespace cairn::runtime {

void TensorPool::Release(Tensor tensor) {
  if (tensor.dtype() == DataType::kString || !tensor.OwnsStorageAlone() || tensor.offset_ != 0) return;
  size_t bytes = tensor.byte_size();
  if (bytes < 64) return;  // small buffers are cheaper to allocate than to track
  free_.emplace(bytes, std::move(tensor.bytes_));
}

Tensor TensorPool::Allocate(DataType dtype, const Shape& shape) {
  size_t bytes = static_cast<size_t>(ElementCount(shape)) * DataTypeSize(dtype);
  auto it = dtype == DataType::kString ? free_.end() : free_.find(bytes);
  if (it == free_.end()) return Tensor(dtype, shape);
  Tensor tensor;
  tensor.dtype_ = dtype;
  tensor.shape_ = shape;
  tensor.size_ = ElementCount(shape);
  tensor.bytes_ = std::move(it->second);
  free_.erase(it);
  std::memset(tensor.bytes_.get(), 0, bytes);
  return tensor;
}

}  // namespace cairn::runtime
