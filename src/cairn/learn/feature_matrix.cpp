#include "cairn/learn/feature_matrix.h"

#include <algorithm>

namespace cairn::learn {

FeatureMatrix FeatureMatrix::Rows(std::span<const size_t> indices) const {
  FeatureMatrix out(indices.size(), cols);
  for (size_t i = 0; i < indices.size(); ++i) std::copy_n(row(indices[i]), cols, out.values.data() + i * cols);
  return out;
}

namespace {
template <typename T>
std::vector<T> Pick(const std::vector<T>& values, std::span<const size_t> rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (size_t row : rows) out.push_back(values[row]);
  return out;
}
}  // namespace

data::Table TakeRows(const data::Table& table, std::span<const size_t> rows) {
  data::Table out;
  for (const auto& column : table.columns()) {
    std::vector<uint8_t> nulls = Pick(column.nulls(), rows);
    switch (column.type()) {
      case data::ColumnType::kInteger:
        out.AddColumn(data::Column::FromIntegers(column.name(), Pick(column.ints(), rows), std::move(nulls)));
        break;
      case data::ColumnType::kDatetime:
        out.AddColumn(data::Column::FromDatetimes(column.name(), Pick(column.ints(), rows), std::move(nulls)));
        break;
      case data::ColumnType::kFloat:
        out.AddColumn(data::Column::FromFloats(column.name(), Pick(column.floats(), rows), std::move(nulls)));
        break;
      case data::ColumnType::kBoolean:
        out.AddColumn(data::Column::FromBooleans(column.name(), Pick(column.bools(), rows), std::move(nulls)));
        break;
      case data::ColumnType::kCategorical:
        out.AddColumn(data::Column::FromCategorical(column.name(), Pick(column.codes(), rows), column.dictionary(), std::move(nulls)));
        break;
    }
  }
  return out;
}

}  // namespace cairn::learn
