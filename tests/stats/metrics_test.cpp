#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/ranking_metrics.h"
#include "cairn/stats/regression_metrics.h"

namespace cairn::stats {
namespace {

template <typename Call>
void ExpectInvalid(Call&& call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "expected an error mentioning " << fragment;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(ClassificationMetrics, PerfectAndReversedRanking) {
  std::vector<int> y{0, 0, 1, 1, 1};
  std::vector<double> good{0.1, 0.2, 0.7, 0.8, 0.9};
  std::vector<double> reversed{0.9, 0.8, 0.3, 0.2, 0.1};
  EXPECT_EQ(RocAuc(y, good), 1.0);
  EXPECT_EQ(RocAuc(y, reversed), 0.0);
  EXPECT_EQ(AveragePrecision(y, good), 1.0);
  // All scores tied: one threshold, a diagonal ROC curve.
  EXPECT_EQ(RocAuc(y, std::vector<double>(5, 0.5)), 0.5);
}

TEST(ClassificationMetrics, ZeroDivisionGivesZeroAndAFlag) {
  std::vector<int> y{0, 1, 1, 0};
  std::vector<int> pred{0, 0, 0, 0};
  PrecisionRecallF1 prf = ComputePrecisionRecallF1(y, pred);
  ASSERT_EQ(prf.per_class.size(), 2u);
  EXPECT_EQ(prf.per_class[1].precision, 0.0);
  EXPECT_EQ(prf.per_class[1].f1, 0.0);
  EXPECT_TRUE(prf.zero_division);
  EXPECT_FALSE(ComputePrecisionRecallF1(y, y).zero_division);
}

TEST(ClassificationMetrics, ConfusionMatrixAndBalancedAccuracy) {
  std::vector<int> y{0, 0, 1, 2, 2, 2};
  std::vector<int> pred{0, 1, 1, 2, 0, 3};
  ConfusionMatrix m = ComputeConfusionMatrix(y, pred);
  EXPECT_EQ(m.labels, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(m.at(0, 0), 1);
  EXPECT_EQ(m.at(2, 3), 1);
  // Mean recall over the classes in y_true (0, 1, 2): (1/2 + 1 + 1/3) / 3.
  EXPECT_NEAR(BalancedAccuracy(y, pred), (0.5 + 1.0 + 1.0 / 3.0) / 3.0, 1e-15);
  EXPECT_NEAR(Accuracy(y, pred), 0.5, 1e-15);
}

TEST(ClassificationMetrics, BrierAndLogLoss) {
  std::vector<int> y{1, 0};
  std::vector<double> p{0.8, 0.4};
  EXPECT_NEAR(BrierScore(y, p), (0.04 + 0.16) / 2.0, 1e-15);
  EXPECT_NEAR(BinaryLogLoss(y, p), -(std::log(0.8) + std::log(0.6)) / 2.0, 1e-15);
  std::vector<double> matrix{0.2, 0.8, 0.6, 0.4};
  EXPECT_NEAR(MulticlassBrierScore(y, matrix, 2), 2.0 * BrierScore(y, p), 1e-15);
  EXPECT_NEAR(LogLoss(y, matrix, 2), BinaryLogLoss(y, p), 1e-15);
  // Certain and wrong stays finite thanks to clipping.
  EXPECT_TRUE(std::isfinite(BinaryLogLoss(std::vector<int>{1}, std::vector<double>{0.0})));
}

TEST(ClassificationMetrics, CalibrationCurveBins) {
  std::vector<int> y{0, 1, 1, 0, 1};
  std::vector<double> p{0.05, 0.1, 0.55, 0.65, 0.95};
  CalibrationCurve curve = ComputeCalibrationCurve(y, p, 10);
  // 0.1 sits on an inner edge and falls in the lower bin with 0.05.
  ASSERT_EQ(curve.counts, (std::vector<std::int64_t>{2, 1, 1, 1}));
  EXPECT_NEAR(curve.mean_predicted[0], 0.075, 1e-15);
  EXPECT_NEAR(curve.fraction_positive[0], 0.5, 1e-15);
}

TEST(ClassificationMetrics, BadInputIsRejected) {
  std::vector<int> one_class{1, 1, 1};
  std::vector<double> s{0.2, 0.5, 0.9};
  ExpectInvalid([&] { RocAuc(one_class, s); }, "only class 1");
  ExpectInvalid([&] { RocAuc(std::vector<int>{0, 1}, s); }, "y_true has 2 values but scores has 3");
  ExpectInvalid(
      [&] {
        RocAuc(std::vector<int>{0, 1, 1}, std::vector<double>{0.1, std::nan(""), 0.3});
      },
      "scores holds NaN");
  ExpectInvalid([&] { Accuracy(std::vector<int>{}, std::vector<int>{}); }, "y_true is empty");
  ExpectInvalid([&] { RocAucOvr(std::vector<int>{0, 1, 2}, std::vector<double>(9, 0.5), 3); }, "sums to");
  ExpectInvalid(
      [&] {
        LogLoss(std::vector<int>{0, 3}, std::vector<double>{0.5, 0.5, 0.5, 0.5}, 2);
      },
      "outside the 2 classes");
  ExpectInvalid(
      [&] {
        RocAucOvr(std::vector<int>{0, 1, 0}, std::vector<double>{0.5, 0.3, 0.2, 0.2, 0.5, 0.3, 0.6, 0.2, 0.2}, 3);
      },
      "class 2 never occurs");
  ExpectInvalid([&] { BrierScore(std::vector<int>{0, 2}, std::vector<double>{0.1, 0.2}); }, "labels 0 and 1");
}

TEST(RegressionMetrics, KnownValuesAndEdges) {
  std::vector<double> y{1, 2, 3, 4};
  std::vector<double> p{1, 2, 3, 8};
  RegressionMetrics m = ComputeRegressionMetrics(y, p);
  EXPECT_DOUBLE_EQ(m.rmse, 2.0);
  EXPECT_DOUBLE_EQ(m.mae, 1.0);
  EXPECT_DOUBLE_EQ(m.max_error, 4.0);
  EXPECT_DOUBLE_EQ(m.median_absolute_error, 0.0);
  EXPECT_DOUBLE_EQ(m.mape, 0.25);
  EXPECT_DOUBLE_EQ(m.r2, 1.0 - 16.0 / 5.0);
  EXPECT_EQ(R2Score(std::vector<double>{3, 3}, std::vector<double>{3, 3}), 1.0);
  EXPECT_EQ(R2Score(std::vector<double>{3, 3}, std::vector<double>{2, 3}), 0.0);
  ExpectInvalid(
      [&] {
        RootMeanSquaredError(std::vector<double>{1}, std::vector<double>{1, 2});
      },
      "y_true has 1 values but y_pred has 2");
  ExpectInvalid([&] { MeanAbsoluteError(std::vector<double>{std::nan("")}, std::vector<double>{1}); },
                "y_true holds NaN");
}

}  // namespace
}  // namespace cairn::stats
