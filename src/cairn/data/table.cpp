#include "cairn/data/table.h"

#include <algorithm>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::data {

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "integer";
    case ColumnType::kFloat:
      return "float";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kCategorical:
      return "categorical";
    case ColumnType::kDatetime:
      return "datetime";
  }
  return "unknown";
}

ColumnType ParseColumnType(std::string_view name) {
  for (ColumnType type : {ColumnType::kInteger, ColumnType::kFloat, ColumnType::kBoolean, ColumnType::kCategorical,
                          ColumnType::kDatetime}) {
    if (ColumnTypeName(type) == name) return type;
  }
  ThrowInvalidInput("unknown column type '" + std::string(name) +
                    "'; expected integer, float, boolean, categorical or datetime");
}

size_t Column::NullCount() const { return static_cast<size_t>(std::count(nulls_.begin(), nulls_.end(), 1)); }

void Column::AppendNull() {
  switch (type_) {
    case ColumnType::kInteger:
    case ColumnType::kDatetime:
      ints_.push_back(0);
      break;
    case ColumnType::kFloat:
      floats_.push_back(0.0);
      break;
    case ColumnType::kBoolean:
      bools_.push_back(0);
      break;
    case ColumnType::kCategorical:
      codes_.push_back(0);
      break;
  }
  nulls_.push_back(1);
}

void Column::AppendInteger(int64_t value) {
  ints_.push_back(value);
  nulls_.push_back(0);
}

void Column::AppendFloat(double value) {
  floats_.push_back(value);
  nulls_.push_back(0);
}

void Column::AppendBoolean(bool value) {
  bools_.push_back(value ? 1 : 0);
  nulls_.push_back(0);
}

void Column::AppendDatetime(int64_t micros) {
  ints_.push_back(micros);
  nulls_.push_back(0);
}

void Column::AppendCategorical(std::string_view value) {
  if (dictionary_index_.size() != dictionary_.size()) {
    dictionary_index_.clear();
    for (size_t i = 0; i < dictionary_.size(); ++i) dictionary_index_.emplace(dictionary_[i], static_cast<int32_t>(i));
  }
  auto [it, inserted] = dictionary_index_.emplace(std::string(value), static_cast<int32_t>(dictionary_.size()));
  if (inserted) dictionary_.emplace_back(value);
  codes_.push_back(it->second);
  nulls_.push_back(0);
}

std::string Column::ValueText(size_t row) const {
  if (nulls_[row]) return "";
  switch (type_) {
    case ColumnType::kInteger:
      return std::to_string(ints_[row]);
    case ColumnType::kFloat:
      return FormatDouble(floats_[row]);
    case ColumnType::kBoolean:
      return bools_[row] ? "true" : "false";
    case ColumnType::kCategorical:
      return dictionary_[static_cast<size_t>(codes_[row])];
    case ColumnType::kDatetime:
      return FormatUtc(ints_[row]);
  }
  return "";
}

Column Column::FromIntegers(std::string name, std::vector<int64_t> values, std::vector<uint8_t> nulls) {
  Column column(std::move(name), ColumnType::kInteger);
  column.ints_ = std::move(values);
  column.nulls_ = std::move(nulls);
  return column;
}

Column Column::FromDatetimes(std::string name, std::vector<int64_t> micros, std::vector<uint8_t> nulls) {
  Column column(std::move(name), ColumnType::kDatetime);
  column.ints_ = std::move(micros);
  column.nulls_ = std::move(nulls);
  return column;
}

Column Column::FromFloats(std::string name, std::vector<double> values, std::vector<uint8_t> nulls) {
  Column column(std::move(name), ColumnType::kFloat);
  column.floats_ = std::move(values);
  column.nulls_ = std::move(nulls);
  return column;
}

Column Column::FromBooleans(std::string name, std::vector<uint8_t> values, std::vector<uint8_t> nulls) {
  Column column(std::move(name), ColumnType::kBoolean);
  column.bools_ = std::move(values);
  column.nulls_ = std::move(nulls);
  return column;
}

Column Column::FromCategorical(std::string name, std::vector<int32_t> codes, std::vector<std::string> dictionary,
                               std::vector<uint8_t> nulls) {
  Column column(std::move(name), ColumnType::kCategorical);
  column.codes_ = std::move(codes);
  column.dictionary_ = std::move(dictionary);
  column.nulls_ = std::move(nulls);
  return column;
}

std::vector<std::string> Table::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& column : columns_) names.push_back(column.name());
  return names;
}

std::optional<size_t> Table::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name() == name) return i;
  }
  return std::nullopt;
}

size_t Table::ColumnIndex(std::string_view name) const {
  if (auto index = FindColumn(name)) return *index;
  std::string message = "no column '" + std::string(name) + "'";
  std::string hint = ClosestMatch(name, column_names());
  if (!hint.empty()) message += "; did you mean '" + hint + "'?";
  ThrowNotFound(message);
}

void Table::AddColumn(Column column) {
  if (FindColumn(column.name())) ThrowInvalidInput("table already has a column '" + column.name() + "'");
  if (!columns_.empty() && column.size() != num_rows()) {
    ThrowInvalidInput("column '" + column.name() + "' has " + std::to_string(column.size()) + " rows, the table has " +
                      std::to_string(num_rows()));
  }
  columns_.push_back(std::move(column));
}

}  // namespace cairn::data
