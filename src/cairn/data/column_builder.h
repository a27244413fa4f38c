// Builds one column of one stretch of rows from field text, inferring its type
// as it goes: the first value picks a type, later values may widen it
// (integer to float) or give up on typed parsing (string).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cairn/data/value_parsing.h"

namespace cairn::data {

enum class Guess : uint8_t {
  kUnknown,     // only missing values so far
  kInteger,
  kFloat,
  kBoolean,
  kDatetime,
  kString,      // strings collected from the first row on
  kStringLate,  // turned out to be strings after typed rows; text must be collected again
};

class ColumnBuilder {
 public:
  // `markers` must outlive the builder.
  explicit ColumnBuilder(const MissingMarkers* markers) : markers_(markers) {}

  // Typed ingestion: parses the field and narrows the guess.
  void Add(const char* begin, const char* end, bool escaped) {
    size_t size = static_cast<size_t>(end - begin);
    if (!escaped && markers_->Contains(begin, size)) {
      AddNull();
      return;
    }
    switch (guess_) {
      case Guess::kInteger: {
        int64_t value;
        if (!escaped && ParseInteger(begin, end, value, read_limit_)) {
          ints_.push_back(value);
          nulls_.push_back(0);
          return;
        }
        break;
      }
      case Guess::kFloat: {
        double value;
        if (!escaped && ParseFloat(begin, end, value, read_limit_)) {
          PushFloat(value);
          return;
        }
        break;
      }
      case Guess::kString:
        AddString(begin, end, escaped);
        return;
      case Guess::kStringLate:
        return;
      default:
        break;
    }
    AddSlow(begin, end, escaped);
  }

  // String-only ingestion, for the pass that collects text again.
  void AddText(const char* begin, const char* end, bool escaped) {
    if (!escaped && markers_->Contains(begin, static_cast<size_t>(end - begin))) {
      nulls_.push_back(1);
      codes_.push_back(0);
      return;
    }
    AddString(begin, end, escaped);
  }

  // Forgets everything and restarts as a string column.
  void ResetAsString();
  // How far past a field the parser may read: the end of the whole input.
  void SetReadLimit(const char* limit) { read_limit_ = limit; }
  // Expected row count, so that vectors are sized once instead of regrown.
  void ExpectRows(size_t rows) {
    expected_rows_ = rows;
    nulls_.reserve(rows);
  }

  Guess guess() const { return guess_; }
  size_t rows() const { return nulls_.size(); }
  std::vector<uint8_t>& nulls() { return nulls_; }
  std::vector<int64_t>& ints() { return ints_; }
  std::vector<double>& floats() { return floats_; }
  std::vector<uint8_t>& bools() { return bools_; }
  std::vector<int32_t>& codes() { return codes_; }
  // Views into the input buffer or into this builder's own storage of unescaped text.
  const std::vector<std::string_view>& dictionary() const { return dictionary_; }

 private:
  void AddNull();
  void AddSlow(const char* begin, const char* end, bool escaped);
  void AddString(const char* begin, const char* end, bool escaped);
  void PushFloat(double value) {
    // A parsed "nan" is treated as missing, as it would be in a profile.
    bool is_nan = value != value;
    floats_.push_back(is_nan ? 0.0 : value);
    nulls_.push_back(is_nan ? 1 : 0);
  }

  template <class T>
  void StartValues(std::vector<T>& values, size_t rows) {
    values.reserve(std::max(expected_rows_, rows + 1));
    values.assign(rows, T{});
  }

  const MissingMarkers* markers_;
  size_t expected_rows_ = 0;
  const char* read_limit_ = nullptr;
  Guess guess_ = Guess::kUnknown;
  std::vector<uint8_t> nulls_;
  std::vector<int64_t> ints_;  // integers and datetimes
  std::vector<double> floats_;
  std::vector<uint8_t> bools_;
  std::vector<int32_t> codes_;
  std::vector<std::string_view> dictionary_;
  std::unordered_map<std::string_view, int32_t> dictionary_index_;
  std::deque<std::string> unescaped_;  // a deque keeps the viewed strings in place
};

}  // namespace cairn::data
