// Streaming summaries for drift over more rows than memory should hold: a
// mergeable quantile sketch with a guaranteed rank-error bound, and a seeded
// reservoir sample for the exact tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cairn/stats/random.h"

namespace cairn::stats {

// A compactor sketch (Manku-Rajagopalan-Lindsay style, with KLL's random
// offsets): level h holds up to `capacity` values of weight 2^h; a full level
// is sorted and every other value, starting at a random offset, moves up with
// twice the weight. Each such compaction moves any rank by at most 2^h, and
// the sketch adds those weights up, so RankErrorBound() is a guaranteed bound,
// not an estimate:
//   |Rank(x) - true share of values <= x| <= RankErrorBound()
// for every x. The bound grows like log2(n / capacity) / capacity (about 0.6%
// at n = 10^7 with the default capacity of 2048); in
// practice the random offsets cancel most of it and the observed error is
// several times smaller). Memory: at most capacity * (levels + 1) doubles,
// about 16 KB per level at the default.
class QuantileSketch {
 public:
  static constexpr std::size_t kDefaultCapacity = 2048;

  explicit QuantileSketch(std::size_t capacity = kDefaultCapacity, std::uint64_t seed = 0);

  // Throws kInvalidInput on NaN (count missing values before adding).
  void Add(double value);
  void Add(std::span<const double> values);
  // Adds another sketch's values; both sketches must have the same capacity.
  void Merge(const QuantileSketch& other);

  std::uint64_t count() const { return count_; }
  double min() const { return min_; }
  double max() const { return max_; }
  std::size_t capacity() const { return capacity_; }

  // Estimated share of values <= x.
  double Rank(double x) const;
  // Smallest retained value whose estimated rank reaches q (0 <= q <= 1).
  double Quantile(double q) const;
  // Guaranteed bound on the rank error of Rank, as a share of count().
  double RankErrorBound() const;

  struct WeightedValue {
    double value;
    std::uint64_t weight;
  };
  // Retained values, ascending, with their weights (they sum to count()).
  std::vector<WeightedValue> Items() const;
  std::size_t RetainedValues() const;

 private:
  void CompactFrom(std::size_t level);

  std::size_t capacity_;
  Random random_;
  std::vector<std::vector<double>> levels_;
  std::uint64_t count_ = 0;
  // Sum of the weights of all compactions so far: the absolute rank-error bound.
  std::uint64_t error_weight_ = 0;
  double min_ = 0.0;
  double max_ = 0.0;
};

// Uniform sample without replacement of at most `capacity` values from a
// stream (Vitter's algorithm R), seeded so that the same stream gives the same
// sample. Merging two reservoirs of the same capacity gives a uniform sample
// of the union.
class ReservoirSample {
 public:
  explicit ReservoirSample(std::size_t capacity, std::uint64_t seed = 0);

  // Throws kInvalidInput on NaN.
  void Add(double value);
  void Add(std::span<const double> values);
  void Merge(const ReservoirSample& other);

  std::span<const double> values() const { return values_; }
  std::uint64_t seen() const { return seen_; }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  Random random_;
  std::vector<double> values_;
  std::uint64_t seen_ = 0;
};

}  // namespace cairn::stats
