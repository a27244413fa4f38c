// Columnar in-memory table: typed columns with null masks, the form every
// reader produces and every consumer (profiles, training, evaluation) reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cairn::data {

enum class ColumnType {
  kInteger,      // int64
  kFloat,        // double
  kBoolean,      // stored as 0/1 bytes
  kCategorical,  // int32 codes into a dictionary of strings
  kDatetime,     // int64 UTC microseconds since the epoch
};

// "integer", "float", "boolean", "categorical", "datetime".
std::string_view ColumnTypeName(ColumnType type);
// Inverse of ColumnTypeName; throws kInvalidInput naming the unknown text.
ColumnType ParseColumnType(std::string_view name);

// One named column. Only the storage vector that matches type() is used; a
// null row holds the value 0, masked by nulls(), so that rows stay aligned.
class Column {
 public:
  Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {}

  const std::string& name() const { return name_; }
  ColumnType type() const { return type_; }
  size_t size() const { return nulls_.size(); }
  bool IsNull(size_t row) const { return nulls_[row] != 0; }
  size_t NullCount() const;

  void AppendNull();
  void AppendInteger(int64_t value);
  void AppendFloat(double value);
  void AppendBoolean(bool value);
  void AppendDatetime(int64_t micros);
  void AppendCategorical(std::string_view value);

  // Integer value for kInteger, microseconds for kDatetime.
  const std::vector<int64_t>& ints() const { return ints_; }
  const std::vector<double>& floats() const { return floats_; }
  const std::vector<uint8_t>& bools() const { return bools_; }
  const std::vector<int32_t>& codes() const { return codes_; }
  const std::vector<std::string>& dictionary() const { return dictionary_; }
  // 1 marks a missing value.
  const std::vector<uint8_t>& nulls() const { return nulls_; }

  // The value as a double: integers, floats, booleans (0/1), datetimes
  // (microseconds) and categorical codes; NaN for a null.
  double NumericValue(size_t row) const {
    if (nulls_[row]) return kNaN;
    switch (type_) {
      case ColumnType::kInteger:
      case ColumnType::kDatetime:
        return static_cast<double>(ints_[row]);
      case ColumnType::kFloat:
        return floats_[row];
      case ColumnType::kBoolean:
        return bools_[row];
      case ColumnType::kCategorical:
        return codes_[row];
    }
    return kNaN;
  }
  // Display text of one value ("" for a null); datetimes in ISO-8601 UTC.
  std::string ValueText(size_t row) const;

  // Bulk construction for readers: vectors are moved in whole. The sizes of
  // the value vector and the null mask must agree.
  static Column FromIntegers(std::string name, std::vector<int64_t> values, std::vector<uint8_t> nulls);
  static Column FromDatetimes(std::string name, std::vector<int64_t> micros, std::vector<uint8_t> nulls);
  static Column FromFloats(std::string name, std::vector<double> values, std::vector<uint8_t> nulls);
  static Column FromBooleans(std::string name, std::vector<uint8_t> values, std::vector<uint8_t> nulls);
  static Column FromCategorical(std::string name, std::vector<int32_t> codes, std::vector<std::string> dictionary,
                                std::vector<uint8_t> nulls);

 private:
  static constexpr double kNaN = __builtin_nan("");

  std::string name_;
  ColumnType type_;
  std::vector<int64_t> ints_;
  std::vector<double> floats_;
  std::vector<uint8_t> bools_;
  std::vector<int32_t> codes_;
  std::vector<std::string> dictionary_;
  // Built on the first AppendCategorical, so that bulk-built columns pay nothing.
  std::unordered_map<std::string, int32_t> dictionary_index_;
  std::vector<uint8_t> nulls_;
};

class Table {
 public:
  size_t num_rows() const { return columns_.empty() ? 0 : columns_.front().size(); }
  size_t num_columns() const { return columns_.size(); }
  std::vector<std::string> column_names() const;

  const Column& column(size_t index) const { return columns_[index]; }
  // Throws kNotFound naming the column and the closest existing name.
  const Column& column(std::string_view name) const { return columns_[ColumnIndex(name)]; }
  size_t ColumnIndex(std::string_view name) const;
  std::optional<size_t> FindColumn(std::string_view name) const;
  const std::vector<Column>& columns() const { return columns_; }

  // Throws kInvalidInput when the name is taken or the row count differs.
  void AddColumn(Column column);

  double NumericValue(size_t column, size_t row) const { return columns_[column].NumericValue(row); }

 private:
  std::vector<Column> columns_;
};

}  // namespace cairn::data
