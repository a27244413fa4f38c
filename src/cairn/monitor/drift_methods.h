// The drift methods cairn knows, in one table, and how a feature's test is
// chosen and run on two column summaries (reference and current).
//
// Default choice, with n the reference's present (non-missing) values and
// "distinct" counted over reference and current together (Evidently's rules):
//
// | feature                                 | n <= 1000                      | n > 1000                        |
// | --------------------------------------- | ------------------------------ | ------------------------------- |
// | numeric, more than 5 distinct values    | "ks": drift when p <= 0.05     | "wasserstein" / ref. std >= 0.1 |
// | categorical, or numeric with <= 5 values| "chisquare": drift when p<0.05;| "jensenshannon" (ln) >= 0.1     |
// |                                         | "z" (two-proportion) when the  |                                 |
// |                                         | feature has exactly two values |                                 |
//
// PSI is computed for every feature as well (drift when >= 0.1), with its
// bins recorded. Binning (PSI, Jensen-Shannon, the charts) follows
// stats/drift_binning.h: a numeric feature whose reference has more than 20
// distinct values gets Sturges equal-width bins over the combined range;
// everything else one bin per value or category seen in either sample. Empty
// PSI bins take min(non-zero share) / 1e6 when that minimum is at most 1e-4,
// else 1e-4 (per sample); Jensen-Shannon needs no such epsilon.
//
// The chi-square test compares the current counts with the reference shares
// taken as exact (a goodness-of-fit test, as Evidently does), so it ignores the
// reference's own sampling noise: with samples of equal size and no drift it
// rejects far more often than its alpha (about 30% at 5 categories), while KS
// keeps its nominal rate. Dataset drift needs half the features, which absorbs
// this; set a per-feature method or threshold in the policy where it matters.
//
// When a side has more present values than its sample holds (references over
// 5,000 rows, streamed current data), Wasserstein and range-bin shares come
// from the quantile summaries instead: every bin share is then within
// rank_error(reference) + rank_error(current) of the exact one, and the
// normalised Wasserstein distance within
// (rank_error(ref) + rank_error(cur)) x (combined range) / max(ref. std, 0.001)
// since W is the integral of |F_ref - F_cur| over that range. KS and
// chi-square on such data use the uniform samples.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cairn/stats/drift_tests.h"
#include "cairn/stats/reference_data.h"

namespace cairn::monitor {

struct DriftMethodInfo {
  std::string name;  // as written in policies and reports
  bool is_test;      // a p-value test (drift when p below the threshold) or a distance (drift at or above it)
  double default_threshold;
  bool numeric;      // applies to numeric features
  bool categorical;  // applies to categorical features
  std::string description;
};

// Every method, in the order the documentation lists them.
const std::vector<DriftMethodInfo>& DriftMethods();
// nullptr when unknown.
const DriftMethodInfo* FindDriftMethod(std::string_view name);
// "ks, wasserstein, chisquare, z, jensenshannon, psi" for error messages.
std::string DriftMethodNames();

// Distinct present values over both summaries; kMaxTrackedValues + 1 when either is capped.
std::uint64_t CombinedDistinct(const stats::FeatureSummary& reference, const stats::FeatureSummary& current);

struct MethodChoice {
  std::string method;
  double threshold = 0.0;
  std::string reason;  // "numeric, 43 distinct values, 1000 reference values <= 1000"
};
MethodChoice ChooseDriftMethod(const stats::FeatureSummary& reference, const stats::FeatureSummary& current);

// Bins of a feature for PSI, Jensen-Shannon and the charts; `labels` receives
// one label per bin for per-value and per-category bins (empty for range bins).
stats::DriftBins BinFeature(const stats::FeatureSummary& reference, const stats::FeatureSummary& current,
                            std::vector<std::string>* labels = nullptr);

// Runs `method` on the two summaries. Both need present values; kInvalidInput
// names the feature when the method does not fit it (KS on a categorical
// feature, the Z-test on more than two values).
stats::DriftResult RunDriftMethod(std::string_view method, const stats::FeatureSummary& reference,
                                  const stats::FeatureSummary& current, double threshold);

}  // namespace cairn::monitor
