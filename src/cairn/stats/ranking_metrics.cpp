#include "cairn/stats/ranking_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "cairn/core/error.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/sorted_values.h"

namespace cairn::stats {
namespace {

// Cumulative true and false positives at each distinct score, scores descending.
struct ThresholdCounts {
  std::vector<double> fps;
  std::vector<double> tps;
  std::vector<double> thresholds;
};

void CheckBinaryInput(std::span<const int> y_true, std::span<const double> scores, bool need_both_classes) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), scores.size(), "y_true", "scores");
  CheckNoNaN(scores, "scores");
  bool has_positive = false, has_negative = false;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] != 0 && y_true[i] != 1)
      ThrowInvalidInput("y_true[" + std::to_string(i) + "] is " + std::to_string(y_true[i]) +
                        "; binary ranking metrics take labels 0 and 1");
    (y_true[i] == 1 ? has_positive : has_negative) = true;
  }
  if (need_both_classes && !(has_positive && has_negative))
    ThrowInvalidInput(std::string("y_true holds only class ") + (has_positive ? "1" : "0") +
                      "; ROC AUC needs both classes");
  if (!has_positive) ThrowInvalidInput("y_true holds no positive sample; average precision is undefined");
}

ThresholdCounts CountAtThresholds(std::span<const int> y_true, std::span<const double> scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  ThresholdCounts counts;
  double tp = 0.0, fp = 0.0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    (y_true[i] == 1 ? tp : fp) += 1.0;
    if (k + 1 == order.size() || scores[order[k + 1]] != scores[i]) {
      counts.fps.push_back(fp);
      counts.tps.push_back(tp);
      counts.thresholds.push_back(scores[i]);
    }
  }
  return counts;
}

RocCurve BuildRocCurve(const ThresholdCounts& counts) {
  const std::size_t n = counts.fps.size();
  std::vector<std::size_t> keep;
  for (std::size_t k = 0; k < n; ++k) {
    // Keep the ends and every corner (non-zero second difference in fps or tps).
    bool corner = k == 0 || k + 1 == n || n <= 2;
    if (!corner) {
      const double dfp = counts.fps[k + 1] - 2.0 * counts.fps[k] + counts.fps[k - 1];
      const double dtp = counts.tps[k + 1] - 2.0 * counts.tps[k] + counts.tps[k - 1];
      corner = dfp != 0.0 || dtp != 0.0;
    }
    if (corner) keep.push_back(k);
  }
  const double negatives = counts.fps.back();
  const double positives = counts.tps.back();
  RocCurve curve;
  curve.fpr.push_back(0.0);
  curve.tpr.push_back(0.0);
  curve.thresholds.push_back(counts.thresholds.front() + 1.0);
  for (std::size_t k : keep) {
    curve.fpr.push_back(counts.fps[k] / negatives);
    curve.tpr.push_back(counts.tps[k] / positives);
    curve.thresholds.push_back(counts.thresholds[k]);
  }
  return curve;
}

double TrapezoidArea(const RocCurve& curve) {
  double area = 0.0;
  for (std::size_t k = 1; k < curve.fpr.size(); ++k)
    area += (curve.fpr[k] - curve.fpr[k - 1]) * (curve.tpr[k] + curve.tpr[k - 1]) / 2.0;
  return area;
}

double StepAveragePrecision(const ThresholdCounts& counts) {
  const double positives = counts.tps.back();
  double ap = 0.0;
  double previous_recall = 0.0;
  for (std::size_t k = 0; k < counts.tps.size(); ++k) {
    const double recall = counts.tps[k] / positives;
    const double precision = counts.tps[k] / (counts.tps[k] + counts.fps[k]);
    ap += (recall - previous_recall) * precision;
    previous_recall = recall;
  }
  return ap;
}

void CheckRowsSumToOne(std::span<const double> probabilities, std::size_t rows, std::size_t num_classes) {
  for (std::size_t i = 0; i < rows; ++i) {
    double sum = 0.0;
    for (std::size_t c = 0; c < num_classes; ++c) sum += probabilities[i * num_classes + c];
    if (std::fabs(1.0 - sum) > 1e-8 + 1e-5 * std::fabs(sum))
      ThrowInvalidInput("probabilities row " + std::to_string(i) + " sums to " + std::to_string(sum) +
                        "; one-vs-rest ROC AUC needs probabilities that sum to 1 over classes");
  }
}

// Applies a binary metric to each class against the rest and averages.
template <typename BinaryMetric>
double OneVsRestMacro(std::span<const int> y_true, std::span<const double> probabilities, std::size_t num_classes,
                      BinaryMetric metric) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckProbabilityMatrix(probabilities, y_true.size(), num_classes);
  CheckLabelsInRange(y_true, num_classes, "y_true");
  std::vector<int> is_class(y_true.size());
  std::vector<double> column(y_true.size());
  double sum = 0.0;
  for (std::size_t c = 0; c < num_classes; ++c) {
    bool present = false;
    for (std::size_t i = 0; i < y_true.size(); ++i) {
      is_class[i] = static_cast<std::size_t>(y_true[i]) == c ? 1 : 0;
      present = present || is_class[i] == 1;
      column[i] = probabilities[i * num_classes + c];
    }
    if (!present)
      ThrowInvalidInput("class " + std::to_string(c) + " never occurs in y_true; one-vs-rest scores need every class");
    sum += metric(is_class, column);
  }
  return sum / static_cast<double>(num_classes);
}

}  // namespace

double RocAuc(std::span<const int> y_true, std::span<const double> scores) {
  CheckBinaryInput(y_true, scores, true);
  return TrapezoidArea(BuildRocCurve(CountAtThresholds(y_true, scores)));
}

double RocAucOvr(std::span<const int> y_true, std::span<const double> probabilities, std::size_t num_classes) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckProbabilityMatrix(probabilities, y_true.size(), num_classes);
  CheckRowsSumToOne(probabilities, y_true.size(), num_classes);
  if (num_classes == 2) {
    CheckLabelsInRange(y_true, 2, "y_true");
    std::vector<double> positive(y_true.size());
    for (std::size_t i = 0; i < y_true.size(); ++i) positive[i] = probabilities[2 * i + 1];
    return RocAuc(y_true, positive);
  }
  return OneVsRestMacro(y_true, probabilities, num_classes,
                        [](std::span<const int> y, std::span<const double> s) { return RocAuc(y, s); });
}

double AveragePrecision(std::span<const int> y_true, std::span<const double> scores) {
  CheckBinaryInput(y_true, scores, false);
  return StepAveragePrecision(CountAtThresholds(y_true, scores));
}

double AveragePrecisionOvr(std::span<const int> y_true, std::span<const double> probabilities,
                           std::size_t num_classes) {
  if (num_classes == 2) {
    if (y_true.empty()) ThrowInvalidInput("y_true is empty");
    CheckProbabilityMatrix(probabilities, y_true.size(), 2);
    CheckLabelsInRange(y_true, 2, "y_true");
    std::vector<double> positive(y_true.size());
    for (std::size_t i = 0; i < y_true.size(); ++i) positive[i] = probabilities[2 * i + 1];
    return AveragePrecision(y_true, positive);
  }
  return OneVsRestMacro(y_true, probabilities, num_classes,
                        [](std::span<const int> y, std::span<const double> s) { return AveragePrecision(y, s); });
}

RocCurve ComputeRocCurve(std::span<const int> y_true, std::span<const double> scores) {
  CheckBinaryInput(y_true, scores, true);
  return BuildRocCurve(CountAtThresholds(y_true, scores));
}

PrecisionRecallCurve ComputePrecisionRecallCurve(std::span<const int> y_true, std::span<const double> scores) {
  CheckBinaryInput(y_true, scores, false);
  ThresholdCounts counts = CountAtThresholds(y_true, scores);
  const double positives = counts.tps.back();
  PrecisionRecallCurve curve;
  for (std::size_t k = counts.tps.size(); k-- > 0;) {
    curve.precision.push_back(counts.tps[k] / (counts.tps[k] + counts.fps[k]));
    curve.recall.push_back(counts.tps[k] / positives);
    curve.thresholds.push_back(counts.thresholds[k]);
  }
  curve.precision.push_back(1.0);
  curve.recall.push_back(0.0);
  return curve;
}

CalibrationCurve ComputeCalibrationCurve(std::span<const int> y_true, std::span<const double> probabilities,
                                         std::size_t num_bins) {
  if (y_true.empty()) ThrowInvalidInput("y_true is empty");
  CheckSameLength(y_true.size(), probabilities.size(), "y_true", "probabilities");
  if (num_bins == 0) ThrowInvalidInput("num_bins must be at least 1");
  std::vector<double> inner_edges(num_bins - 1);
  const double step = 1.0 / static_cast<double>(num_bins);
  for (std::size_t b = 1; b < num_bins; ++b) inner_edges[b - 1] = static_cast<double>(b) * step;
  std::vector<double> sums(num_bins, 0.0), positives(num_bins, 0.0);
  std::vector<std::int64_t> totals(num_bins, 0);
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double p = probabilities[i];
    if (std::isnan(p) || p < 0.0 || p > 1.0)
      ThrowInvalidInput("probabilities[" + std::to_string(i) + "] is " + std::to_string(p) + ", not in [0, 1]");
    if (y_true[i] != 0 && y_true[i] != 1)
      ThrowInvalidInput("y_true[" + std::to_string(i) + "] is " + std::to_string(y_true[i]) +
                        "; the calibration curve takes labels 0 and 1");
    const auto bin =
        static_cast<std::size_t>(std::lower_bound(inner_edges.begin(), inner_edges.end(), p) - inner_edges.begin());
    sums[bin] += p;
    positives[bin] += y_true[i];
    ++totals[bin];
  }
  CalibrationCurve curve;
  for (std::size_t b = 0; b < num_bins; ++b) {
    if (totals[b] == 0) continue;
    const double total = static_cast<double>(totals[b]);
    curve.mean_predicted.push_back(sums[b] / total);
    curve.fraction_positive.push_back(positives[b] / total);
    curve.counts.push_back(totals[b]);
  }
  return curve;
}

}  // namespace cairn::stats
