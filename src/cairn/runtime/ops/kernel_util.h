// Helpers shared by kernels: axis normalisation, numpy broadcasting and
// dispatch from a runtime DataType to a C++ element type.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/runtime/tensor.h"

namespace cairn::runtime {

template <typename T>
struct TypeTag {
  using type = T;
};

// Calls fn(TypeTag<T>{}) for the numeric element type of `dtype` (bool
// included); returns false for string and unstorable types.
template <typename F>
bool DispatchNumeric(DataType dtype, F&& fn) {
  switch (dtype) {
    case DataType::kFloat32: fn(TypeTag<float>{}); return true;
    case DataType::kFloat64: fn(TypeTag<double>{}); return true;
    case DataType::kInt8: fn(TypeTag<int8_t>{}); return true;
    case DataType::kUint8: fn(TypeTag<uint8_t>{}); return true;
    case DataType::kInt16: fn(TypeTag<int16_t>{}); return true;
    case DataType::kUint16: fn(TypeTag<uint16_t>{}); return true;
    case DataType::kInt32: fn(TypeTag<int32_t>{}); return true;
    case DataType::kUint32: fn(TypeTag<uint32_t>{}); return true;
    case DataType::kInt64: fn(TypeTag<int64_t>{}); return true;
    case DataType::kUint64: fn(TypeTag<uint64_t>{}); return true;
    case DataType::kBool: fn(TypeTag<bool>{}); return true;
    default: return false;
  }
}

// As DispatchNumeric, plus std::string.
template <typename F>
bool DispatchAny(DataType dtype, F&& fn) {
  if (dtype == DataType::kString) {
    fn(TypeTag<std::string>{});
    return true;
  }
  return DispatchNumeric(dtype, fn);
}

// Maps a possibly negative axis into [0, rank); kInvalidInput naming `where`
// when out of range.
int64_t NormalizeAxis(int64_t axis, int64_t rank, const std::string& where);

// Row-major strides of a shape, in elements.
std::vector<int64_t> StridesOf(const Shape& shape);

// The numpy broadcast of two shapes; kInvalidInput naming `where` when they
// do not broadcast.
Shape BroadcastShapes(const Shape& a, const Shape& b, const std::string& where);

// For an output of shape `out`, the element strides of an input of shape
// `in` (right-aligned), 0 along broadcast dimensions.
std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out);

// Visits every output index of `out` in row-major order, calling
// fn(out_index, a_offset, b_offset) with the broadcast input offsets.
template <typename F>
void ForEachBroadcast2(const Shape& out, const Shape& a, const Shape& b, F&& fn) {
  int64_t total = ElementCount(out);
  if (total == 0) return;
  if (a == out && b == out) {
    for (int64_t i = 0; i < total; ++i) fn(i, i, i);
    return;
  }
  std::vector<int64_t> sa = BroadcastStrides(a, out), sb = BroadcastStrides(b, out);
  size_t rank = out.size();
  if (rank == 0) {
    fn(0, 0, 0);
    return;
  }
  std::vector<int64_t> index(rank, 0);
  int64_t inner = out[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
  int64_t oa = 0, ob = 0;
  for (int64_t o = 0; o < total; o += inner) {
    for (int64_t k = 0; k < inner; ++k) fn(o + k, oa + k * ia, ob + k * ib);
    // Advance the outer index like an odometer.
    for (int64_t d = static_cast<int64_t>(rank) - 2; d >= 0; --d) {
      if (++index[d] < out[d]) {
        oa += sa[d];
        ob += sb[d];
        break;
      }
      oa -= sa[d] * (out[d] - 1);
      ob -= sb[d] * (out[d] - 1);
      index[d] = 0;
    }
  }
}

// Three-input variant, for Where and Clip-like ops.
template <typename F>
void ForEachBroadcast3(const Shape& out, const Shape& a, const Shape& b, const Shape& c, F&& fn) {
  int64_t total = ElementCount(out);
  if (total == 0) return;
  std::vector<int64_t> sa = BroadcastStrides(a, out), sb = BroadcastStrides(b, out), sc = BroadcastStrides(c, out);
  std::vector<int64_t> index(out.size(), 0);
  for (int64_t o = 0; o < total; ++o) {
    int64_t oa = 0, ob = 0, oc = 0;
    for (size_t d = 0; d < out.size(); ++d) {
      oa += index[d] * sa[d];
      ob += index[d] * sb[d];
      oc += index[d] * sc[d];
    }
    fn(o, oa, ob, oc);
    for (int64_t d = static_cast<int64_t>(out.size()) - 1; d >= 0; --d) {
      if (++index[d] < out[d]) break;
      index[d] = 0;
    }
  }
}

// Reads an int64 or int32 1-D (or scalar) tensor as int64 values, as shape,
// axes and index inputs come; kInvalidInput naming `what` otherwise.
std::vector<int64_t> ReadInt64s(const Tensor& tensor, const std::string& what);

}  // namespace cairn::runtime
