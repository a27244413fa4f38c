#include "cairn/stats/drift_tests.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "cairn/core/error.h"
#include "test_samples.h"

namespace cairn::stats {
namespace {

using testing::ExponentialSample;
using testing::NormalSample;
using testing::RoundedTo;

struct SamplePair {
  std::vector<double> reference;
  std::vector<double> current;
};

std::vector<SamplePair> RandomPairs() {
  std::vector<SamplePair> pairs;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const std::size_t n1 = 20 + 37 * seed;
    const std::size_t n2 = 15 + 53 * (13 - seed);
    const double shift = 0.05 * static_cast<double>(seed % 5);
    std::vector<double> a = NormalSample(n1, 0, 1, seed);
    std::vector<double> b = NormalSample(n2, shift, 1 + 0.1 * static_cast<double>(seed % 3), seed + 1000);
    if (seed % 4 == 0) {
      a = RoundedTo(a, 0.5);
      b = RoundedTo(b, 0.5);
    }
    pairs.push_back({a, b});
  }
  pairs.push_back({ExponentialSample(500, 1.0, 77), ExponentialSample(700, 0.5, 78)});
  return pairs;
}

TEST(DriftProperties, PsiIsNonNegative) {
  for (const SamplePair& p : RandomPairs()) {
    EXPECT_GE(PsiTest(p.reference, p.current).statistic, 0.0);
    EXPECT_GE(PsiTest(p.current, p.reference).statistic, 0.0);
  }
  EXPECT_EQ(PopulationStabilityIndex(std::vector<double>{0.2, 0.8}, std::vector<double>{0.2, 0.8}), 0.0);
}

TEST(DriftProperties, KsIsSymmetric) {
  for (const SamplePair& p : RandomPairs()) {
    KsStatistic forward = KsTwoSample(p.reference, p.current);
    KsStatistic backward = KsTwoSample(p.current, p.reference);
    EXPECT_EQ(forward.statistic, backward.statistic);
    EXPECT_NEAR(forward.p_value, backward.p_value, 1e-12);
  }
}

TEST(DriftProperties, JensenShannonIsBounded) {
  const double upper = std::sqrt(std::numbers::ln2);
  for (const SamplePair& p : RandomPairs()) {
    const double js = JensenShannonTest(p.reference, p.current).statistic;
    EXPECT_GE(js, 0.0);
    EXPECT_LE(js, upper);
  }
  // Disjoint supports reach the upper bound.
  EXPECT_NEAR(JensenShannonDistance(std::vector<double>{1, 0}, std::vector<double>{0, 1}), upper, 1e-15);
}

TEST(DriftProperties, ConstantColumnsGiveFiniteStatisticsAndNoDrift) {
  const std::vector<double> ref(300, 4.5);
  const std::vector<double> cur(200, 4.5);
  for (const DriftResult& r :
       {KsTest(ref, cur), WassersteinTest(ref, cur), PsiTest(ref, cur), JensenShannonTest(ref, cur),
        ChiSquareTest(SortedSample(ref, "r"), SortedSample(cur, "c")),
        ZTest(SortedSample(ref, "r"), SortedSample(cur, "c"))}) {
    SCOPED_TRACE(r.method);
    EXPECT_TRUE(std::isfinite(r.statistic));
    EXPECT_FALSE(std::isnan(r.p_value) && (r.method == "ks" || r.method == "chisquare" || r.method == "z"));
    EXPECT_FALSE(r.drift);
  }
  // A constant reference against a spread current sample is drift, still finite.
  std::vector<double> spread = NormalSample(200, 4.5, 1.0, 5);
  DriftResult w = WassersteinTest(ref, spread);
  EXPECT_TRUE(std::isfinite(w.statistic));
  EXPECT_TRUE(w.drift);
  EXPECT_TRUE(std::isfinite(PsiTest(ref, spread).statistic));
}

TEST(DriftProperties, WassersteinOfAShiftIsTheShift) {
  std::vector<double> a = NormalSample(1000, 0, 1, 9);
  std::vector<double> b = a;
  for (double& v : b) v += 0.75;
  EXPECT_NEAR(WassersteinDistance(a, b), 0.75, 1e-12);
  EXPECT_EQ(WassersteinDistance(a, a), 0.0);
}

TEST(DriftProperties, LargeShiftIsDetectedByEveryNumericMethod) {
  std::vector<double> a = NormalSample(800, 0, 1, 11);
  std::vector<double> b = NormalSample(900, 1.0, 1, 12);
  for (const DriftResult& r : {KsTest(a, b), WassersteinTest(a, b), PsiTest(a, b), JensenShannonTest(a, b)}) {
    EXPECT_TRUE(r.drift) << r.method << " " << r.statistic;
  }
  std::vector<double> c = NormalSample(900, 0, 1, 13);
  EXPECT_FALSE(KsTest(a, c).drift);
}

TEST(DriftProperties, BinsAreRecorded) {
  std::vector<double> a = NormalSample(1000, 0, 1, 14);
  std::vector<double> b = NormalSample(1000, 0.1, 1, 15);
  DriftResult psi = PsiTest(a, b);
  ASSERT_TRUE(psi.bins.has_value());
  EXPECT_FALSE(psi.bins->per_value());
  // Sturges on 2000 values: ceil(log2(2000) + 1) = 12 bins.
  EXPECT_EQ(psi.bins->edges.size(), 13u);
  EXPECT_EQ(psi.bins->reference_shares.size(), 12u);
  EXPECT_TRUE(std::isnan(psi.p_value));
  DriftResult few = PsiTest(std::vector<double>{1, 2, 2, 3}, std::vector<double>{2, 3, 3, 4});
  ASSERT_TRUE(few.bins->per_value());
  EXPECT_EQ(few.bins->values, (std::vector<double>{1, 2, 3, 4}));
}

TEST(DriftProperties, SortedAndUnsortedBinningAgree) {
  for (const SamplePair& p : RandomPairs()) {
    DriftBins unsorted = BinForDrift(std::span<const double>(p.reference), std::span<const double>(p.current));
    DriftBins sorted = BinForDrift(SortedSample(p.reference, "r"), SortedSample(p.current, "c"));
    EXPECT_EQ(unsorted.edges, sorted.edges);
    EXPECT_EQ(unsorted.values, sorted.values);
    EXPECT_EQ(unsorted.reference_shares, sorted.reference_shares);
    EXPECT_EQ(unsorted.current_shares, sorted.current_shares);
  }
}

TEST(DriftProperties, CategoricalEdgeCases) {
  // A single category seen in both samples: p = 1, no drift.
  DriftResult single = ChiSquareTest(std::vector<double>{100, 0}, std::vector<double>{80, 0});
  EXPECT_EQ(single.p_value, 1.0);
  EXPECT_FALSE(single.drift);
  // A category new in the current sample: infinite statistic, p = 0.
  DriftResult fresh = ChiSquareTest(std::vector<double>{100, 0}, std::vector<double>{80, 5});
  EXPECT_TRUE(std::isinf(fresh.statistic));
  EXPECT_EQ(fresh.p_value, 0.0);
  EXPECT_TRUE(fresh.drift);
  DriftResult same = ZTest(std::vector<double>{50, 0}, std::vector<double>{70, 0});
  EXPECT_EQ(same.statistic, 0.0);
  EXPECT_EQ(same.p_value, 1.0);
}

TEST(DriftErrors, BadInputIsRejectedWithItsName) {
  std::vector<double> empty;
  std::vector<double> ok{1, 2, 3};
  std::vector<double> with_nan{1, std::nan(""), 3};
  auto expect_invalid = [](auto&& call, const std::string& fragment) {
    try {
      call();
      ADD_FAILURE() << "expected an error mentioning " << fragment;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_invalid([&] { KsTest(empty, ok); }, "reference is empty");
  expect_invalid([&] { KsTest(ok, with_nan); }, "current holds NaN at position 1");
  expect_invalid([&] { ChiSquareTest(std::vector<double>{1, 2}, std::vector<double>{1}); }, "reference_counts");
  expect_invalid([&] { ZTest(std::vector<double>{1, 2, 3}, std::vector<double>{1, 2, 3}); }, "two categories");
  expect_invalid([&] { ChiSquareTest(std::vector<double>{0, 0}, std::vector<double>{1, 2}); }, "sum to zero");
  expect_invalid([&] { PsiTestCounts(std::vector<double>{-1, 2}, std::vector<double>{1, 2}); }, "reference_counts[0]");
}

}  // namespace
}  // namespace cairn::stats
