// Compact summaries of a table's columns for drift monitoring: the reference a
// model carries from its training data (`reference.json`), and the same
// summary built over current data, in one pass and bounded memory.
//
// Per column: type, rows, missing count, distinct values (exact up to
// kMaxTrackedValues, then "more"), and
//  - numeric: min, max, mean, population std over all present values; a seeded
//    uniform sample of kReferenceSampleSize (5,000) values; 1,001 quantiles
//    from a QuantileSketch; exact value counts when there are at most
//    kMaxPerValueBins (20) distinct values;
//  - categorical (and boolean): exact counts per category.
//
// Why 5,000 sampled values: the exact tests (KS, chi-square) run only when the
// reference has at most 1,000 rows, and then the sample is the whole column;
// up to 5,000 rows it still is, so Wasserstein and PSI are the exact numbers
// SciPy and NumPy give. Above 5,000 rows those two read the quantile summary,
// whose rank error is at most 1/1000 + 2 x the sketch's guaranteed bound
// (about 0.1% + 1.2% at 10^7 rows, in practice far less); see drift_engine.h
// for how that bounds each statistic. The sample keeps a serialised reference
// near 100 KB per numeric feature.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"
#include "cairn/stats/sketches.h"

namespace cairn::stats {

inline constexpr std::size_t kReferenceSampleSize = 5000;
// Intervals of the stored quantile summary (kQuantilePoints + 1 values).
inline constexpr std::size_t kQuantilePoints = 1000;
// Distinct numeric values counted exactly before a column counts as "many".
inline constexpr std::size_t kMaxTrackedValues = 1000;
// Categories counted one by one; any further ones are counted together.
inline constexpr std::size_t kMaxCategories = 10000;

enum class FeatureKind { kNumeric, kCategorical };
std::string_view FeatureKindName(FeatureKind kind);  // "numeric", "categorical"
// Integers, floats and datetimes are numeric; categoricals and booleans categorical.
FeatureKind KindOf(data::ColumnType type);

struct FeatureSummary {
  std::string name;
  std::string column_type;  // data::ColumnTypeName
  FeatureKind kind = FeatureKind::kNumeric;
  std::uint64_t rows = 0;
  std::uint64_t missing = 0;
  std::uint64_t distinct = 0;    // exact unless distinct_capped
  bool distinct_capped = false;  // more than kMaxTrackedValues distinct values

  // Numeric columns.
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double std = 0.0;  // population standard deviation
  std::vector<double> sample;     // ascending; every present value when complete()
  std::vector<double> quantiles;  // kQuantilePoints + 1 values from min to max; empty without values
  double rank_error = 0.0;        // bound on the rank error of `quantiles`; 0 when complete()
  // Distinct values, ascending, with their counts; filled while distinct_capped is false.
  std::vector<double> values;
  std::vector<double> value_counts;

  // Categorical columns: by descending count, then name.
  std::vector<std::string> categories;
  std::vector<double> category_counts;
  double other_count = 0.0;  // rows in categories past kMaxCategories

  std::uint64_t present() const { return rows - missing; }
  bool complete() const { return sample.size() == present(); }
  bool has_value_counts() const { return !distinct_capped && !values.empty(); }
  // Share of present values <= x: exact when complete(), else from the quantiles.
  double Rank(double x) const;
  // Value at share q of the present values (linear between stored quantiles).
  double Quantile(double q) const;
  // Count of a category; 0 when unseen.
  double CategoryCount(std::string_view category) const;
};

Json ToJson(const FeatureSummary& summary);
// `where` prefixes errors ("reference.json: features[3]").
FeatureSummary FeatureSummaryFromJson(const Json& json, const std::string& where);

// Builds one FeatureSummary in a single pass. `sample_size` 0 keeps every
// present value (exact, for data already in memory); otherwise a seeded
// reservoir of that many.
class FeatureSummaryBuilder {
 public:
  FeatureSummaryBuilder(std::string name, data::ColumnType type, std::size_t sample_size, std::uint64_t seed);

  void AddNumber(double value);  // NaN counts as missing
  void AddCategory(std::string_view category);
  void AddMissing() { ++rows_, ++missing_; }
  // Every row of a column of this builder's type (kInvalidInput when the kinds differ).
  void AddColumn(const data::Column& column);

  FeatureSummary Finish() const;
  FeatureKind kind() const { return kind_; }

 private:
  std::string name_;
  data::ColumnType type_;
  FeatureKind kind_;
  std::size_t sample_size_;
  std::uint64_t rows_ = 0;
  std::uint64_t missing_ = 0;
  // Welford's running mean and sum of squared deviations.
  double mean_ = 0.0;
  double m2_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
  QuantileSketch sketch_;
  ReservoirSample reservoir_;
  std::vector<double> all_values_;  // when sample_size_ == 0
  std::unordered_map<double, std::uint64_t> value_counts_;
  bool values_capped_ = false;
  std::unordered_map<std::string, std::uint64_t> category_counts_;
  std::uint64_t other_count_ = 0;
};

// The summaries of a table's monitored columns, in table order.
struct TableSummary {
  std::uint64_t rows = 0;
  std::vector<FeatureSummary> features;
  const FeatureSummary* Find(std::string_view name) const;
};

struct ReferenceOptions {
  std::size_t sample_size = kReferenceSampleSize;
  std::uint64_t seed = 1;
  std::vector<std::string> exclude;  // columns not monitored
  // Datetime columns always move with time, so they are left out unless asked for.
  bool include_datetime = false;
  // Columns that hold the model's outputs (predictions, probabilities).
  std::vector<std::string> outputs;
};

// The reference a model version is monitored against.
struct ReferenceData {
  static constexpr int kFormatVersion = 1;

  TableSummary data;
  std::vector<std::string> outputs;  // names in `data` that are model outputs
  std::size_t sample_size = kReferenceSampleSize;
  std::uint64_t seed = 1;
  std::string source;  // where it was built from ("credit@1"), for reports

  static ReferenceData FromTable(const data::Table& table, const ReferenceOptions& options = {},
                                 std::string source = "");
  bool IsOutput(std::string_view name) const;

  // Compact JSON (numbers in their shortest exact form); FromJson throws
  // kCorrupt naming `where` and the field when the document is not a reference.
  Json ToJson() const;
  static ReferenceData FromJson(const Json& json, const std::string& where = "reference.json");
};

// Per-column seed: the same table and seed always give the same samples.
std::uint64_t FeatureSeed(std::uint64_t seed, std::string_view name);

}  // namespace cairn::stats
