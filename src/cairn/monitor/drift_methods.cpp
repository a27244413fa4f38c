#include "cairn/monitor/drift_methods.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/stats/drift_binning.h"

namespace cairn::monitor {
namespace {

using stats::FeatureKind;
using stats::FeatureSummary;

// Reference size up to which the exact tests run (Evidently's default).
constexpr std::uint64_t kExactTestRows = 1000;
// Distinct values up to which a numeric feature is tested like a categorical one.
constexpr std::uint64_t kFewValues = 5;

struct AlignedCounts {
  std::vector<double> reference;
  std::vector<double> current;
  std::vector<std::string> labels;
};

// Counts per category or per value, over everything seen in either summary:
// the reference's categories first, then new ones from the current data.
AlignedCounts AlignCounts(const FeatureSummary& ref, const FeatureSummary& cur) {
  AlignedCounts out;
  if (ref.kind == FeatureKind::kCategorical) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < ref.categories.size(); ++i) {
      index[ref.categories[i]] = out.labels.size();
      out.labels.push_back(ref.categories[i]);
      out.reference.push_back(ref.category_counts[i]);
      out.current.push_back(0.0);
    }
    for (std::size_t i = 0; i < cur.categories.size(); ++i) {
      auto [it, inserted] = index.emplace(cur.categories[i], out.labels.size());
      if (inserted) {
        out.labels.push_back(cur.categories[i]);
        out.reference.push_back(0.0);
        out.current.push_back(0.0);
      }
      out.current[it->second] += cur.category_counts[i];
    }
    if (ref.other_count > 0 || cur.other_count > 0) {
      out.labels.push_back("(other)");
      out.reference.push_back(ref.other_count);
      out.current.push_back(cur.other_count);
    }
    return out;
  }
  stats::ValueCounts counts;
  if (ref.has_value_counts() && cur.has_value_counts()) {
    std::map<double, std::pair<double, double>> merged;
    for (std::size_t i = 0; i < ref.values.size(); ++i) merged[ref.values[i]].first += ref.value_counts[i];
    for (std::size_t i = 0; i < cur.values.size(); ++i) merged[cur.values[i]].second += cur.value_counts[i];
    for (auto& [value, pair] : merged) {
      counts.values.push_back(value);
      counts.reference_counts.push_back(pair.first);
      counts.current_counts.push_back(pair.second);
    }
  } else {
    counts = stats::CountValues(stats::SortedSample(ref.sample, "reference"), stats::SortedSample(cur.sample, "current"));
  }
  out.reference = std::move(counts.reference_counts);
  out.current = std::move(counts.current_counts);
  for (double v : counts.values) out.labels.push_back(FormatNumber(v, 6));
  return out;
}

// Share of a summary's present values in each bin [e_i, e_{i+1}), the last closed.
std::vector<double> RangeShares(const FeatureSummary& s, const std::vector<double>& edges) {
  const std::size_t bins = edges.size() - 1;
  std::vector<double> shares(bins, 0.0);
  if (s.complete()) {
    auto counts = stats::HistogramCounts(s.sample, edges);
    for (std::size_t i = 0; i < bins; ++i) shares[i] = static_cast<double>(counts[i]) / static_cast<double>(s.sample.size());
    return shares;
  }
  double below = 0.0;
  for (std::size_t i = 0; i < bins; ++i) {
    const double upto = i + 1 == bins ? 1.0 : s.Rank(edges[i + 1]);
    shares[i] = std::max(0.0, upto - below);
    below = std::max(below, upto);
  }
  return shares;
}

// Integral over q of |Q_ref(q) - Q_cur(q)|: the Wasserstein-1 distance of the
// two quantile functions, on a grid fine enough that it adds nothing to the
// quantile summaries' own error.
double QuantileWasserstein(const FeatureSummary& ref, const FeatureSummary& cur) {
  constexpr int kSteps = 20000;
  double sum = 0.0;
  for (int i = 0; i < kSteps; ++i) {
    const double q = (i + 0.5) / kSteps;
    sum += std::fabs(ref.Quantile(q) - cur.Quantile(q));
  }
  return sum / kSteps;
}

void CheckKind(std::string_view method, const DriftMethodInfo& info, const FeatureSummary& ref) {
  const bool fits = ref.kind == FeatureKind::kNumeric ? info.numeric : info.categorical;
  if (!fits)
    ThrowInvalidInput("feature '" + ref.name + "': method '" + std::string(method) + "' does not apply to " +
                      std::string(stats::FeatureKindName(ref.kind)) + " features");
}

stats::DriftResult Distance(std::string method, double value, double threshold) {
  stats::DriftResult result;
  result.method = std::move(method);
  result.statistic = value;
  result.threshold = threshold;
  result.drift = value >= threshold;
  return result;
}

}  // namespace

const std::vector<DriftMethodInfo>& DriftMethods() {
  static const std::vector<DriftMethodInfo> kMethods = {
      {"ks", true, stats::kKsThreshold, true, false, "two-sample Kolmogorov-Smirnov test; drift when p <= threshold"},
      {"wasserstein", false, stats::kWassersteinThreshold, true, false,
       "Wasserstein-1 distance divided by the reference std; drift when >= threshold"},
      {"chisquare", true, stats::kChiSquareThreshold, true, true,
       "Pearson chi-square test of the current counts; drift when p < threshold"},
      {"z", true, stats::kZThreshold, true, true, "two-proportion Z-test (two values); drift when p < threshold"},
      {"jensenshannon", false, stats::kJensenShannonThreshold, true, true,
       "Jensen-Shannon distance (natural log); drift when >= threshold"},
      {"psi", false, stats::kPsiThreshold, true, true, "population stability index; drift when >= threshold"},
  };
  return kMethods;
}

const DriftMethodInfo* FindDriftMethod(std::string_view name) {
  for (const auto& m : DriftMethods())
    if (m.name == name) return &m;
  return nullptr;
}

std::string DriftMethodNames() {
  std::vector<std::string> names;
  for (const auto& m : DriftMethods()) names.push_back(m.name);
  return Join(names, ", ");
}

std::uint64_t CombinedDistinct(const FeatureSummary& ref, const FeatureSummary& cur) {
  if (ref.kind == FeatureKind::kCategorical) {
    std::set<std::string> all(ref.categories.begin(), ref.categories.end());
    all.insert(cur.categories.begin(), cur.categories.end());
    return all.size() + ((ref.other_count > 0 || cur.other_count > 0) ? 1 : 0);
  }
  if (ref.distinct_capped || cur.distinct_capped) return stats::kMaxTrackedValues + 1;
  if (ref.values.size() != ref.distinct || cur.values.size() != cur.distinct) return std::max(ref.distinct, cur.distinct);
  std::set<double> all(ref.values.begin(), ref.values.end());
  all.insert(cur.values.begin(), cur.values.end());
  return all.size();
}

MethodChoice ChooseDriftMethod(const FeatureSummary& ref, const FeatureSummary& cur) {
  const std::uint64_t n = ref.present();
  const std::uint64_t distinct = CombinedDistinct(ref, cur);
  const bool exact = n <= kExactTestRows;
  const std::string size = std::to_string(n) + " reference values " + (exact ? "<= 1000" : "> 1000");
  const std::string values =
      distinct > stats::kMaxTrackedValues ? "many distinct values" : std::to_string(distinct) + " distinct values";
  if (ref.kind == FeatureKind::kNumeric && distinct > kFewValues) {
    if (exact) return {"ks", stats::kKsThreshold, "numeric, " + values + ", " + size};
    return {"wasserstein", stats::kWassersteinThreshold, "numeric, " + values + ", " + size};
  }
  const std::string what = ref.kind == FeatureKind::kNumeric ? "numeric with " + values : "categorical, " + values;
  if (!exact) return {"jensenshannon", stats::kJensenShannonThreshold, what + ", " + size};
  if (distinct <= 2) return {"z", stats::kZThreshold, what + ", " + size};
  return {"chisquare", stats::kChiSquareThreshold, what + ", " + size};
}

stats::DriftBins BinFeature(const FeatureSummary& ref, const FeatureSummary& cur, std::vector<std::string>* labels) {
  if (labels) labels->clear();
  const bool range_bins = ref.kind == FeatureKind::kNumeric && ref.distinct > stats::kMaxPerValueBins;
  if (!range_bins) {
    AlignedCounts counts = AlignCounts(ref, cur);
    stats::DriftBins bins = stats::BinCategoryCounts(counts.reference, counts.current);
    if (labels) {
      // BinCategoryCounts keeps the indices of non-empty bins in `values`.
      for (double index : bins.values) labels->push_back(counts.labels[static_cast<std::size_t>(index)]);
    }
    return bins;
  }
  if (ref.complete() && cur.complete())
    return stats::BinForDrift(stats::SortedSample(ref.sample, "reference"), stats::SortedSample(cur.sample, "current"));
  stats::DriftBins bins;
  bins.edges = stats::SturgesEdges(std::min(ref.min, cur.min), std::max(ref.max, cur.max), ref.present() + cur.present());
  bins.reference_shares = RangeShares(ref, bins.edges);
  bins.current_shares = RangeShares(cur, bins.edges);
  return bins;
}

stats::DriftResult RunDriftMethod(std::string_view method, const FeatureSummary& ref, const FeatureSummary& cur,
                                  double threshold) {
  const DriftMethodInfo* info = FindDriftMethod(method);
  if (!info)
    ThrowInvalidInput("feature '" + ref.name + "': unknown drift method '" + std::string(method) +
                      "'; expected one of " + DriftMethodNames());
  CheckKind(method, *info, ref);
  if (ref.present() == 0 || cur.present() == 0)
    ThrowInvalidInput("feature '" + ref.name + "': drift needs present values on both sides");
  try {
    if (method == "ks") {
      return stats::KsTest(stats::SortedSample(ref.sample, "reference"), stats::SortedSample(cur.sample, "current"),
                           threshold);
    }
    if (method == "wasserstein") {
      if (ref.complete() && cur.complete())
        return stats::WassersteinTest(stats::SortedSample(ref.sample, "reference"),
                                      stats::SortedSample(cur.sample, "current"), threshold);
      return Distance("wasserstein", QuantileWasserstein(ref, cur) / std::max(ref.std, stats::kWassersteinMinStd),
                      threshold);
    }
    if (method == "chisquare" || method == "z") {
      AlignedCounts counts = AlignCounts(ref, cur);
      if (method == "z") return stats::ZTest(counts.reference, counts.current, threshold);
      return stats::ChiSquareTest(counts.reference, counts.current, threshold);
    }
    stats::DriftBins bins = BinFeature(ref, cur);
    stats::DriftResult result =
        Distance(std::string(method),
                 method == "psi" ? stats::PopulationStabilityIndex(bins.reference_shares, bins.current_shares)
                                 : stats::JensenShannonDistance(bins.reference_shares, bins.current_shares),
                 threshold);
    result.bins = std::move(bins);
    return result;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    throw Error(e.code(), "feature '" + ref.name + "': " + e.what());
  }
}

}  // namespace cairn::monitor
