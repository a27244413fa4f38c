#include "cairn/stats/sorted_values.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cairn/core/error.h"
#include "test_samples.h"

namespace cairn::stats {
namespace {

void ExpectSortsLikeStdSort(std::vector<double> values) {
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  SortValues(values);
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], expected[i]) << "position " << i;
}

TEST(SortValues, MatchesStdSortOnAwkwardData) {
  ExpectSortsLikeStdSort(testing::NormalSample(50000, 0, 1, 1));
  // One top bucket holds everything: values within a narrow range.
  std::vector<double> narrow = testing::NormalSample(30000, 0, 1e-9, 2);
  for (double& v : narrow) v += 1.0;
  ExpectSortsLikeStdSort(narrow);
  ExpectSortsLikeStdSort(testing::RoundedTo(testing::NormalSample(20000, 0, 3, 3), 1.0));
  std::vector<double> special = testing::NormalSample(10000, 0, 1e300, 4);
  special[0] = std::numeric_limits<double>::infinity();
  special[1] = -std::numeric_limits<double>::infinity();
  special[2] = std::numeric_limits<double>::denorm_min();
  special[3] = -std::numeric_limits<double>::denorm_min();
  special[4] = -0.0;
  special[5] = 0.0;
  ExpectSortsLikeStdSort(special);
  ExpectSortsLikeStdSort(std::vector<double>(9000, 2.5));
}

TEST(SortValues, NegativeZeroSortsAsZero) {
  std::vector<double> values(5000, 1.0);
  values[10] = -0.0;
  values[20] = -1.0;
  SortValues(values);
  EXPECT_EQ(values[0], -1.0);
  EXPECT_FALSE(std::signbit(values[1]));
}

TEST(SortedSample, RejectsEmptyAndNaN) {
  EXPECT_THROW(SortedSample(std::vector<double>{}, "x"), Error);
  EXPECT_THROW(SortedSample(std::vector<double>{1.0, std::nan("")}, "x"), Error);
}

}  // namespace
}  // namespace cairn::stats
