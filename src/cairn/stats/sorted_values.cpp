#include "cairn/stats/sorted_values.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "cairn/core/error.h"

namespace cairn::stats {
namespace {

// Order-preserving map from doubles to unsigned integers: flip all bits of
// negatives, only the sign bit of non-negatives. -0.0 is folded into 0.0 first
// so that it sorts equal to it, as comparisons do.
std::uint64_t KeyOf(double value) {
  if (value == 0.0) value = 0.0;
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & 0x8000000000000000ULL) ? ~bits : (bits | 0x8000000000000000ULL);
}

double ValueOf(std::uint64_t key) {
  std::uint64_t bits = (key & 0x8000000000000000ULL) ? (key & ~0x8000000000000000ULL) : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Below this size a comparison sort wins.
constexpr std::size_t kRadixThreshold = 4096;

}  // namespace

void CheckNoNaN(std::span<const double> values, std::string_view argument) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i]))
      ThrowInvalidInput(std::string(argument) + " holds NaN at position " + std::to_string(i) +
                        "; remove or impute missing values first");
  }
}

void CheckSample(std::span<const double> values, std::string_view argument) {
  if (values.empty()) ThrowInvalidInput(std::string(argument) + " is empty");
  CheckNoNaN(values, argument);
}

void CheckSameLength(std::size_t left, std::size_t right, std::string_view left_name, std::string_view right_name) {
  if (left != right)
    ThrowInvalidInput(std::string(left_name) + " has " + std::to_string(left) + " values but " +
                      std::string(right_name) + " has " + std::to_string(right));
}

void SortValues(std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < kRadixThreshold) {
    std::sort(values.begin(), values.end());
    for (double& v : values)
      if (v == 0.0) v = 0.0;
    return;
  }
  // LSD radix sort, 16 bits per pass; passes whose digit is constant are skipped.
  std::vector<std::uint64_t> keys(n);
  std::vector<std::uint64_t> scratch(n);
  constexpr int kBits = 16;
  constexpr int kPasses = 64 / kBits;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  std::vector<std::array<std::uint32_t, kPasses>> counts(kBuckets, std::array<std::uint32_t, kPasses>{});
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = KeyOf(values[i]);
    keys[i] = key;
    for (int p = 0; p < kPasses; ++p) ++counts[(key >> (p * kBits)) & (kBuckets - 1)][p];
  }
  std::vector<std::size_t> offsets(kBuckets);
  for (int p = 0; p < kPasses; ++p) {
    const int shift = p * kBits;
    if (counts[(keys[0] >> shift) & (kBuckets - 1)][p] == n) continue;
    std::size_t total = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      offsets[b] = total;
      total += counts[b][p];
    }
    for (std::size_t i = 0; i < n; ++i) scratch[offsets[(keys[i] >> shift) & (kBuckets - 1)]++] = keys[i];
    keys.swap(scratch);
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = ValueOf(keys[i]);
}

std::vector<double> SortedCopy(std::span<const double> values, std::string_view argument) {
  CheckSample(values, argument);
  std::vector<double> sorted(values.begin(), values.end());
  SortValues(sorted);
  return sorted;
}

}  // namespace cairn::stats
