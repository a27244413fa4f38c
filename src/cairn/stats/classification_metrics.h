// Classification metrics on labels and predicted probabilities, with
// scikit-learn's definitions (version 1.2) so that cairn's numbers agree with
// sklearn.metrics on the same predictions. Labels are integers; the class set
// of label-based metrics is the sorted union of the labels seen in y_true and
// y_pred, as in scikit-learn. Probability matrices are row-major, one row per
// sample and one column per class 0..num_classes-1. Ranking metrics (ROC AUC,
// average precision) and curves live in ranking_metrics.h.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cairn::stats {

struct ConfusionMatrix {
  std::vector<int> labels;
  // counts[t * labels.size() + p]: samples of true label labels[t] predicted labels[p].
  std::vector<std::int64_t> counts;

  std::int64_t at(std::size_t true_index, std::size_t predicted_index) const {
    return counts[true_index * labels.size() + predicted_index];
  }
};

// `labels` fixes the class set and order; empty means the sorted union.
ConfusionMatrix ComputeConfusionMatrix(std::span<const int> y_true, std::span<const int> y_pred,
                                       std::span<const int> labels = {});

double Accuracy(std::span<const int> y_true, std::span<const int> y_pred);

// Mean recall over the classes present in y_true.
double BalancedAccuracy(std::span<const int> y_true, std::span<const int> y_pred);

struct ClassScores {
  int label = 0;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  std::int64_t support = 0;  // samples of this class in y_true
};

// Per-class precision, recall and F1 with their macro and support-weighted
// means. A ratio whose denominator is zero is 0 and sets zero_division, as
// scikit-learn's default (zero_division="warn") does.
struct PrecisionRecallF1 {
  std::vector<ClassScores> per_class;
  double macro_precision = 0.0;
  double macro_recall = 0.0;
  double macro_f1 = 0.0;
  double weighted_precision = 0.0;
  double weighted_recall = 0.0;
  double weighted_f1 = 0.0;
  bool zero_division = false;
};
PrecisionRecallF1 ComputePrecisionRecallF1(std::span<const int> y_true, std::span<const int> y_pred,
                                           std::span<const int> labels = {});

// Mean cross-entropy. Probabilities are clipped to [eps, 1 - eps] with eps the
// double machine epsilon (scikit-learn's eps="auto") and each row is then
// renormalized to sum to one. Binary form: y_true in {0, 1}, probabilities of class 1.
double LogLoss(std::span<const int> y_true, std::span<const double> probabilities, std::size_t num_classes);
double BinaryLogLoss(std::span<const int> y_true, std::span<const double> positive_probabilities);

// Binary Brier score: mean (p - y)^2 on the probabilities of class 1
// (sklearn.metrics.brier_score_loss).
double BrierScore(std::span<const int> y_true, std::span<const double> positive_probabilities);

// Multiclass Brier score: mean over samples of sum over classes of
// (p_k - [y = k])^2, Brier's original definition, in [0, 2]. For two classes it
// is twice the binary score; cairn records the binary score for binary tasks.
double MulticlassBrierScore(std::span<const int> y_true, std::span<const double> probabilities,
                            std::size_t num_classes);

// Index of the largest probability in each row (ties: the lowest class).
std::vector<int> ArgMaxLabels(std::span<const double> probabilities, std::size_t num_classes);

// Checks shared with ranking_metrics: y_true values in [0, num_classes), a
// probability matrix of y_true.size() rows without NaN, each value in [0, 1].
void CheckLabelsInRange(std::span<const int> y_true, std::size_t num_classes, const char* argument);
void CheckProbabilityMatrix(std::span<const double> probabilities, std::size_t rows, std::size_t num_classes);

}  // namespace cairn::stats
