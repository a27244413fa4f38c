// Drift statistics between a reference sample and a current one, with the
// defaults that Evidently users expect. Every test returns a DriftResult; a
// constant column never yields NaN: identical constant samples give a
// statistic of 0 (or a p-value of 1) and no drift.
//
// | method          | statistic                         | drift when        |
// | --------------- | --------------------------------- | ----------------- |
// | "ks"            | two-sample Kolmogorov-Smirnov D   | p <= 0.05         |
// | "chisquare"     | Pearson chi-square, current counts| p <  0.05         |
// |                 | against reference proportions     |                   |
// | "z"             | two-proportion Z (two categories) | p <  0.05         |
// | "psi"           | population stability index        | psi >= 0.1        |
// | "jensenshannon" | Jensen-Shannon distance (ln)      | distance >= 0.1   |
// | "wasserstein"   | Wasserstein-1 / reference std     | value >= 0.1      |
//
// Binning for PSI and Jensen-Shannon is described in drift_binning.h.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string>

#include "cairn/stats/drift_binning.h"
#include "cairn/stats/sorted_values.h"

namespace cairn::stats {

inline constexpr double kKsThreshold = 0.05;
inline constexpr double kChiSquareThreshold = 0.05;
inline constexpr double kZThreshold = 0.05;
inline constexpr double kPsiThreshold = 0.1;
inline constexpr double kJensenShannonThreshold = 0.1;
inline constexpr double kWassersteinThreshold = 0.1;
// Floor of the reference standard deviation that normalizes the Wasserstein
// distance, so that a constant reference does not divide by zero.
inline constexpr double kWassersteinMinStd = 0.001;

struct DriftResult {
  std::string method;
  double statistic = 0.0;
  // NaN for distances, which are not tests.
  double p_value = std::numeric_limits<double>::quiet_NaN();
  double threshold = 0.0;
  bool drift = false;
  // The bins behind PSI and Jensen-Shannon.
  std::optional<DriftBins> bins;
};

// scipy.stats.ks_2samp(reference, current) with method='auto', two-sided:
// exact when both sizes are at most 10,000 (the statistic is then rounded to
// a multiple of 1 / lcm(n1, n2), as SciPy does), otherwise kstwo.sf(D, round(n1 n2 / (n1 + n2))).
struct KsStatistic {
  double statistic = 0.0;
  double p_value = 1.0;
  bool exact = true;
};
KsStatistic KsTwoSample(const SortedSample& reference, const SortedSample& current);
KsStatistic KsTwoSample(std::span<const double> reference, std::span<const double> current);

DriftResult KsTest(const SortedSample& reference, const SortedSample& current, double threshold = kKsThreshold);
DriftResult KsTest(std::span<const double> reference, std::span<const double> current, double threshold = kKsThreshold);

// scipy.stats.wasserstein_distance(u, v).
double WassersteinDistance(const SortedSample& u, const SortedSample& v);
double WassersteinDistance(std::span<const double> u, std::span<const double> v);

// Wasserstein distance divided by max(population std of the reference, 0.001).
DriftResult WassersteinTest(const SortedSample& reference, const SortedSample& current,
                            double threshold = kWassersteinThreshold);
DriftResult WassersteinTest(std::span<const double> reference, std::span<const double> current,
                            double threshold = kWassersteinThreshold);

// Pearson chi-square of the current counts against expected counts from the
// reference proportions (scipy.stats.chisquare(current, reference * n_cur / n_ref)),
// with k - 1 degrees of freedom over the k categories seen in either sample.
// A category absent from the reference but present in the current sample
// gives an infinite statistic and p = 0; a single category gives p = 1.
DriftResult ChiSquareTest(std::span<const double> reference_counts, std::span<const double> current_counts,
                          double threshold = kChiSquareThreshold);
// The same on the distinct values of a numeric feature.
DriftResult ChiSquareTest(const SortedSample& reference, const SortedSample& current,
                          double threshold = kChiSquareThreshold);

// Two-proportion Z-test on a two-category feature: the statistic is
// (p_ref - p_cur) / sqrt(P (1 - P) (1/n_ref + 1/n_cur)) with p the share of the
// second category and P the pooled share; p-value two-sided. Identical
// single-category samples give z = 0, p = 1.
DriftResult ZTest(std::span<const double> reference_counts, std::span<const double> current_counts,
                  double threshold = kZThreshold);
DriftResult ZTest(const SortedSample& reference, const SortedSample& current, double threshold = kZThreshold);

// PSI = sum (r - c) ln(r / c) over shares with empty bins filled.
double PopulationStabilityIndex(std::span<const double> reference_shares, std::span<const double> current_shares);
// scipy.spatial.distance.jensenshannon(p, q) with the natural logarithm; in [0, sqrt(ln 2)].
double JensenShannonDistance(std::span<const double> p, std::span<const double> q);

DriftResult PsiTest(const SortedSample& reference, const SortedSample& current, double threshold = kPsiThreshold);
DriftResult PsiTest(std::span<const double> reference, std::span<const double> current,
                    double threshold = kPsiThreshold);
DriftResult PsiTestCounts(std::span<const double> reference_counts, std::span<const double> current_counts,
                          double threshold = kPsiThreshold);

DriftResult JensenShannonTest(const SortedSample& reference, const SortedSample& current,
                              double threshold = kJensenShannonThreshold);
DriftResult JensenShannonTest(std::span<const double> reference, std::span<const double> current,
                              double threshold = kJensenShannonThreshold);
DriftResult JensenShannonTestCounts(std::span<const double> reference_counts, std::span<const double> current_counts,
                                    double threshold = kJensenShannonThreshold);

}  // namespace cairn::stats
