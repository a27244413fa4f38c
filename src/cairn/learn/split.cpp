#include "cairn/learn/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "cairn/core/error.h"
#include "cairn/learn/random.h"

namespace cairn::learn {
namespace {

size_t TestCount(size_t n, double fraction) {
  auto count = static_cast<size_t>(std::llround(static_cast<double>(n) * fraction));
  return std::clamp<size_t>(count, n > 1 ? 1 : 0, n > 0 ? n - 1 : 0);
}

std::vector<size_t> Iota(size_t n) {
  std::vector<size_t> rows(n);
  std::iota(rows.begin(), rows.end(), size_t{0});
  return rows;
}

}  // namespace

RowSplit ShuffledSplit(size_t n, double test_fraction, uint64_t seed, std::span<const int> strata) {
  if (n < 2) ThrowInvalidInput("a train/test split needs at least 2 rows, got " + std::to_string(n));
  SplitMix64 random(seed);
  RowSplit split;
  if (strata.empty()) {
    std::vector<size_t> rows = Iota(n);
    random.Shuffle(rows);
    size_t test = TestCount(n, test_fraction);
    split.test.assign(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(test));
    split.train.assign(rows.begin() + static_cast<std::ptrdiff_t>(test), rows.end());
  } else {
    std::map<int, std::vector<size_t>> by_class;
    for (size_t row = 0; row < n; ++row) by_class[strata[row]].push_back(row);
    // Each class gets its rounded share; a class of one row stays in training.
    for (auto& [label, rows] : by_class) {
      random.Shuffle(rows);
      auto test = static_cast<size_t>(std::llround(static_cast<double>(rows.size()) * test_fraction));
      test = std::min(test, rows.size() > 1 ? rows.size() - 1 : 0);
      split.test.insert(split.test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(test));
      split.train.insert(split.train.end(), rows.begin() + static_cast<std::ptrdiff_t>(test), rows.end());
    }
    if (split.test.empty()) {
      split.test.push_back(split.train.back());
      split.train.pop_back();
    }
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

RowSplit TimeSplit(std::span<const double> times, double test_fraction) {
  size_t n = times.size();
  if (n < 2) ThrowInvalidInput("a train/test split needs at least 2 rows, got " + std::to_string(n));
  std::vector<size_t> rows = Iota(n);
  auto key = [&](size_t row) { return std::isnan(times[row]) ? -INFINITY : times[row]; };
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  size_t test = TestCount(n, test_fraction);
  RowSplit split;
  split.train.assign(rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(test));
  split.test.assign(rows.end() - static_cast<std::ptrdiff_t>(test), rows.end());
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

std::vector<RowSplit> KFolds(size_t n, int k, uint64_t seed, std::span<const int> strata) {
  if (k < 2) ThrowInvalidInput("cross-validation needs at least 2 folds, got " + std::to_string(k));
  if (n < static_cast<size_t>(k)) {
    ThrowInvalidInput(std::to_string(k) + " folds need at least " + std::to_string(k) + " training rows, got " + std::to_string(n));
  }
  SplitMix64 random(seed);
  std::vector<int> fold_of(n, 0);
  if (strata.empty()) {
    std::vector<size_t> rows = Iota(n);
    random.Shuffle(rows);
    for (size_t i = 0; i < n; ++i) fold_of[rows[i]] = static_cast<int>(i % static_cast<size_t>(k));
  } else {
    std::map<int, std::vector<size_t>> by_class;
    for (size_t row = 0; row < n; ++row) by_class[strata[row]].push_back(row);
    // Dealing continues across classes so fold sizes stay within one row of each other.
    size_t next = 0;
    for (auto& [label, rows] : by_class) {
      random.Shuffle(rows);
      for (size_t row : rows) fold_of[row] = static_cast<int>(next++ % static_cast<size_t>(k));
    }
  }
  std::vector<RowSplit> folds(static_cast<size_t>(k));
  for (size_t row = 0; row < n; ++row) {
    for (int f = 0; f < k; ++f) (f == fold_of[row] ? folds[static_cast<size_t>(f)].test : folds[static_cast<size_t>(f)].train).push_back(row);
  }
  return folds;
}

}  // namespace cairn::learn
