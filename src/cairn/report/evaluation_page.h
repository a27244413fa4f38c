// The HTML evaluation page shared by training runs and `cairn eval`: headline
// metrics, the full metric table, per-class precision, recall and F1, the
// cross-validated metrics when a training run has them, and the charts people
// read first (ROC, precision-recall, calibration, confusion matrix;
// predicted-vs-actual and residuals for regression).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cairn::report {

struct CrossValidatedMetric {
  std::string metric;
  double mean = 0.0;
  double std = 0.0;
};

struct EvaluationPageInput {
  std::string title;     // "Evaluation of credit-risk@3"
  std::string subtitle;  // "on holdout@1, 3000 rows"
  std::vector<std::pair<std::string, std::string>> meta;
  bool regression = false;
  std::map<std::string, double> metrics;
  // Classification: class names in index order, true class per row and the
  // row-major [rows, classes] probabilities.
  std::vector<std::string> class_names;
  std::vector<int> y_classes;
  std::vector<double> probabilities;
  // Regression: true and predicted values.
  std::vector<double> y_values;
  std::vector<double> predictions;
  // A training run's k-fold cross-validation on its training split (empty: none).
  int cv_folds = 0;
  std::vector<CrossValidatedMetric> cross_validation;
};

std::string RenderEvaluationPage(const EvaluationPageInput& input);

}  // namespace cairn::report
