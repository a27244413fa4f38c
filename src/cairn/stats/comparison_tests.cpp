#include "cairn/stats/comparison_tests.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/stats/distributions.h"
#include "cairn/stats/random.h"
#include "cairn/stats/sorted_values.h"

namespace cairn::stats {
namespace {

// 1-based ranks with ties given their mean rank.
std::vector<double> Midranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    while (j < n && values[order[j]] == values[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j - 1) + 1.0;
    for (std::size_t k = i; k < j; ++k) ranks[order[k]] = rank;
    i = j;
  }
  return ranks;
}

struct StructuralComponents {
  double auc = 0.0;
  std::vector<double> positives;  // V10: one per positive sample
  std::vector<double> negatives;  // V01: one per negative sample
};

StructuralComponents Components(std::span<const double> positive_scores, std::span<const double> negative_scores) {
  const std::size_t m = positive_scores.size();
  const std::size_t n = negative_scores.size();
  std::vector<double> pooled(positive_scores.begin(), positive_scores.end());
  pooled.insert(pooled.end(), negative_scores.begin(), negative_scores.end());
  std::vector<double> tz = Midranks(pooled);
  std::vector<double> tx = Midranks(positive_scores);
  std::vector<double> ty = Midranks(negative_scores);
  StructuralComponents c;
  double rank_sum = 0.0;
  c.positives.resize(m);
  c.negatives.resize(n);
  for (std::size_t i = 0; i < m; ++i) {
    rank_sum += tz[i];
    c.positives[i] = (tz[i] - tx[i]) / static_cast<double>(n);
  }
  for (std::size_t j = 0; j < n; ++j) c.negatives[j] = 1.0 - (tz[m + j] - ty[j]) / static_cast<double>(m);
  c.auc = rank_sum / static_cast<double>(m) / static_cast<double>(n) -
          (static_cast<double>(m) + 1.0) / (2.0 * static_cast<double>(n));
  return c;
}

// Sample covariance (n - 1 in the denominator).
double Covariance(std::span<const double> x, std::span<const double> y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) sum += (x[i] - mx) * (y[i] - my);
  return sum / (n - 1.0);
}

double Percentile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kBetter:
      return "better";
    case Verdict::kWorse:
      return "worse";
    case Verdict::kNoSignificantDifference:
      break;
  }
  return "no_significant_difference";
}

Verdict DecideVerdict(double difference, double p_value, double alpha) {
  if (!(p_value < alpha) || difference == 0.0 || std::isnan(difference)) return Verdict::kNoSignificantDifference;
  return difference > 0.0 ? Verdict::kBetter : Verdict::kWorse;
}

McNemarResult McNemarTest(std::int64_t only_a_correct, std::int64_t only_b_correct) {
  if (only_a_correct < 0 || only_b_correct < 0)
    ThrowInvalidInput("McNemar's test needs non-negative discordant counts, got " + std::to_string(only_a_correct) +
                      " and " + std::to_string(only_b_correct));
  McNemarResult result;
  result.only_a_correct = only_a_correct;
  result.only_b_correct = only_b_correct;
  const std::int64_t discordant = only_a_correct + only_b_correct;
  if (discordant == 0) return result;
  if (discordant < kMcNemarExactBelow) {
    const std::int64_t smaller = std::min(only_a_correct, only_b_correct);
    result.exact = true;
    result.statistic = static_cast<double>(smaller);
    result.p_value = std::min(1.0, 2.0 * BinomialCdf(smaller, discordant, 0.5));
  } else {
    const double gap = std::fabs(static_cast<double>(only_a_correct - only_b_correct)) - 1.0;
    result.exact = false;
    result.statistic = gap * gap / static_cast<double>(discordant);
    result.p_value = ChiSquareSf(result.statistic, 1.0);
  }
  return result;
}

McNemarResult McNemarTest(std::span<const int> y_true, std::span<const int> pred_a, std::span<const int> pred_b) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), pred_a.size(), "y_true", "pred_a");
  CheckSameLength(y_true.size(), pred_b.size(), "y_true", "pred_b");
  std::int64_t only_a = 0, only_b = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const bool a = pred_a[i] == y_true[i];
    const bool b = pred_b[i] == y_true[i];
    only_a += a && !b;
    only_b += b && !a;
  }
  McNemarResult result = McNemarTest(only_a, only_b);
  result.difference = static_cast<double>(only_b - only_a) / static_cast<double>(y_true.size());
  return result;
}

DeLongResult DeLongTest(std::span<const int> y_true, std::span<const double> scores_a,
                        std::span<const double> scores_b) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), scores_a.size(), "y_true", "scores_a");
  CheckSameLength(y_true.size(), scores_b.size(), "y_true", "scores_b");
  CheckNoNaN(scores_a, "scores_a");
  CheckNoNaN(scores_b, "scores_b");
  std::vector<double> pos_a, neg_a, pos_b, neg_b;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] == 1) {
      pos_a.push_back(scores_a[i]);
      pos_b.push_back(scores_b[i]);
    } else if (y_true[i] == 0) {
      neg_a.push_back(scores_a[i]);
      neg_b.push_back(scores_b[i]);
    } else {
      ThrowInvalidInput("y_true[" + std::to_string(i) + "] is " + std::to_string(y_true[i]) +
                        "; DeLong's test takes labels 0 and 1");
    }
  }
  if (pos_a.size() < 2 || neg_a.size() < 2)
    ThrowInvalidInput("DeLong's test needs at least two samples of each class; y_true has " +
                      std::to_string(pos_a.size()) + " positive and " + std::to_string(neg_a.size()) + " negative");
  StructuralComponents a = Components(pos_a, neg_a);
  StructuralComponents b = Components(pos_b, neg_b);
  const double m = static_cast<double>(pos_a.size());
  const double n = static_cast<double>(neg_a.size());
  DeLongResult result;
  result.auc_a = a.auc;
  result.auc_b = b.auc;
  result.variance_a = Covariance(a.positives, a.positives) / m + Covariance(a.negatives, a.negatives) / n;
  result.variance_b = Covariance(b.positives, b.positives) / m + Covariance(b.negatives, b.negatives) / n;
  result.covariance = Covariance(a.positives, b.positives) / m + Covariance(a.negatives, b.negatives) / n;
  result.difference = result.auc_b - result.auc_a;
  const double variance = result.variance_a + result.variance_b - 2.0 * result.covariance;
  if (!(variance > 0.0)) {
    if (result.difference == 0.0) {
      result.z = 0.0;
      result.p_value = 1.0;
    } else {
      result.z = std::copysign(std::numeric_limits<double>::infinity(), result.difference);
      result.p_value = 0.0;
    }
    return result;
  }
  result.z = result.difference / std::sqrt(variance);
  result.p_value = std::min(1.0, 2.0 * NormalSf(std::fabs(result.z)));
  return result;
}

BootstrapResult PairedBootstrap(std::size_t rows, const PairedDifference& difference, const BootstrapOptions& options) {
  if (rows == 0) ThrowInvalidInput("the paired bootstrap needs at least one row");
  if (options.resamples < 1) ThrowInvalidInput("resamples must be at least 1");
  if (!(options.confidence > 0.0 && options.confidence < 1.0))
    ThrowInvalidInput("confidence must lie strictly between 0 and 1");
  std::vector<std::size_t> indices(rows);
  std::iota(indices.begin(), indices.end(), 0);
  BootstrapResult result;
  result.estimate = difference(indices);
  Random random(options.seed);
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(options.resamples));
  for (int r = 0; r < options.resamples; ++r) {
    for (std::size_t& index : indices) index = static_cast<std::size_t>(random.Below(rows));
    double value;
    try {
      value = difference(indices);
    } catch (const Error&) {
      value = std::numeric_limits<double>::quiet_NaN();
    }
    if (std::isnan(value)) {
      ++result.skipped;
      continue;
    }
    values.push_back(value);
  }
  if (values.size() * 2 < static_cast<std::size_t>(options.resamples))
    ThrowInvalidInput("the metric was undefined on " + std::to_string(result.skipped) + " of " +
                      std::to_string(options.resamples) + " bootstrap resamples; too few rows of some class?");
  result.resamples = static_cast<int>(values.size());
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  result.low = Percentile(values, tail);
  result.high = Percentile(values, 1.0 - tail);
  const auto at_or_below = static_cast<double>(std::upper_bound(values.begin(), values.end(), 0.0) - values.begin());
  const auto at_or_above = static_cast<double>(values.end() - std::lower_bound(values.begin(), values.end(), 0.0));
  const double total = static_cast<double>(values.size());
  result.p_value = std::min(1.0, 2.0 * std::min(at_or_below, at_or_above) / total);
  return result;
}

}  // namespace cairn::stats
