#include "cairn/runtime/ops/kernel_util.h"

namespace cairn::runtime {

int64_t NormalizeAxis(int64_t axis, int64_t rank, const std::string& where) {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= std::max<int64_t>(rank, 1)) {
    ThrowInvalidInput(where + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return normalized;
}

std::vector<int64_t> StridesOf(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d) strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

Shape BroadcastShapes(const Shape& a, const Shape& b, const std::string& where) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      ThrowInvalidInput(where + ": shapes " + ShapeToString(a) + " and " + ShapeToString(b) + " do not broadcast");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out) {
  std::vector<int64_t> strides(out.size(), 0);
  std::vector<int64_t> own = StridesOf(in);
  size_t lead = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) strides[lead + i] = in[i] == 1 ? 0 : own[i];
  return strides;
}

std::vector<int64_t> ReadInt64s(const Tensor& tensor, const std::string& what) {
  std::vector<int64_t> out;
  if (tensor.dtype() == DataType::kInt64) {
    auto v = tensor.values<int64_t>();
    out.assign(v.begin(), v.end());
  } else if (tensor.dtype() == DataType::kInt32) {
    auto v = tensor.values<int32_t>();
    out.assign(v.begin(), v.end());
  } else {
    ThrowInvalidInput(what + " must be int64, not " + tensor.Describe());
  }
  return out;
}

}  // namespace cairn::runtime
