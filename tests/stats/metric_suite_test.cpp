#include "cairn/stats/metric_suite.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cairn/core/error.h"

namespace cairn::stats {
namespace {

TEST(MetricSuite, BinaryNumbersByHand) {
  std::vector<int> y{0, 1, 1, 0};
  std::vector<double> p{0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.7, 0.3};
  MetricSuite suite = ClassificationSuite(y, p, 2, {"no", "yes"});
  EXPECT_DOUBLE_EQ(suite.values.at("accuracy"), 0.75);
  EXPECT_DOUBLE_EQ(suite.values.at("roc_auc"), 1.0);
  EXPECT_DOUBLE_EQ(suite.values.at("brier"), 0.125);
  EXPECT_NEAR(suite.values.at("log_loss"), -(std::log(0.9) + std::log(0.8) + std::log(0.4) + std::log(0.7)) / 4, 1e-12);
  EXPECT_DOUBLE_EQ(suite.values.at("recall_yes"), 0.5);
  EXPECT_DOUBLE_EQ(suite.values.at("precision_yes"), 1.0);
  EXPECT_DOUBLE_EQ(suite.values.at("balanced_accuracy"), 0.75);
  ASSERT_EQ(suite.confusion.size(), 2u);
  EXPECT_EQ(suite.confusion[0][0], 2);
  EXPECT_EQ(suite.confusion[1][0], 1);
  EXPECT_EQ(suite.confusion[1][1], 1);
  Json json = suite.ToJson();
  EXPECT_EQ(json["confusion_matrix"]["classes"][1], "yes");
}

TEST(MetricSuite, SingleClassLeavesRankingMetricsOut) {
  std::vector<int> y{1, 1};
  std::vector<double> p{0.3, 0.7, 0.4, 0.6};
  MetricSuite suite = ClassificationSuite(y, p, 2);
  EXPECT_EQ(suite.values.count("roc_auc"), 0u);
  EXPECT_DOUBLE_EQ(suite.values.at("accuracy"), 1.0);
}

TEST(MetricSuite, RegressionAndDirections) {
  std::vector<double> y{1, 2, 3, 4}, f{1, 2, 3, 5};
  MetricSuite suite = RegressionSuite(y, f);
  EXPECT_DOUBLE_EQ(suite.values.at("rmse"), 0.5);
  EXPECT_DOUBLE_EQ(suite.values.at("mae"), 0.25);
  EXPECT_DOUBLE_EQ(suite.values.at("max_error"), 1.0);
  EXPECT_TRUE(HigherIsBetter("roc_auc"));
  EXPECT_TRUE(HigherIsBetter("f1_macro"));
  EXPECT_FALSE(HigherIsBetter("log_loss"));
  EXPECT_FALSE(HigherIsBetter("rmse"));
  EXPECT_THROW(HigherIsBetter("speed"), Error);
}

TEST(MetricSuite, RejectsBadInput) {
  std::vector<int> y{0, 3};
  std::vector<double> p{0.5, 0.5, 0.5, 0.5};
  EXPECT_THROW(ClassificationSuite(y, p, 2), Error);
  EXPECT_THROW(ClassificationSuite({}, {}, 2), Error);
}

}  // namespace
}  // namespace cairn::stats
