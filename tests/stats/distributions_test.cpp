#include "cairn/stats/distributions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "cairn/stats/kolmogorov_distribution.h"

namespace cairn::stats {
namespace {

TEST(Distributions, GammaTailsAddUpToOne) {
  for (double a : {0.5, 1.0, 2.5, 10.0, 75.0, 1000.0}) {
    for (double x : {0.01, 0.5, 1.0, 3.0, 10.0, 80.0, 1100.0}) {
      EXPECT_NEAR(RegularizedGammaP(a, x) + RegularizedGammaQ(a, x), 1.0, 1e-13) << a << " " << x;
    }
  }
  // Q(1, x) = exp(-x): a closed form deep in the tail.
  EXPECT_NEAR(RegularizedGammaQ(1.0, 300.0) / std::exp(-300.0), 1.0, 1e-13);
}

TEST(Distributions, ChiSquareEdges) {
  EXPECT_EQ(ChiSquareSf(0.0, 3.0), 1.0);
  EXPECT_EQ(ChiSquareSf(-1.0, 3.0), 1.0);
  EXPECT_TRUE(std::isnan(ChiSquareSf(1.0, 0.0)));
  EXPECT_EQ(ChiSquareSf(std::numeric_limits<double>::infinity(), 2.0), 0.0);
  // Two degrees of freedom: sf = exp(-x / 2).
  EXPECT_NEAR(ChiSquareSf(7.0, 2.0), std::exp(-3.5), 1e-15);
}

TEST(Distributions, BinomialCdfIsAProbability) {
  EXPECT_EQ(BinomialCdf(-1, 10, 0.5), 0.0);
  EXPECT_EQ(BinomialCdf(10, 10, 0.5), 1.0);
  EXPECT_NEAR(BinomialCdf(0, 10, 0.5), std::ldexp(1.0, -10), 1e-18);
  EXPECT_NEAR(BinomialCdf(5, 10, 0.5), 638.0 / 1024.0, 1e-14);
}

// Brute force: the share of all lattice paths whose largest |i/m - j/n| reaches h / lcm.
double EnumeratedTwoSampleSf(int m, int n, std::int64_t h) {
  const std::int64_t g = std::gcd(m, n);
  std::int64_t touching = 0, total = 0;
  const int steps = m + n;
  for (std::uint32_t mask = 0; mask < (1u << steps); ++mask) {
    if (__builtin_popcount(mask) != m) continue;
    ++total;
    std::int64_t i = 0, j = 0, largest = 0;
    for (int s = 0; s < steps; ++s) {
      ((mask >> s) & 1u) ? ++i : ++j;
      largest = std::max<std::int64_t>(largest, std::llabs(i * n - j * m));
    }
    touching += largest >= h * g;
  }
  return static_cast<double>(touching) / static_cast<double>(total);
}

TEST(Distributions, TwoSampleExactMatchesEnumeration) {
  for (auto [m, n] : std::vector<std::pair<int, int>>{{3, 4}, {5, 5}, {4, 6}, {7, 3}, {6, 6}, {2, 9}}) {
    const std::int64_t lcm = std::lcm(m, n);
    for (std::int64_t h = 1; h <= lcm; ++h) {
      EXPECT_NEAR(TwoSampleKsExactSf(m, n, h), EnumeratedTwoSampleSf(m, n, h), 1e-13)
          << "m=" << m << " n=" << n << " h=" << h;
      EXPECT_EQ(TwoSampleKsExactSf(m, n, h), TwoSampleKsExactSf(n, m, h));
    }
  }
}

TEST(Distributions, KolmogorovTailIsMonotone) {
  for (std::int64_t n : {5, 100, 141, 3000, 200000}) {
    double previous = 1.0;
    for (double x = 0.001; x < 1.0; x += 0.007) {
      const double p = KolmogorovSf(n, x);
      EXPECT_GE(p, 0.0);
      EXPECT_LE(p, previous + 1e-9) << "n=" << n << " x=" << x;
      previous = p;
    }
  }
  // The Durbin matrix and the Pelz-Good series agree where both apply.
  EXPECT_NEAR(1.0 - KolmogorovCdfDurbin(500, 0.04), KolmogorovSf(500, 0.04), 1e-6);
}

}  // namespace
}  // namespace cairn::stats
