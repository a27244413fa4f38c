// Deterministic train/test splits (shuffled, stratified, or by time) and
// k-fold cross-validation folds, all as row indices.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cairn::learn {

struct RowSplit {
  std::vector<size_t> train;
  std::vector<size_t> test;
};

// Shuffles 0..n-1 with `seed` and puts round(n * test_fraction) rows (at least
// one, at most n - 1) in the test set. With `strata` (one class index per
// row), each class is split on its own so both sets keep its share; each
// set is returned in ascending row order.
RowSplit ShuffledSplit(size_t n, double test_fraction, uint64_t seed, std::span<const int> strata = {});

// The rows with the largest `times` (NaN first, oldest) form the test set; ties
// keep row order.
RowSplit TimeSplit(std::span<const double> times, double test_fraction);

// k folds over 0..n-1 after a seeded shuffle; with `strata`, each class is dealt
// round-robin over the folds. fold[i].test are the held-out rows of fold i.
std::vector<RowSplit> KFolds(size_t n, int k, uint64_t seed, std::span<const int> strata = {});

}  // namespace cairn::learn
