// Splits are deterministic, disjoint and complete; stratification keeps class
// shares; k folds partition the rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "cairn/core/error.h"
#include "cairn/learn/split.h"

namespace cairn::learn {
namespace {

TEST(ShuffledSplit, DeterministicDisjointComplete) {
  RowSplit a = ShuffledSplit(100, 0.2, 42);
  RowSplit b = ShuffledSplit(100, 0.2, 42);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.test, b.test);
  EXPECT_EQ(a.test.size(), 20u);
  std::vector<size_t> all = a.train;
  all.insert(all.end(), a.test.begin(), a.test.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
  EXPECT_NE(ShuffledSplit(100, 0.2, 43).test, a.test);
}

TEST(ShuffledSplit, StratifiedKeepsClassShares) {
  std::vector<int> strata(200, 0);
  for (size_t i = 0; i < 40; ++i) strata[i * 5] = 1;
  RowSplit split = ShuffledSplit(200, 0.25, 7, strata);
  size_t positives = std::count_if(split.test.begin(), split.test.end(), [&](size_t row) { return strata[row] == 1; });
  EXPECT_EQ(split.test.size(), 50u);
  EXPECT_EQ(positives, 10u);
}

TEST(TimeSplit, LatestRowsAreTheTestSet) {
  std::vector<double> times = {5, 1, 9, 3, 7, 2, 8, 4, 6, 0};
  RowSplit split = TimeSplit(times, 0.3);
  EXPECT_EQ(split.test, (std::vector<size_t>{2, 4, 6}));
}

TEST(KFolds, PartitionRowsAndStratify) {
  std::vector<int> strata(23);
  for (size_t i = 0; i < strata.size(); ++i) strata[i] = static_cast<int>(i % 3);
  auto folds = KFolds(23, 5, 1, strata);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> seen(23, 0);
  for (const auto& fold : folds) {
    EXPECT_EQ(fold.train.size() + fold.test.size(), 23u);
    EXPECT_GE(fold.test.size(), 4u);
    for (size_t row : fold.test) ++seen[row];
  }
  for (int count : seen) EXPECT_EQ(count, 1);
  EXPECT_THROW(KFolds(3, 5, 1), Error);
}

TEST(KFolds, StratifiedFoldsKeepEveryClassShareAndAreSeeded) {
  // Classes of 50, 30 and 7 rows, interleaved.
  std::vector<int> strata;
  for (int c = 0; c < 3; ++c) strata.insert(strata.end(), c == 0 ? 50 : c == 1 ? 30 : 7, c);
  std::vector<int> shuffled = strata;
  std::rotate(shuffled.begin(), shuffled.begin() + 11, shuffled.end());
  auto folds = KFolds(shuffled.size(), 5, 9, shuffled);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<size_t> held_out(shuffled.size(), 0);
  for (const auto& fold : folds) {
    // 87 rows over 5 folds: 17 or 18 held out each.
    EXPECT_GE(fold.test.size(), 17u);
    EXPECT_LE(fold.test.size(), 18u);
    std::vector<size_t> per_class(3, 0);
    for (size_t row : fold.test) {
      ++per_class[static_cast<size_t>(shuffled[row])];
      ++held_out[row];
    }
    EXPECT_EQ(per_class[0], 10u);  // 50 / 5
    EXPECT_EQ(per_class[1], 6u);   // 30 / 5
    EXPECT_GE(per_class[2], 1u);   // 7 / 5: one or two
    EXPECT_LE(per_class[2], 2u);
    std::vector<size_t> all = fold.train;
    all.insert(all.end(), fold.test.begin(), fold.test.end());
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all.size(), shuffled.size());
    EXPECT_TRUE(std::adjacent_find(all.begin(), all.end()) == all.end());
  }
  for (size_t count : held_out) EXPECT_EQ(count, 1u);
  auto again = KFolds(shuffled.size(), 5, 9, shuffled);
  auto other = KFolds(shuffled.size(), 5, 10, shuffled);
  bool differs = false;
  for (size_t f = 0; f < folds.size(); ++f) {
    EXPECT_EQ(again[f].test, folds[f].test);
    differs = differs || other[f].test != folds[f].test;
  }
  EXPECT_TRUE(differs) << "another seed deals other folds";
  EXPECT_THROW(KFolds(10, 1, 1), Error);
}

}  // namespace
}  // namespace cairn::learn
