// Metrics and curves computed from scores rather than labels: ROC AUC, average
// precision (PR AUC), the ROC and precision-recall curves and the calibration
// curve, with scikit-learn 1.2's definitions. Tied scores form one threshold,
// so the ROC curve takes a diagonal step across them and ROC AUC equals the
// Mann-Whitney statistic with midranks.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cairn::stats {

// Binary ROC AUC: trapezoids under the ROC curve. y_true in {0, 1}, both present.
double RocAuc(std::span<const int> y_true, std::span<const double> scores);

// One-vs-rest macro ROC AUC from a row-major probability matrix whose rows sum
// to one (within 1e-5, as scikit-learn checks); every class must occur in
// y_true. With two classes it is the binary ROC AUC of column 1.
double RocAucOvr(std::span<const int> y_true, std::span<const double> probabilities, std::size_t num_classes);

// Binary average precision: sum over thresholds of (R_k - R_{k-1}) P_k, the
// step-wise area under the precision-recall curve (not trapezoids).
double AveragePrecision(std::span<const int> y_true, std::span<const double> scores);

// One-vs-rest macro average precision over the columns of a probability matrix.
double AveragePrecisionOvr(std::span<const int> y_true, std::span<const double> probabilities, std::size_t num_classes);

// sklearn.metrics.roc_curve with drop_intermediate=True: collinear points are
// dropped and the first point (0, 0) has threshold max(score) + 1.
struct RocCurve {
  std::vector<double> fpr;
  std::vector<double> tpr;
  std::vector<double> thresholds;
};
RocCurve ComputeRocCurve(std::span<const int> y_true, std::span<const double> scores);

// sklearn.metrics.precision_recall_curve: thresholds ascending, and the curve
// ends at precision 1, recall 0 (one point more than thresholds).
struct PrecisionRecallCurve {
  std::vector<double> precision;
  std::vector<double> recall;
  std::vector<double> thresholds;
};
PrecisionRecallCurve ComputePrecisionRecallCurve(std::span<const int> y_true, std::span<const double> scores);

// sklearn.calibration.calibration_curve(strategy="uniform"): num_bins equal
// bins over [0, 1] (a probability on an inner edge falls in the lower bin);
// empty bins are left out.
struct CalibrationCurve {
  std::vector<double> mean_predicted;     // prob_pred
  std::vector<double> fraction_positive;  // prob_true
  std::vector<std::int64_t> counts;
};
CalibrationCurve ComputeCalibrationCurve(std::span<const int> y_true, std::span<const double> probabilities,
                                         std::size_t num_bins = 10);

}  // namespace cairn::stats
