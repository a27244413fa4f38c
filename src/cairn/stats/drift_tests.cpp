#include "cairn/stats/drift_tests.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "cairn/core/error.h"
#include "cairn/stats/distributions.h"
#include "cairn/stats/kolmogorov_distribution.h"

namespace cairn::stats {
namespace {

// ks_2samp switches from the exact distribution to the asymptotic one above this size.
constexpr std::int64_t kKsMaxExactSize = 10000;

// Neumaier's compensated sum, so that long sums match SciPy's pairwise ones closely.
class CompensatedSum {
 public:
  void Add(double value) {
    const double t = sum_ + value;
    if (std::fabs(sum_) >= std::fabs(value)) {
      compensation_ += (sum_ - t) + value;
    } else {
      compensation_ += (value - t) + sum_;
    }
    sum_ = t;
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

void CheckShares(std::span<const double> shares, std::string_view argument) {
  if (shares.empty()) ThrowInvalidInput(std::string(argument) + " is empty");
  for (std::size_t i = 0; i < shares.size(); ++i)
    if (!(shares[i] >= 0.0) || std::isinf(shares[i]))
      ThrowInvalidInput(std::string(argument) + "[" + std::to_string(i) + "] is not a finite share >= 0");
}

DriftResult MakeDistance(std::string method, double value, double threshold) {
  DriftResult result;
  result.method = std::move(method);
  result.statistic = value;
  result.threshold = threshold;
  result.drift = value >= threshold;
  return result;
}

double PopulationStd(std::span<const double> values) {
  CompensatedSum sum;
  for (double v : values) sum.Add(v);
  const double mean = sum.value() / static_cast<double>(values.size());
  CompensatedSum squares;
  for (double v : values) squares.Add((v - mean) * (v - mean));
  return std::sqrt(squares.value() / static_cast<double>(values.size()));
}

DriftResult BinnedPsi(DriftBins bins, double threshold) {
  double value = PopulationStabilityIndex(bins.reference_shares, bins.current_shares);
  DriftResult result = MakeDistance("psi", value, threshold);
  result.bins = std::move(bins);
  return result;
}

DriftResult BinnedJensenShannon(DriftBins bins, double threshold) {
  double value = JensenShannonDistance(bins.reference_shares, bins.current_shares);
  DriftResult result = MakeDistance("jensenshannon", value, threshold);
  result.bins = std::move(bins);
  return result;
}

}  // namespace

KsStatistic KsTwoSample(const SortedSample& reference, const SortedSample& current) {
  std::span<const double> a = reference.values();
  std::span<const double> b = current.values();
  const auto n1 = static_cast<std::int64_t>(a.size());
  const auto n2 = static_cast<std::int64_t>(b.size());
  // Largest |F1 - F2| over the pooled values, each ECDF taken after all ties
  // at a value (SciPy's searchsorted(..., side='right')). The gap is tracked
  // exactly as |i n2 - j n1| = n1 n2 |F1 - F2|, in a merge written without
  // unpredictable branches: a gap only counts once the next pooled value differs.
  constexpr double kEnd = std::numeric_limits<double>::infinity();
  const double* pa = a.data();
  const double* pb = b.data();
  const std::size_t na = a.size(), nb = b.size();
  std::int64_t widest = 0;
  std::size_t i = 0, j = 0;
  auto account = [&](double value) {
    const double next = std::min(i < na ? pa[i] : kEnd, j < nb ? pb[j] : kEnd);
    const std::int64_t gap = static_cast<std::int64_t>(i) * n2 - static_cast<std::int64_t>(j) * n1;
    const std::int64_t magnitude = gap < 0 ? -gap : gap;
    widest = (next != value && magnitude > widest) ? magnitude : widest;
  };
  while (i < na && j < nb) {
    const double va = pa[i], vb = pb[j];
    const bool take_a = va <= vb;
    i += take_a ? 1 : 0;
    j += take_a ? 0 : 1;
    account(take_a ? va : vb);
  }
  while (i < na) account(pa[i++]);
  while (j < nb) account(pb[j++]);
  const double largest = static_cast<double>(widest) / (static_cast<double>(n1) * static_cast<double>(n2));
  KsStatistic result;
  result.statistic = largest;
  if (std::max(n1, n2) <= kKsMaxExactSize) {
    const std::int64_t g = std::gcd(n1, n2);
    const std::int64_t lcm = (n1 / g) * n2;
    const std::int64_t h = widest / g;
    result.statistic = static_cast<double>(h) / static_cast<double>(lcm);
    result.p_value = h == 0 ? 1.0 : TwoSampleKsExactSf(n1, n2, h);
    result.exact = true;
  } else {
    const double m = static_cast<double>(std::max(n1, n2));
    const double n = static_cast<double>(std::min(n1, n2));
    const double en = m * n / (m + n);
    result.p_value = KolmogorovSf(static_cast<std::int64_t>(std::nearbyint(en)), largest);
    result.exact = false;
  }
  result.p_value = std::clamp(result.p_value, 0.0, 1.0);
  return result;
}

KsStatistic KsTwoSample(std::span<const double> reference, std::span<const double> current) {
  return KsTwoSample(SortedSample(reference, "reference"), SortedSample(current, "current"));
}

DriftResult KsTest(const SortedSample& reference, const SortedSample& current, double threshold) {
  KsStatistic ks = KsTwoSample(reference, current);
  DriftResult result;
  result.method = "ks";
  result.statistic = ks.statistic;
  result.p_value = ks.p_value;
  result.threshold = threshold;
  result.drift = ks.p_value <= threshold;
  return result;
}

DriftResult KsTest(std::span<const double> reference, std::span<const double> current, double threshold) {
  return KsTest(SortedSample(reference, "reference"), SortedSample(current, "current"), threshold);
}

double WassersteinDistance(const SortedSample& u, const SortedSample& v) {
  std::span<const double> a = u.values();
  std::span<const double> b = v.values();
  const double na = static_cast<double>(a.size());
  const double nb = static_cast<double>(b.size());
  // Integral of |U(x) - V(x)| over the pooled sorted values: between two
  // consecutive pooled values both ECDFs are constant. Terms are summed in
  // blocks, and the block sums with compensation, to stay close to NumPy's
  // pairwise sum without a branch per term.
  constexpr std::size_t kBlock = 4096;
  CompensatedSum sum;
  double block = 0.0;
  std::size_t in_block = 0;
  std::size_t i = 0, j = 0;
  double previous = std::min(a[0], b[0]);
  auto add = [&](double value) {
    block += std::fabs(static_cast<double>(i) / na - static_cast<double>(j) / nb) * (value - previous);
    previous = value;
    if (++in_block == kBlock) {
      sum.Add(block);
      block = 0.0;
      in_block = 0;
    }
  };
  while (i < a.size() && j < b.size()) {
    const double va = a[i], vb = b[j];
    const bool take_a = va <= vb;
    add(take_a ? va : vb);
    i += take_a ? 1 : 0;
    j += take_a ? 0 : 1;
  }
  while (i < a.size()) {
    add(a[i]);
    ++i;
  }
  while (j < b.size()) {
    add(b[j]);
    ++j;
  }
  sum.Add(block);
  return sum.value();
}

double WassersteinDistance(std::span<const double> u, std::span<const double> v) {
  return WassersteinDistance(SortedSample(u, "u"), SortedSample(v, "v"));
}

DriftResult WassersteinTest(const SortedSample& reference, const SortedSample& current, double threshold) {
  const double norm = std::max(PopulationStd(reference.values()), kWassersteinMinStd);
  return MakeDistance("wasserstein", WassersteinDistance(reference, current) / norm, threshold);
}

DriftResult WassersteinTest(std::span<const double> reference, std::span<const double> current, double threshold) {
  return WassersteinTest(SortedSample(reference, "reference"), SortedSample(current, "current"), threshold);
}

DriftResult ChiSquareTest(std::span<const double> reference_counts, std::span<const double> current_counts,
                          double threshold) {
  DriftBins bins = BinCategoryCounts(reference_counts, current_counts);
  double reference_total = 0.0, current_total = 0.0;
  for (std::size_t k = 0; k < reference_counts.size(); ++k) {
    reference_total += reference_counts[k];
    current_total += current_counts[k];
  }
  const double scale = current_total / reference_total;
  double statistic = 0.0;
  std::size_t categories = 0;
  for (std::size_t k = 0; k < reference_counts.size(); ++k) {
    const double observed = current_counts[k];
    const double expected = reference_counts[k] * scale;
    if (observed == 0.0 && expected == 0.0) continue;
    ++categories;
    statistic += expected == 0.0 ? std::numeric_limits<double>::infinity()
                                 : (observed - expected) * (observed - expected) / expected;
  }
  DriftResult result;
  result.method = "chisquare";
  result.threshold = threshold;
  result.statistic = statistic;
  if (categories <= 1) {
    result.statistic = 0.0;
    result.p_value = 1.0;
  } else if (std::isinf(statistic)) {
    result.p_value = 0.0;
  } else {
    result.p_value = ChiSquareSf(statistic, static_cast<double>(categories - 1));
  }
  result.drift = result.p_value < threshold;
  return result;
}

DriftResult ChiSquareTest(const SortedSample& reference, const SortedSample& current, double threshold) {
  ValueCounts counts = CountValues(reference, current);
  return ChiSquareTest(counts.reference_counts, counts.current_counts, threshold);
}

DriftResult ZTest(std::span<const double> reference_counts, std::span<const double> current_counts, double threshold) {
  CheckSameLength(reference_counts.size(), current_counts.size(), "reference_counts", "current_counts");
  if (reference_counts.size() > 2)
    ThrowInvalidInput("the Z-test compares two categories but reference_counts has " +
                      std::to_string(reference_counts.size()) + "; use the chi-square test");
  BinCategoryCounts(reference_counts, current_counts);  // validates the counts
  DriftResult result;
  result.method = "z";
  result.threshold = threshold;
  const double r0 = reference_counts[0];
  const double r1 = reference_counts.size() > 1 ? reference_counts[1] : 0.0;
  const double c0 = current_counts[0];
  const double c1 = current_counts.size() > 1 ? current_counts[1] : 0.0;
  const double n1 = r0 + r1;
  const double n2 = c0 + c1;
  const double p1 = r1 / n1;
  const double p2 = c1 / n2;
  const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const double variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
  if (variance <= 0.0) {
    // Both samples hold the same single category.
    result.statistic = 0.0;
    result.p_value = 1.0;
  } else {
    result.statistic = (p1 - p2) / std::sqrt(variance);
    result.p_value = std::min(1.0, 2.0 * NormalSf(std::fabs(result.statistic)));
  }
  result.drift = result.p_value < threshold;
  return result;
}

DriftResult ZTest(const SortedSample& reference, const SortedSample& current, double threshold) {
  ValueCounts counts = CountValues(reference, current);
  if (counts.values.size() > 2)
    ThrowInvalidInput("the Z-test compares two values but the samples hold " + std::to_string(counts.values.size()) +
                      "; use the chi-square test");
  return ZTest(counts.reference_counts, counts.current_counts, threshold);
}

double PopulationStabilityIndex(std::span<const double> reference_shares, std::span<const double> current_shares) {
  CheckSameLength(reference_shares.size(), current_shares.size(), "reference_shares", "current_shares");
  CheckShares(reference_shares, "reference_shares");
  CheckShares(current_shares, "current_shares");
  std::vector<double> r = FillEmptyShares(reference_shares);
  std::vector<double> c = FillEmptyShares(current_shares);
  double psi = 0.0;
  for (std::size_t k = 0; k < r.size(); ++k)
    if (r[k] > 0.0 && c[k] > 0.0) psi += (r[k] - c[k]) * std::log(r[k] / c[k]);
  return std::max(psi, 0.0);
}

double JensenShannonDistance(std::span<const double> p, std::span<const double> q) {
  CheckSameLength(p.size(), q.size(), "p", "q");
  CheckShares(p, "p");
  CheckShares(q, "q");
  const double p_total = std::accumulate(p.begin(), p.end(), 0.0);
  const double q_total = std::accumulate(q.begin(), q.end(), 0.0);
  if (p_total <= 0.0 || q_total <= 0.0) ThrowInvalidInput("Jensen-Shannon distance needs shares that sum above zero");
  double divergence = 0.0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    const double pk = p[k] / p_total;
    const double qk = q[k] / q_total;
    const double mk = 0.5 * (pk + qk);
    if (pk > 0.0) divergence += pk * std::log(pk / mk);
    if (qk > 0.0) divergence += qk * std::log(qk / mk);
  }
  return std::sqrt(std::max(divergence / 2.0, 0.0));
}

DriftResult PsiTest(const SortedSample& reference, const SortedSample& current, double threshold) {
  return BinnedPsi(BinForDrift(reference, current), threshold);
}

DriftResult PsiTest(std::span<const double> reference, std::span<const double> current, double threshold) {
  return BinnedPsi(BinForDrift(reference, current), threshold);
}

DriftResult PsiTestCounts(std::span<const double> reference_counts, std::span<const double> current_counts,
                          double threshold) {
  return BinnedPsi(BinCategoryCounts(reference_counts, current_counts), threshold);
}

DriftResult JensenShannonTest(const SortedSample& reference, const SortedSample& current, double threshold) {
  return BinnedJensenShannon(BinForDrift(reference, current), threshold);
}

DriftResult JensenShannonTest(std::span<const double> reference, std::span<const double> current, double threshold) {
  return BinnedJensenShannon(BinForDrift(reference, current), threshold);
}

DriftResult JensenShannonTestCounts(std::span<const double> reference_counts, std::span<const double> current_counts,
                                    double threshold) {
  return BinnedJensenShannon(BinCategoryCounts(reference_counts, current_counts), threshold);
}

}  // namespace cairn::stats
