#include "cairn/runtime/value.h"

#include "cairn/core/error.h"

namespace cairn::runtime {

const Tensor& Value::tensor(std::string_view what) const {
  if (!is_tensor()) ThrowInvalidInput(std::string(what) + " is " + Describe() + ", not a tensor");
  return std::get<Tensor>(content_);
}

Tensor& Value::mutable_tensor(std::string_view what) {
  if (!is_tensor()) ThrowInvalidInput(std::string(what) + " is " + Describe() + ", not a tensor");
  return std::get<Tensor>(content_);
}

const MapSequence& Value::map_sequence(std::string_view what) const {
  if (!is_map_sequence()) ThrowInvalidInput(std::string(what) + " is " + Describe() + ", not a sequence of maps");
  return std::get<MapSequence>(content_);
}

std::string Value::Describe() const {
  if (empty()) return "absent";
  if (is_tensor()) return std::get<Tensor>(content_).Describe();
  const auto& maps = std::get<MapSequence>(content_);
  int64_t rows = maps.values.rank() > 0 ? maps.values.dim(0) : 0;
  return "seq(map(" + std::string(DataTypeName(maps.keys.dtype())) + ", " +
         std::string(DataTypeName(maps.values.dtype())) + "))[" + std::to_string(rows) + "]";
}

}  // namespace cairn::runtime
