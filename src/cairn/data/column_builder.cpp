#include "cairn/data/column_builder.h"

namespace cairn::data {

void ColumnBuilder::ResetAsString() {
  guess_ = Guess::kString;
  nulls_.clear();
  ints_ = {};
  floats_ = {};
  bools_ = {};
  codes_.clear();
  codes_.reserve(expected_rows_);
  nulls_.reserve(expected_rows_);
  dictionary_.clear();
  dictionary_index_.clear();
}

void ColumnBuilder::AddNull() {
  switch (guess_) {
    case Guess::kInteger:
    case Guess::kDatetime:
      ints_.push_back(0);
      break;
    case Guess::kFloat:
      floats_.push_back(0.0);
      break;
    case Guess::kBoolean:
      bools_.push_back(0);
      break;
    case Guess::kString:
      codes_.push_back(0);
      break;
    case Guess::kUnknown:
    case Guess::kStringLate:
      break;
  }
  nulls_.push_back(1);
}

void ColumnBuilder::AddString(const char* begin, const char* end, bool escaped) {
  std::string_view text(begin, static_cast<size_t>(end - begin));
  if (escaped) {
    std::string plain;
    plain.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
      plain.push_back(text[i]);
      if (text[i] == '"') ++i;  // the scanner guarantees quotes come in pairs here
    }
    auto found = dictionary_index_.find(plain);
    if (found != dictionary_index_.end()) {
      codes_.push_back(found->second);
      nulls_.push_back(0);
      return;
    }
    text = unescaped_.emplace_back(std::move(plain));
  }
  auto [it, inserted] = dictionary_index_.emplace(text, static_cast<int32_t>(dictionary_.size()));
  if (inserted) dictionary_.push_back(text);
  codes_.push_back(it->second);
  nulls_.push_back(0);
}

void ColumnBuilder::AddSlow(const char* begin, const char* end, bool escaped) {
  size_t rows = nulls_.size();
  std::string_view text(begin, static_cast<size_t>(end - begin));
  if (!escaped) {
    if (guess_ == Guess::kUnknown) {
      int64_t integer;
      double real;
      bool boolean;
      if (ParseInteger(begin, end, integer)) {
        guess_ = Guess::kInteger;
        StartValues(ints_, rows);
        ints_.push_back(integer);
        nulls_.push_back(0);
        return;
      }
      if (ParseFloat(begin, end, real)) {
        guess_ = Guess::kFloat;
        StartValues(floats_, rows);
        PushFloat(real);
        return;
      }
      if (ParseBoolean(text, boolean)) {
        guess_ = Guess::kBoolean;
        StartValues(bools_, rows);
        bools_.push_back(boolean ? 1 : 0);
        nulls_.push_back(0);
        return;
      }
      if (ParseDatetime(text, integer)) {
        guess_ = Guess::kDatetime;
        StartValues(ints_, rows);
        ints_.push_back(integer);
        nulls_.push_back(0);
        return;
      }
      guess_ = Guess::kString;
      StartValues(codes_, rows);
      AddString(begin, end, false);
      return;
    }
    if (guess_ == Guess::kInteger) {
      double real;
      if (ParseFloat(begin, end, real)) {
        // Widening is exact: an int64 rounds to the same double its digits parse to.
        guess_ = Guess::kFloat;
        floats_.reserve(ints_.capacity());
        floats_.assign(ints_.begin(), ints_.end());
        ints_ = {};
        PushFloat(real);
        return;
      }
    } else if (guess_ == Guess::kBoolean) {
      bool boolean;
      if (ParseBoolean(text, boolean)) {
        bools_.push_back(boolean ? 1 : 0);
        nulls_.push_back(0);
        return;
      }
    } else if (guess_ == Guess::kDatetime) {
      int64_t micros;
      if (ParseDatetime(text, micros)) {
        ints_.push_back(micros);
        nulls_.push_back(0);
        return;
      }
    }
  }
  if (guess_ == Guess::kUnknown) {
    // An escaped field is text with quotes in it: a string from the start.
    guess_ = Guess::kString;
    StartValues(codes_, rows);
    AddString(begin, end, escaped);
    return;
  }
  // Typed rows came before this one; their text is gone, so the column is
  // collected again as strings in a second pass over this stretch of rows.
  guess_ = Guess::kStringLate;
  ints_ = {};
  floats_ = {};
  bools_ = {};
}

}  // namespace cairn::data
