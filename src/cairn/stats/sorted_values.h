// Sorting and input checks shared by the stats functions: every function that
// takes a sample rejects empty or NaN input with the argument's name, and the
// two-sample tests sort with a radix sort that is several times faster than a
// comparison sort on millions of doubles.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace cairn::stats {

// Throws kInvalidInput naming `argument` when `values` is empty or holds a NaN.
void CheckSample(std::span<const double> values, std::string_view argument);

// Throws kInvalidInput naming `argument` when a value is NaN (empty is allowed).
void CheckNoNaN(std::span<const double> values, std::string_view argument);

// Throws kInvalidInput when the two spans differ in length.
void CheckSameLength(std::size_t left, std::size_t right, std::string_view left_name, std::string_view right_name);

// Ascending copy of `values` (checked with CheckSample). -0.0 sorts as 0.0.
std::vector<double> SortedCopy(std::span<const double> values, std::string_view argument);

// Sorts in place; values must not be NaN.
void SortValues(std::vector<double>& values);

}  // namespace cairn::stats

namespace cairn::stats {

// A checked, ascending copy of a sample, made once and shared by every test
// run on the same feature.
class SortedSample {
 public:
  SortedSample(std::span<const double> values, std::string_view argument) : values_(SortedCopy(values, argument)) {}
  std::span<const double> values() const { return values_; }
  std::size_t size() const { return values_.size(); }
  double min() const { return values_.front(); }
  double max() const { return values_.back(); }

 private:
  std::vector<double> values_;
};

}  // namespace cairn::stats
