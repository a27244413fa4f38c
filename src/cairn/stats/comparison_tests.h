// Paired significance tests that compare a candidate model B with a baseline
// A on the same rows: McNemar for accuracy, DeLong for ROC AUC, a paired
// bootstrap interval for any other metric, and the verdict drawn from them.
// Differences are always B minus A.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace cairn::stats {

inline constexpr double kComparisonAlpha = 0.05;

enum class Verdict { kBetter, kNoSignificantDifference, kWorse };

// "better", "no_significant_difference", "worse".
std::string_view VerdictName(Verdict verdict);

// Better or worse when p < alpha, by the sign of `difference` measured so that
// larger is better (negate it for losses and errors); otherwise no significant difference.
Verdict DecideVerdict(double difference, double p_value, double alpha = kComparisonAlpha);

// McNemar's test on the discordant pairs: b = rows only A got right, c = rows
// only B got right. With b + c < 25 the exact two-sided binomial test is used
// (statistic min(b, c), p = min(1, 2 P(X <= min(b, c))), X ~ Binomial(b + c, 1/2),
// which equals scipy.stats.binomtest); otherwise the chi-square statistic with
// continuity correction (|b - c| - 1)^2 / (b + c) on one degree of freedom, as
// statsmodels' mcnemar(exact=False). No discordant pair gives p = 1.
inline constexpr std::int64_t kMcNemarExactBelow = 25;

struct McNemarResult {
  std::int64_t only_a_correct = 0;
  std::int64_t only_b_correct = 0;
  double statistic = 0.0;
  double p_value = 1.0;
  bool exact = true;
  // Accuracy of B minus accuracy of A.
  double difference = 0.0;
};
McNemarResult McNemarTest(std::int64_t only_a_correct, std::int64_t only_b_correct);
McNemarResult McNemarTest(std::span<const int> y_true, std::span<const int> pred_a, std::span<const int> pred_b);

// DeLong's test for two correlated ROC AUCs on the same rows, by the fast
// midrank algorithm (Sun and Xu 2014). z = (AUC_B - AUC_A) / sd of the
// difference; p two-sided. A zero variance gives z = 0 and p = 1 when the
// AUCs are equal, z = +-inf and p = 0 otherwise. Needs at least two samples of each class.
struct DeLongResult {
  double auc_a = 0.0;
  double auc_b = 0.0;
  double variance_a = 0.0;
  double variance_b = 0.0;
  double covariance = 0.0;
  double z = 0.0;
  double p_value = 1.0;
  double difference = 0.0;
};
DeLongResult DeLongTest(std::span<const int> y_true, std::span<const double> scores_a,
                        std::span<const double> scores_b);

// Paired bootstrap of a metric difference. `difference` receives the row
// indices of a resample (with repetitions) and returns metric(B) - metric(A)
// on those rows. Resamples are drawn from a generator seeded by `seed`, so the
// result is deterministic. The interval is the percentile interval (linear
// interpolation between order statistics); p is twice the smaller share of
// resamples at or below zero and at or above zero, capped at 1. Resamples on
// which the metric is undefined (it throws cairn::Error, or returns NaN) are
// skipped and counted.
struct BootstrapOptions {
  int resamples = 1000;
  std::uint64_t seed = 0;
  double confidence = 0.95;
};
struct BootstrapResult {
  double estimate = 0.0;
  double low = 0.0;
  double high = 0.0;
  double p_value = 1.0;
  int resamples = 0;
  int skipped = 0;
};
using PairedDifference = std::function<double(std::span<const std::size_t> rows)>;
BootstrapResult PairedBootstrap(std::size_t rows, const PairedDifference& difference,
                                const BootstrapOptions& options = {});

}  // namespace cairn::stats
