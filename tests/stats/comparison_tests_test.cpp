#include "cairn/stats/comparison_tests.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/ranking_metrics.h"
#include "test_samples.h"

namespace cairn::stats {
namespace {

using testing::Logistic;
using testing::NormalSample;

struct TwoModels {
  std::vector<int> y;
  std::vector<double> weak;
  std::vector<double> strong;
};

TwoModels MakeModels(std::size_t n, double strong_signal, std::uint64_t seed) {
  TwoModels m;
  Random random(seed);
  std::vector<double> noise_a = NormalSample(n, 0, 1, seed + 1);
  std::vector<double> noise_b = NormalSample(n, 0, 1, seed + 2);
  for (std::size_t i = 0; i < n; ++i) {
    const int y = random.Uniform() < 0.5 ? 1 : 0;
    m.y.push_back(y);
    m.weak.push_back(Logistic(0.6 * (2 * y - 1) + noise_a[i]));
    m.strong.push_back(Logistic(strong_signal * (2 * y - 1) + noise_b[i]));
  }
  return m;
}

std::vector<int> Threshold(const std::vector<double>& scores) {
  std::vector<int> labels;
  for (double s : scores) labels.push_back(s >= 0.5 ? 1 : 0);
  return labels;
}

TEST(ComparisonTests, VerdictRules) {
  EXPECT_EQ(DecideVerdict(0.02, 0.01), Verdict::kBetter);
  EXPECT_EQ(DecideVerdict(-0.02, 0.01), Verdict::kWorse);
  EXPECT_EQ(DecideVerdict(0.02, 0.05), Verdict::kNoSignificantDifference);
  EXPECT_EQ(DecideVerdict(0.0, 0.0), Verdict::kNoSignificantDifference);
  EXPECT_EQ(VerdictName(Verdict::kNoSignificantDifference), "no_significant_difference");
}

TEST(ComparisonTests, McNemarRuleAndEdges) {
  McNemarResult none = McNemarTest(0, 0);
  EXPECT_EQ(none.p_value, 1.0);
  EXPECT_TRUE(McNemarTest(10, 14).exact);
  EXPECT_FALSE(McNemarTest(10, 15).exact);
  // Exact two-sided: 2 * P(X <= 0) for n = 5.
  EXPECT_NEAR(McNemarTest(0, 5).p_value, 2.0 / 32.0, 1e-15);
  std::vector<int> y{1, 1, 0, 0, 1};
  McNemarResult from_rows = McNemarTest(y, std::vector<int>{1, 0, 0, 1, 1}, std::vector<int>{1, 1, 0, 0, 0});
  EXPECT_EQ(from_rows.only_a_correct, 1);
  EXPECT_EQ(from_rows.only_b_correct, 2);
  EXPECT_NEAR(from_rows.difference, 0.2, 1e-15);
  EXPECT_THROW(McNemarTest(-1, 3), Error);
}

TEST(ComparisonTests, DeLongSeesAClearlyBetterModel) {
  TwoModels m = MakeModels(600, 1.6, 5);
  DeLongResult result = DeLongTest(m.y, m.weak, m.strong);
  EXPECT_NEAR(result.auc_a, RocAuc(m.y, m.weak), 1e-12);
  EXPECT_GT(result.difference, 0.0);
  EXPECT_LT(result.p_value, 0.05);
  EXPECT_EQ(DecideVerdict(result.difference, result.p_value), Verdict::kBetter);
  DeLongResult same = DeLongTest(m.y, m.weak, m.weak);
  EXPECT_EQ(same.z, 0.0);
  EXPECT_EQ(same.p_value, 1.0);
  EXPECT_THROW(DeLongTest(std::vector<int>{1, 0, 0}, std::vector<double>{1, 2, 3}, std::vector<double>{1, 2, 3}),
               Error);
}

TEST(ComparisonTests, PairedBootstrapIsDeterministicAndSensible) {
  TwoModels m = MakeModels(500, 1.6, 7);
  std::vector<int> weak_labels = Threshold(m.weak), strong_labels = Threshold(m.strong);
  PairedDifference accuracy_gain = [&](std::span<const std::size_t> rows) {
    double a = 0, b = 0;
    for (std::size_t r : rows) {
      a += weak_labels[r] == m.y[r];
      b += strong_labels[r] == m.y[r];
    }
    return (b - a) / static_cast<double>(rows.size());
  };
  BootstrapOptions options;
  options.resamples = 400;
  options.seed = 11;
  BootstrapResult first = PairedBootstrap(m.y.size(), accuracy_gain, options);
  BootstrapResult second = PairedBootstrap(m.y.size(), accuracy_gain, options);
  EXPECT_EQ(first.low, second.low);
  EXPECT_EQ(first.high, second.high);
  EXPECT_EQ(first.p_value, second.p_value);
  EXPECT_LE(first.low, first.estimate);
  EXPECT_GE(first.high, first.estimate);
  EXPECT_GT(first.low, 0.0);
  EXPECT_EQ(DecideVerdict(first.estimate, first.p_value), Verdict::kBetter);

  PairedDifference nothing = [](std::span<const std::size_t>) { return 0.0; };
  BootstrapResult none = PairedBootstrap(100, nothing, options);
  EXPECT_EQ(none.p_value, 1.0);
  EXPECT_EQ(DecideVerdict(none.estimate, none.p_value), Verdict::kNoSignificantDifference);
}

TEST(ComparisonTests, BootstrapSkipsResamplesWhereTheMetricIsUndefined) {
  // Two positives among 40 rows: some resamples hold no positive, where ROC AUC is undefined.
  TwoModels m = MakeModels(40, 1.0, 9);
  for (std::size_t i = 0; i < m.y.size(); ++i) m.y[i] = i < 2 ? 1 : 0;
  PairedDifference auc_gain = [&](std::span<const std::size_t> rows) {
    std::vector<int> y;
    std::vector<double> a, b;
    for (std::size_t r : rows) {
      y.push_back(m.y[r]);
      a.push_back(m.weak[r]);
      b.push_back(m.strong[r]);
    }
    return RocAuc(y, b) - RocAuc(y, a);
  };
  BootstrapOptions options;
  options.resamples = 200;
  BootstrapResult result = PairedBootstrap(m.y.size(), auc_gain, options);
  EXPECT_GT(result.skipped, 0);
  EXPECT_EQ(result.resamples + result.skipped, 200);
}

}  // namespace
}  // namespace cairn::stats
