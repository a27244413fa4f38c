// The float matrix a model sees (rows of features after preprocessing), and
// row selection on data::Table for splits and folds.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "cairn/data/table.h"

namespace cairn::learn {

// Row-major float32, the element type of the exported graph's inputs, so the
// trainer's own predictions see exactly the numbers ONNX engines see. NaN is missing.
struct FeatureMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> values;

  FeatureMatrix() = default;
  FeatureMatrix(size_t rows_in, size_t cols_in) : rows(rows_in), cols(cols_in), values(rows_in * cols_in, 0.0f) {}
  float& at(size_t row, size_t col) { return values[row * cols + col]; }
  float at(size_t row, size_t col) const { return values[row * cols + col]; }
  const float* row(size_t index) const { return values.data() + index * cols; }

  FeatureMatrix Rows(std::span<const size_t> indices) const;
};

// A new table holding `rows` of `table` in that order, every column kept.
data::Table TakeRows(const data::Table& table, std::span<const size_t> rows);

}  // namespace cairn::learn
