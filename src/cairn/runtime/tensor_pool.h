// TensorPool: buffers of values that died during one Session::Run call, handed
// to later outputs of the same byte size instead of fresh allocations.
#pragma once

#include <cstddef>
#include <map>
#include <memory>

#include "cairn/runtime/tensor.h"

namespace cairn::runtime {

class TensorPool {
 public:
  // Keeps the tensor's buffer when nothing else shares it.
  void Release(Tensor tensor);
  // A zero-filled tensor, on a recycled buffer when one of the same size is free.
  Tensor Allocate(DataType dtype, const Shape& shape);

 private:
  std::multimap<size_t, std::shared_ptr<std::byte[]>> free_;
};

}  // namespace cairn::runtime
