#include "cairn/stats/sketches.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "cairn/core/error.h"
#include "test_samples.h"

namespace cairn::stats {
namespace {

using testing::ExponentialSample;
using testing::NormalSample;

// Largest |estimated rank - true rank| over a grid of query points.
double WorstRankError(const QuantileSketch& sketch, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  double worst = 0.0;
  for (std::size_t i = 0; i < values.size(); i += values.size() / 997 + 1) {
    const double x = values[i];
    const double truth = static_cast<double>(std::upper_bound(values.begin(), values.end(), x) - values.begin()) /
                         static_cast<double>(values.size());
    worst = std::max(worst, std::fabs(sketch.Rank(x) - truth));
  }
  return worst;
}

TEST(QuantileSketch, StaysWithinItsStatedBound) {
  std::vector<double> values = NormalSample(200000, 0, 1, 3);
  QuantileSketch sketch(512, 1);
  sketch.Add(values);
  EXPECT_EQ(sketch.count(), values.size());
  const double bound = sketch.RankErrorBound();
  EXPECT_GT(bound, 0.0);
  EXPECT_LE(bound, std::ceil(std::log2(static_cast<double>(values.size()) / 512.0) + 1.0) / 512.0);
  EXPECT_LE(WorstRankError(sketch, values), bound);
  EXPECT_LT(sketch.RetainedValues(), 512u * 12u);
  const double median = sketch.Quantile(0.5);
  EXPECT_NEAR(median, 0.0, 0.05);
  EXPECT_EQ(sketch.Quantile(0.0), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(sketch.Quantile(1.0), *std::max_element(values.begin(), values.end()));
}

TEST(QuantileSketch, MergedSketchesKeepTheBound) {
  std::vector<double> all;
  QuantileSketch merged(256, 2);
  for (std::uint64_t part = 0; part < 4; ++part) {
    std::vector<double> chunk = ExponentialSample(60000 + 7000 * part, 1.0 + static_cast<double>(part), 10 + part);
    QuantileSketch sketch(256, 20 + part);
    sketch.Add(chunk);
    merged.Merge(sketch);
    all.insert(all.end(), chunk.begin(), chunk.end());
  }
  EXPECT_EQ(merged.count(), all.size());
  EXPECT_LE(WorstRankError(merged, all), merged.RankErrorBound());
  std::uint64_t weight = 0;
  for (const auto& item : merged.Items()) weight += item.weight;
  EXPECT_EQ(weight, all.size());
  EXPECT_THROW(merged.Merge(QuantileSketch(512)), Error);
}

TEST(QuantileSketch, SmallStreamsAreExact) {
  QuantileSketch sketch;
  for (double v : {5.0, 1.0, 3.0}) sketch.Add(v);
  EXPECT_EQ(sketch.RankErrorBound(), 0.0);
  EXPECT_EQ(sketch.Rank(3.0), 2.0 / 3.0);
  EXPECT_EQ(sketch.Quantile(0.5), 3.0);
  EXPECT_THROW(sketch.Add(std::nan("")), Error);
  EXPECT_THROW(QuantileSketch().Quantile(0.5), Error);
}

TEST(ReservoirSample, IsBoundedSeededAndUniform) {
  std::vector<double> stream(100000);
  std::iota(stream.begin(), stream.end(), 0.0);
  ReservoirSample first(1000, 42), second(1000, 42);
  first.Add(stream);
  second.Add(stream);
  ASSERT_EQ(first.values().size(), 1000u);
  EXPECT_TRUE(std::equal(first.values().begin(), first.values().end(), second.values().begin()));
  EXPECT_EQ(first.seen(), stream.size());
  // The mean of a uniform sample of 0..99999 is near 49999.5 (sd of the mean ~ 913).
  const double mean = std::accumulate(first.values().begin(), first.values().end(), 0.0) / 1000.0;
  EXPECT_NEAR(mean, 49999.5, 4000.0);
}

TEST(ReservoirSample, MergeSamplesTheUnion) {
  ReservoirSample low(500, 1), high(500, 2);
  for (int i = 0; i < 30000; ++i) low.Add(0.0);
  for (int i = 0; i < 10000; ++i) high.Add(1.0);
  low.Merge(high);
  EXPECT_EQ(low.seen(), 40000u);
  ASSERT_EQ(low.values().size(), 500u);
  const double ones = std::accumulate(low.values().begin(), low.values().end(), 0.0);
  // A quarter of the union comes from `high` (sd ~ 9.7 of 125).
  EXPECT_NEAR(ones, 125.0, 45.0);
  ReservoirSample small(10, 3);
  small.Add(std::vector<double>{1, 2, 3});
  ReservoirSample other(10, 4);
  other.Add(std::vector<double>{4, 5});
  small.Merge(other);
  EXPECT_EQ(small.values().size(), 5u);
  EXPECT_THROW(small.Merge(ReservoirSample(11)), Error);
}

}  // namespace
}  // namespace cairn::stats
