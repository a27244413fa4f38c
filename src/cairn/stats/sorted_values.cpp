#include "cairn/stats/sorted_values.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
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
  // One most-significant pass on the top 16 bits of the key (sign, exponent
  // and 4 mantissa bits) splits the data into buckets that mostly fit in
  // cache; each bucket is then sorted on its low 48 bits by an LSD radix sort
  // (a byte per pass), or by insertion when tiny. Only the first pass scatters
  // across the whole array. Keys live in `values`' own storage and in one
  // buffer (fresh memory costs page faults), moved bytewise with memcpy.
  auto* own = reinterpret_cast<std::byte*>(values.data());
  std::vector<std::uint64_t> buffer_storage(n);
  auto* buffer = reinterpret_cast<std::byte*>(buffer_storage.data());
  auto load = [](const std::byte* base, std::size_t i) {
    std::uint64_t key;
    std::memcpy(&key, base + i * sizeof key, sizeof key);
    return key;
  };
  auto store = [](std::byte* base, std::size_t i, std::uint64_t key) {
    std::memcpy(base + i * sizeof key, &key, sizeof key);
  };
  constexpr int kTopShift = 48;
  constexpr std::size_t kTopBuckets = std::size_t{1} << 16;
  std::vector<std::size_t> starts(kTopBuckets + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = KeyOf(values[i]);
    store(own, i, key);
    ++starts[(key >> kTopShift) + 1];
  }
  for (std::size_t b = 0; b < kTopBuckets; ++b) starts[b + 1] += starts[b];
  {
    std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t key = load(own, i);
      store(buffer, next[key >> kTopShift]++, key);
    }
  }
  constexpr int kPasses = kTopShift / 8;
  std::size_t counts[kPasses][256];
  for (std::size_t b = 0; b < kTopBuckets; ++b) {
    const std::size_t begin = starts[b];
    const std::size_t size = starts[b + 1] - begin;
    std::byte* data = buffer + begin * sizeof(std::uint64_t);
    if (size <= 48) {
      for (std::size_t i = 1; i < size; ++i) {
        const std::uint64_t key = load(data, i);
        std::size_t k = i;
        for (; k > 0 && load(data, k - 1) > key; --k) store(data, k, load(data, k - 1));
        store(data, k, key);
      }
      continue;
    }
    std::byte* temp = own + begin * sizeof(std::uint64_t);
    std::memset(counts, 0, sizeof counts);
    for (std::size_t i = 0; i < size; ++i) {
      const std::uint64_t key = load(data, i);
      for (int p = 0; p < kPasses; ++p) ++counts[p][(key >> (8 * p)) & 0xFF];
    }
    for (int p = 0; p < kPasses; ++p) {
      if (counts[p][(load(data, 0) >> (8 * p)) & 0xFF] == size) continue;
      std::size_t total = 0;
      for (std::size_t& c : counts[p]) {
        const std::size_t count = c;
        c = total;
        total += count;
      }
      for (std::size_t i = 0; i < size; ++i) {
        const std::uint64_t key = load(data, i);
        store(temp, counts[p][(key >> (8 * p)) & 0xFF]++, key);
      }
      std::swap(data, temp);
    }
    std::byte* home = buffer + begin * sizeof(std::uint64_t);
    if (data != home) std::memcpy(home, data, size * sizeof(std::uint64_t));
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = ValueOf(load(buffer, i));
}

std::vector<double> SortedCopy(std::span<const double> values, std::string_view argument) {
  CheckSample(values, argument);
  std::vector<double> sorted(values.begin(), values.end());
  SortValues(sorted);
  return sorted;
}

}  // namespace cairn::stats
