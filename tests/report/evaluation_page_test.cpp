// The evaluation page training runs and `cairn eval` write: per-class scores
// with exact numbers, legends, cross-validation, and no "nan" text when a
// metric is undefined.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cairn/report/evaluation_page.h"
#include "markup_check.h"

namespace cairn::report {
namespace {

using testing::CheckHtml;
using testing::HasNonFiniteText;
using testing::PythonAvailable;

// Three classes, six rows; predictions (the most probable class) are 0, 0, 1, 1, 2, 1
// against the truth 0, 1, 1, 1, 2, 2.
EvaluationPageInput Multiclass() {
  EvaluationPageInput input;
  input.title = "Evaluation of run logistic-wine";
  input.class_names = {"0", "b", "c"};
  input.y_classes = {0, 1, 1, 1, 2, 2};
  input.probabilities = {0.8, 0.1, 0.1,  //
                         0.5, 0.3, 0.2,  //
                         0.2, 0.7, 0.1,  //
                         0.1, 0.6, 0.3,  //
                         0.1, 0.2, 0.7,  //
                         0.3, 0.4, 0.3};
  input.metrics = {{"accuracy", 4.0 / 6}, {"log_loss", std::numeric_limits<double>::quiet_NaN()}};
  input.cv_folds = 5;
  input.cross_validation = {{"accuracy", 0.8125, 0.03125}};
  return input;
}

TEST(EvaluationPage, MulticlassHasPerClassScoresLegendsAndCrossValidation) {
  const std::string html = RenderEvaluationPage(Multiclass());
  // Class 0: 1 actual, 2 predicted, 1 right: precision 0.5, recall 1, F1 0.6667.
  EXPECT_NE(html.find("<td>0</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">0.5</td>"
                      "<td class=\"num\">1</td><td class=\"num\">0.6667</td>"),
            std::string::npos);
  // Class b: 3 actual, 3 predicted, 2 right.
  EXPECT_NE(html.find("<td>b</td><td class=\"num\">3</td><td class=\"num\">3</td><td class=\"num\">0.6667</td>"
                      "<td class=\"num\">0.6667</td><td class=\"num\">0.6667</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>macro average</td>"), std::string::npos);
  // Numeric class names get a word in legends; names that are words stand alone.
  EXPECT_NE(html.find(">class 0<"), std::string::npos);
  EXPECT_NE(html.find(">b<"), std::string::npos);
  EXPECT_EQ(html.find("class b"), std::string::npos);
  EXPECT_NE(html.find("5 folds of the training split"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">0.8125</td><td class=\"num\">0.03125</td>"), std::string::npos);
  EXPECT_FALSE(HasNonFiniteText(html)) << "the undefined log loss";
  if (!PythonAvailable()) GTEST_SKIP() << "no /usr/bin/python3";
  EXPECT_EQ(CheckHtml(html), "");
}

TEST(EvaluationPage, RegressionHasNoPerClassSectionAndNamesItsResiduals) {
  EvaluationPageInput input;
  input.title = "Evaluation of run linear-diabetes";
  input.regression = true;
  input.y_values = {1, 2, 3, 4};
  input.predictions = {1.5, 1.5, 3.5, 3.0};
  input.metrics = {{"rmse", 0.6614}, {"r2", std::numeric_limits<double>::quiet_NaN()}};
  const std::string html = RenderEvaluationPage(input);
  EXPECT_EQ(html.find("Per class"), std::string::npos);
  EXPECT_EQ(html.find("Cross-validation"), std::string::npos);
  EXPECT_NE(html.find("Residuals (actual minus predicted)"), std::string::npos);
  EXPECT_FALSE(HasNonFiniteText(html));
}

}  // namespace
}  // namespace cairn::report
