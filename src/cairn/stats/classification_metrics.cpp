#include "cairn/stats/classification_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "cairn/core/error.h"
#include "cairn/stats/sorted_values.h"

namespace cairn::stats {
namespace {

void CheckLabelPair(std::span<const int> y_true, std::span<const int> y_pred) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), y_pred.size(), "y_true", "y_pred");
}

std::vector<int> UnionLabels(std::span<const int> y_true, std::span<const int> y_pred) {
  std::vector<int> labels(y_true.begin(), y_true.end());
  labels.insert(labels.end(), y_pred.begin(), y_pred.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

void CheckBinaryLabels(std::span<const int> y_true) {
  for (std::size_t i = 0; i < y_true.size(); ++i)
    if (y_true[i] != 0 && y_true[i] != 1)
      ThrowInvalidInput("y_true[" + std::to_string(i) + "] is " + std::to_string(y_true[i]) +
                        "; binary metrics take labels 0 and 1");
}

double Ratio(double numerator, double denominator, bool* zero_division) {
  if (denominator == 0.0) {
    *zero_division = true;
    return 0.0;
  }
  return numerator / denominator;
}

}  // namespace

void CheckLabelsInRange(std::span<const int> y_true, std::size_t num_classes, const char* argument) {
  for (std::size_t i = 0; i < y_true.size(); ++i)
    if (y_true[i] < 0 || static_cast<std::size_t>(y_true[i]) >= num_classes)
      ThrowInvalidInput(std::string(argument) + "[" + std::to_string(i) + "] is " + std::to_string(y_true[i]) +
                        ", outside the " + std::to_string(num_classes) + " classes of the probability matrix");
}

void CheckProbabilityMatrix(std::span<const double> probabilities, std::size_t rows, std::size_t num_classes) {
  if (num_classes < 2) ThrowInvalidInput("num_classes must be at least 2, got " + std::to_string(num_classes));
  if (probabilities.size() != rows * num_classes)
    ThrowInvalidInput("probabilities has " + std::to_string(probabilities.size()) + " values; expected " +
                      std::to_string(rows) + " rows x " + std::to_string(num_classes) + " classes");
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const double p = probabilities[i];
    if (std::isnan(p) || p < 0.0 || p > 1.0)
      ThrowInvalidInput("probabilities[row " + std::to_string(i / num_classes) + ", class " +
                        std::to_string(i % num_classes) + "] is " + std::to_string(p) + ", not in [0, 1]");
  }
}

ConfusionMatrix ComputeConfusionMatrix(std::span<const int> y_true, std::span<const int> y_pred,
                                       std::span<const int> labels) {
  CheckLabelPair(y_true, y_pred);
  ConfusionMatrix matrix;
  matrix.labels = labels.empty() ? UnionLabels(y_true, y_pred) : std::vector<int>(labels.begin(), labels.end());
  const std::size_t k = matrix.labels.size();
  matrix.counts.assign(k * k, 0);
  auto index_of = [&](int label) -> std::ptrdiff_t {
    auto it = std::find(matrix.labels.begin(), matrix.labels.end(), label);
    return it == matrix.labels.end() ? -1 : it - matrix.labels.begin();
  };
  // Dense lookup for the usual small, non-negative label range.
  const int max_label = matrix.labels.empty() ? 0 : *std::max_element(matrix.labels.begin(), matrix.labels.end());
  const int min_label = matrix.labels.empty() ? 0 : *std::min_element(matrix.labels.begin(), matrix.labels.end());
  std::vector<std::ptrdiff_t> dense;
  if (min_label >= 0 && max_label < 1 << 20) {
    dense.assign(static_cast<std::size_t>(max_label) + 1, -1);
    for (std::size_t i = 0; i < k; ++i) dense[matrix.labels[i]] = static_cast<std::ptrdiff_t>(i);
  }
  auto lookup = [&](int label) -> std::ptrdiff_t {
    if (!dense.empty()) return (label >= 0 && label <= max_label) ? dense[label] : -1;
    return index_of(label);
  };
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const std::ptrdiff_t t = lookup(y_true[i]);
    const std::ptrdiff_t p = lookup(y_pred[i]);
    // Samples whose labels are outside an explicit label list are left out, as in scikit-learn.
    if (t >= 0 && p >= 0) ++matrix.counts[static_cast<std::size_t>(t) * k + static_cast<std::size_t>(p)];
  }
  return matrix;
}

double Accuracy(std::span<const int> y_true, std::span<const int> y_pred) {
  CheckLabelPair(y_true, y_pred);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) correct += y_true[i] == y_pred[i];
  return static_cast<double>(correct) / static_cast<double>(y_true.size());
}

double BalancedAccuracy(std::span<const int> y_true, std::span<const int> y_pred) {
  ConfusionMatrix matrix = ComputeConfusionMatrix(y_true, y_pred);
  const std::size_t k = matrix.labels.size();
  double sum = 0.0;
  std::size_t present = 0;
  for (std::size_t t = 0; t < k; ++t) {
    std::int64_t row = 0;
    for (std::size_t p = 0; p < k; ++p) row += matrix.at(t, p);
    if (row == 0) continue;  // a class only predicted, never true
    sum += static_cast<double>(matrix.at(t, t)) / static_cast<double>(row);
    ++present;
  }
  return sum / static_cast<double>(present);
}

PrecisionRecallF1 ComputePrecisionRecallF1(std::span<const int> y_true, std::span<const int> y_pred,
                                           std::span<const int> labels) {
  ConfusionMatrix matrix = ComputeConfusionMatrix(y_true, y_pred, labels);
  const std::size_t k = matrix.labels.size();
  PrecisionRecallF1 result;
  std::int64_t total_support = 0;
  for (std::size_t c = 0; c < k; ++c) {
    std::int64_t predicted = 0, actual = 0;
    for (std::size_t o = 0; o < k; ++o) {
      predicted += matrix.at(o, c);
      actual += matrix.at(c, o);
    }
    ClassScores scores;
    scores.label = matrix.labels[c];
    const auto tp = static_cast<double>(matrix.at(c, c));
    scores.precision = Ratio(tp, static_cast<double>(predicted), &result.zero_division);
    scores.recall = Ratio(tp, static_cast<double>(actual), &result.zero_division);
    const double denominator = scores.precision + scores.recall;
    scores.f1 = denominator == 0.0 ? 0.0 : 2.0 * scores.precision * scores.recall / denominator;
    scores.support = actual;
    total_support += actual;
    result.per_class.push_back(scores);
  }
  for (const ClassScores& s : result.per_class) {
    result.macro_precision += s.precision;
    result.macro_recall += s.recall;
    result.macro_f1 += s.f1;
    const double weight = static_cast<double>(s.support);
    result.weighted_precision += weight * s.precision;
    result.weighted_recall += weight * s.recall;
    result.weighted_f1 += weight * s.f1;
  }
  const double kd = static_cast<double>(k);
  result.macro_precision /= kd;
  result.macro_recall /= kd;
  result.macro_f1 /= kd;
  if (total_support == 0) {
    result.zero_division = true;
    result.weighted_precision = result.weighted_recall = result.weighted_f1 = 0.0;
  } else {
    const double total = static_cast<double>(total_support);
    result.weighted_precision /= total;
    result.weighted_recall /= total;
    result.weighted_f1 /= total;
  }
  return result;
}

double LogLoss(std::span<const int> y_true, std::span<const double> probabilities, std::size_t num_classes) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckProbabilityMatrix(probabilities, y_true.size(), num_classes);
  CheckLabelsInRange(y_true, num_classes, "y_true");
  const double eps = std::numeric_limits<double>::epsilon();
  double total = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double* row = probabilities.data() + i * num_classes;
    double row_sum = 0.0;
    for (std::size_t c = 0; c < num_classes; ++c) row_sum += std::clamp(row[c], eps, 1.0 - eps);
    const double p = std::clamp(row[y_true[i]], eps, 1.0 - eps) / row_sum;
    total += -std::log(p);
  }
  return total / static_cast<double>(y_true.size());
}

double BinaryLogLoss(std::span<const int> y_true, std::span<const double> positive_probabilities) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), positive_probabilities.size(), "y_true", "positive_probabilities");
  CheckBinaryLabels(y_true);
  std::vector<double> matrix(2 * y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    // Clip before forming 1 - p so that both columns match scikit-learn's 1-D path.
    const double eps = std::numeric_limits<double>::epsilon();
    const double p = positive_probabilities[i];
    if (std::isnan(p) || p < 0.0 || p > 1.0)
      ThrowInvalidInput("positive_probabilities[" + std::to_string(i) + "] is " + std::to_string(p) +
                        ", not in [0, 1]");
    const double clipped = std::clamp(p, eps, 1.0 - eps);
    matrix[2 * i] = 1.0 - clipped;
    matrix[2 * i + 1] = clipped;
  }
  return LogLoss(y_true, matrix, 2);
}

double BrierScore(std::span<const int> y_true, std::span<const double> positive_probabilities) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), positive_probabilities.size(), "y_true", "positive_probabilities");
  CheckBinaryLabels(y_true);
  double total = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double p = positive_probabilities[i];
    if (std::isnan(p) || p < 0.0 || p > 1.0)
      ThrowInvalidInput("positive_probabilities[" + std::to_string(i) + "] is " + std::to_string(p) +
                        ", not in [0, 1]");
    const double d = static_cast<double>(y_true[i]) - p;
    total += d * d;
  }
  return total / static_cast<double>(y_true.size());
}

double MulticlassBrierScore(std::span<const int> y_true, std::span<const double> probabilities,
                            std::size_t num_classes) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckProbabilityMatrix(probabilities, y_true.size(), num_classes);
  CheckLabelsInRange(y_true, num_classes, "y_true");
  double total = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    for (std::size_t c = 0; c < num_classes; ++c) {
      const double target = static_cast<std::size_t>(y_true[i]) == c ? 1.0 : 0.0;
      const double d = probabilities[i * num_classes + c] - target;
      total += d * d;
    }
  }
  return total / static_cast<double>(y_true.size());
}

std::vector<int> ArgMaxLabels(std::span<const double> probabilities, std::size_t num_classes) {
  if (num_classes == 0 || probabilities.size() % num_classes != 0)
    ThrowInvalidInput("probabilities does not hold whole rows of " + std::to_string(num_classes) + " classes");
  std::vector<int> labels(probabilities.size() / num_classes);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double* row = probabilities.data() + i * num_classes;
    labels[i] = static_cast<int>(std::max_element(row, row + num_classes) - row);
  }
  return labels;
}

}  // namespace cairn::stats
