#include "cairn/monitor/drift_engine.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/monitor/drift_methods.h"
#include "cairn/stats/metric_suite.h"

namespace cairn::monitor {
namespace {

using stats::FeatureKind;
using stats::FeatureSummary;

constexpr std::size_t kMaxListedNewCategories = 20;

double Rate(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

void FillNewCategories(const FeatureSummary& ref, const FeatureSummary& cur, FeatureDrift& out) {
  if (ref.kind != FeatureKind::kCategorical) return;
  std::set<std::string> known(ref.categories.begin(), ref.categories.end());
  double unseen = 0.0;
  for (std::size_t i = 0; i < cur.categories.size(); ++i) {  // already by descending count
    if (known.count(cur.categories[i])) continue;
    unseen += cur.category_counts[i];
    if (out.new_categories.size() < kMaxListedNewCategories) out.new_categories.push_back(cur.categories[i]);
  }
  out.new_category_rate = cur.present() == 0 ? 0.0 : unseen / static_cast<double>(cur.present());
}

FeatureDrift TestFeature(const FeatureSummary& ref, const FeatureSummary& cur, const DriftOptions& options) {
  FeatureDrift out;
  out.feature = ref.name;
  out.column_type = ref.column_type;
  out.kind = std::string(stats::FeatureKindName(ref.kind));
  out.reference_rows = ref.rows;
  out.current_rows = cur.rows;
  out.reference_missing_rate = Rate(ref.missing, ref.rows);
  out.current_missing_rate = Rate(cur.missing, cur.rows);
  out.psi_threshold = options.psi_threshold;
  FillNewCategories(ref, cur, out);
  if (ref.present() == 0 || cur.present() == 0) {
    out.method = "none";
    out.note = ref.present() == 0 ? "no values in the reference" : "no values in the current data";
    return out;
  }
  MethodChoice choice = ChooseDriftMethod(ref, cur);
  if (auto it = options.features.find(ref.name); it != options.features.end()) {
    if (it->second.method) {
      const DriftMethodInfo* info = FindDriftMethod(*it->second.method);
      if (!info)
        ThrowInvalidInput("feature '" + ref.name + "': unknown drift method '" + *it->second.method +
                          "'; expected one of " + DriftMethodNames());
      choice = {info->name, info->default_threshold, "policy override"};
    }
    if (it->second.threshold) {
      choice.threshold = *it->second.threshold;
      if (!it->second.method) choice.reason += "; threshold from the policy";
    }
  }
  stats::DriftResult result = RunDriftMethod(choice.method, ref, cur, choice.threshold);
  out.method = result.method;
  out.reason = choice.reason;
  out.statistic = result.statistic;
  out.p_value = result.p_value;
  out.threshold = result.threshold;
  out.drift = result.drift;
  out.bins = BinFeature(ref, cur, &out.labels);
  out.psi = stats::PopulationStabilityIndex(out.bins.reference_shares, out.bins.current_shares);
  out.psi_drift = out.psi >= options.psi_threshold;
  return out;
}

}  // namespace

CurrentSummarizer::CurrentSummarizer(const stats::ReferenceData& reference, std::size_t sample_size,
                                     std::uint64_t seed) {
  for (const FeatureSummary& f : reference.data.features) {
    slots_.push_back(Slot{&f,
                          stats::FeatureSummaryBuilder(f.name, data::ParseColumnType(f.column_type), sample_size,
                                                       stats::FeatureSeed(seed, f.name)),
                          false});
  }
}

void CurrentSummarizer::Add(const data::Table& chunk) {
  rows_ += chunk.num_rows();
  for (Slot& slot : slots_) {
    auto index = chunk.FindColumn(slot.reference->name);
    if (!index) continue;
    const data::Column& column = chunk.column(*index);
    slot.seen = true;
    if (stats::KindOf(column.type()) == slot.builder.kind()) {
      slot.builder.AddColumn(column);
    } else if (slot.builder.kind() == FeatureKind::kCategorical) {
      // A categorical reference column read back as numbers (codes such as 1, 2, 3): compare as text.
      for (std::size_t r = 0; r < column.size(); ++r) {
        if (column.IsNull(r)) {
          slot.builder.AddMissing();
        } else {
          slot.builder.AddCategory(column.ValueText(r));
        }
      }
    } else {
      ThrowInvalidInput("column '" + column.name() + "' is " + std::string(data::ColumnTypeName(column.type())) +
                        " in the current data but numeric (" + slot.reference->column_type + ") in the reference");
    }
  }
}

stats::TableSummary CurrentSummarizer::Finish() const {
  stats::TableSummary summary;
  summary.rows = rows_;
  for (const Slot& slot : slots_)
    if (slot.seen) summary.features.push_back(slot.builder.Finish());
  return summary;
}

stats::TableSummary SummarizeCurrent(const stats::ReferenceData& reference, const data::Table& table) {
  CurrentSummarizer summarizer(reference, 0);
  summarizer.Add(table);
  return summarizer.Finish();
}

DriftReport ComputeDrift(const stats::ReferenceData& reference, const stats::TableSummary& current,
                         const DriftOptions& options, const std::string& current_source) {
  if (!(options.drift_share > 0.0 && options.drift_share <= 1.0))
    ThrowInvalidInput("drift share must lie in (0, 1], got " + std::to_string(options.drift_share));
  DriftReport report;
  report.reference_source = reference.source;
  report.current_source = current_source;
  report.reference_rows = reference.data.rows;
  report.current_rows = current.rows;
  report.drift_share_threshold = options.drift_share;
  report.generated_at = NowMicros();
  for (const auto& [name, override_spec] : options.features) {
    if (!reference.data.Find(name)) {
      std::vector<std::string> names;
      for (const auto& f : reference.data.features) names.push_back(f.name);
      const std::string hint = ClosestMatch(name, names);
      ThrowInvalidInput("the policy names feature '" + name + "', which the reference does not monitor" +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
  }
  for (const FeatureSummary& ref : reference.data.features) {
    const bool output = reference.IsOutput(ref.name);
    const FeatureSummary* cur = current.Find(ref.name);
    FeatureDrift feature;
    if (!cur) {
      if (output) continue;  // outputs are optional: batch data seldom has them
      feature.feature = ref.name;
      feature.column_type = ref.column_type;
      feature.kind = std::string(stats::FeatureKindName(ref.kind));
      feature.method = "none";
      feature.reference_rows = ref.rows;
      feature.reference_missing_rate = Rate(ref.missing, ref.rows);
      feature.note = "not in the current data";
    } else {
      feature = TestFeature(ref, *cur, options);
    }
    feature.role = output ? "output" : "feature";
    if (feature.method != "none") {
      if (output) {
        report.output_drift = report.output_drift || feature.drift;
      } else {
        ++report.features_tested;
        if (feature.drift) ++report.features_drifted;
      }
    }
    report.features.push_back(std::move(feature));
  }
  report.drift_share = report.features_tested == 0 ? 0.0
                                                    : static_cast<double>(report.features_drifted) /
                                                          static_cast<double>(report.features_tested);
  report.dataset_drift = report.features_tested > 0 && report.drift_share >= options.drift_share;
  return report;
}

DriftReport ComputeDrift(const stats::ReferenceData& reference, const CurrentData& current,
                         const DriftOptions& options) {
  return ComputeDrift(reference, SummarizeCurrent(reference, current.table), options, current.source);
}

std::optional<PerformanceResult> EvaluatePerformance(const std::string& metric, double baseline, double tolerance,
                                                     const std::vector<double>& predictions,
                                                     const std::vector<double>& labels) {
  const bool higher = stats::HigherIsBetter(metric);  // validates the name
  std::vector<double> y_pred, y_true;
  for (std::size_t i = 0; i < predictions.size() && i < labels.size(); ++i) {
    if (std::isnan(labels[i]) || std::isnan(predictions[i])) continue;
    y_pred.push_back(predictions[i]);
    y_true.push_back(labels[i]);
  }
  if (y_true.empty()) return std::nullopt;
  static const std::set<std::string> kRegression = {"rmse", "mae", "r2", "mape", "median_absolute_error",
                                                    "max_error"};
  stats::MetricSuite suite;
  if (kRegression.count(metric)) {
    suite = stats::RegressionSuite(y_true, y_pred);
  } else {
    std::vector<int> classes(y_true.size());
    std::vector<double> probabilities(2 * y_true.size());
    for (std::size_t i = 0; i < y_true.size(); ++i) {
      classes[i] = y_true[i] > 0.5 ? 1 : 0;
      probabilities[2 * i] = 1.0 - y_pred[i];
      probabilities[2 * i + 1] = y_pred[i];
    }
    suite = stats::ClassificationSuite(classes, probabilities, 2);
  }
  auto it = suite.values.find(metric);
  if (it == suite.values.end()) ThrowInvalidInput("metric '" + metric + "' is not computed for these predictions");
  PerformanceResult result;
  result.metric = metric;
  result.baseline = baseline;
  result.current = it->second;
  result.tolerance = tolerance;
  result.rows = y_true.size();
  const double drop = higher ? baseline - result.current : result.current - baseline;
  result.degraded = drop > tolerance;
  return result;
}

}  // namespace cairn::monitor
