// Value: what flows along a graph edge. Almost always a Tensor; ZipMap-style
// outputs (a sequence of maps, one per row, sharing their keys) are the one
// non-tensor kind cairn runs.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "cairn/runtime/tensor.h"

namespace cairn::runtime {

// Row i is the map keys[j] -> values[i, j]. keys is 1-D int64 or string;
// values is 2-D [rows, keys.size()].
struct MapSequence {
  Tensor keys;
  Tensor values;
};

class Value {
 public:
  Value() = default;
  // Implicit on purpose: a Tensor or a MapSequence is a Value.
  Value(Tensor tensor) : content_(std::move(tensor)) {}
  Value(MapSequence maps) : content_(std::move(maps)) {}

  bool empty() const { return std::holds_alternative<std::monostate>(content_); }
  bool is_tensor() const { return std::holds_alternative<Tensor>(content_); }
  bool is_map_sequence() const { return std::holds_alternative<MapSequence>(content_); }

  // Throw kInvalidInput naming `what` when the value is of another kind.
  const Tensor& tensor(std::string_view what = "value") const;
  Tensor& mutable_tensor(std::string_view what = "value");
  const MapSequence& map_sequence(std::string_view what = "value") const;

  // "float32[2, 3]" or "seq(map(int64, float32))[2]".
  std::string Describe() const;

 private:
  std::variant<std::monostate, Tensor, MapSequence> content_;
};

}  // namespace cairn::runtime
