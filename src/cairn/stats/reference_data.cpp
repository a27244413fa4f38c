#include "cairn/stats/reference_data.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cairn/core/error.h"
#include "cairn/stats/sorted_values.h"

namespace cairn::stats {
namespace {

// JSON cannot hold NaN or infinities; summaries only hold finite numbers, so a
// non-finite one on read means the document was damaged.
double ReadNumber(const Json& json, const char* field, const std::string& where) {
  auto it = json.find(field);
  if (it == json.end() || !it->is_number()) ThrowCorrupt(where + "." + field + ": expected a number");
  return it->get<double>();
}

std::vector<double> ReadNumbers(const Json& json, const char* field, const std::string& where) {
  auto it = json.find(field);
  if (it == json.end()) return {};
  if (!it->is_array()) ThrowCorrupt(where + "." + field + ": expected an array of numbers");
  std::vector<double> out;
  out.reserve(it->size());
  for (const Json& v : *it) {
    if (!v.is_number()) ThrowCorrupt(where + "." + field + ": expected an array of numbers");
    out.push_back(v.get<double>());
  }
  return out;
}

std::string ReadText(const Json& json, const char* field, const std::string& where) {
  auto it = json.find(field);
  if (it == json.end() || !it->is_string()) ThrowCorrupt(where + "." + field + ": expected a string");
  return it->get<std::string>();
}

}  // namespace

std::string_view FeatureKindName(FeatureKind kind) {
  return kind == FeatureKind::kNumeric ? "numeric" : "categorical";
}

FeatureKind KindOf(data::ColumnType type) {
  switch (type) {
    case data::ColumnType::kCategorical:
    case data::ColumnType::kBoolean:
      return FeatureKind::kCategorical;
    default:
      return FeatureKind::kNumeric;
  }
}

std::uint64_t FeatureSeed(std::uint64_t seed, std::string_view name) {
  // FNV-1a over the name, mixed with the seed: stable across platforms.
  std::uint64_t hash = 0xcbf29ce484222325ULL ^ (seed * 0x9E3779B97F4A7C15ULL);
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

double FeatureSummary::Rank(double x) const {
  if (present() == 0) return 0.0;
  if (complete()) {
    auto it = std::upper_bound(sample.begin(), sample.end(), x);
    return static_cast<double>(it - sample.begin()) / static_cast<double>(sample.size());
  }
  if (quantiles.empty() || x < quantiles.front()) return 0.0;
  if (x >= quantiles.back()) return 1.0;
  // Last stored quantile <= x, then linear inside its interval.
  auto it = std::upper_bound(quantiles.begin(), quantiles.end(), x);
  const std::size_t k = static_cast<std::size_t>(it - quantiles.begin()) - 1;
  const double lo = quantiles[k], hi = quantiles[k + 1];
  const double within = hi > lo ? (x - lo) / (hi - lo) : 1.0;
  const double steps = static_cast<double>(quantiles.size() - 1);
  return (static_cast<double>(k) + within) / steps;
}

double FeatureSummary::Quantile(double q) const {
  const std::vector<double>& points = complete() ? sample : quantiles;
  if (points.empty()) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  const double position = q * static_cast<double>(points.size() - 1);
  const std::size_t k = static_cast<std::size_t>(position);
  if (k + 1 >= points.size()) return points.back();
  const double within = position - static_cast<double>(k);
  return points[k] + within * (points[k + 1] - points[k]);
}

double FeatureSummary::CategoryCount(std::string_view category) const {
  for (std::size_t i = 0; i < categories.size(); ++i)
    if (categories[i] == category) return category_counts[i];
  return 0.0;
}

FeatureSummaryBuilder::FeatureSummaryBuilder(std::string name, data::ColumnType type, std::size_t sample_size,
                                             std::uint64_t seed)
    : name_(std::move(name)),
      type_(type),
      kind_(KindOf(type)),
      sample_size_(sample_size),
      sketch_(QuantileSketch::kDefaultCapacity, seed),
      reservoir_(sample_size == 0 ? 1 : sample_size, seed ^ 0x5bd1e995ULL) {}

void FeatureSummaryBuilder::AddNumber(double value) {
  if (std::isnan(value)) {
    AddMissing();
    return;
  }
  ++rows_;
  const std::uint64_t n = rows_ - missing_;
  if (n == 1) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(n);
  m2_ += delta * (value - mean_);
  sketch_.Add(value);
  if (sample_size_ == 0) {
    all_values_.push_back(value);
  } else {
    reservoir_.Add(value);
  }
  if (!values_capped_) {
    ++value_counts_[value == 0.0 ? 0.0 : value];  // -0.0 and 0.0 are one value
    if (value_counts_.size() > kMaxTrackedValues) {
      values_capped_ = true;
      value_counts_.clear();
    }
  }
}

void FeatureSummaryBuilder::AddCategory(std::string_view category) {
  ++rows_;
  auto it = category_counts_.find(std::string(category));
  if (it != category_counts_.end()) {
    ++it->second;
  } else if (category_counts_.size() < kMaxCategories) {
    category_counts_.emplace(std::string(category), 1);
  } else {
    ++other_count_;
  }
}

void FeatureSummaryBuilder::AddColumn(const data::Column& column) {
  if (KindOf(column.type()) != kind_) {
    ThrowInvalidInput("column '" + column.name() + "' is " + std::string(data::ColumnTypeName(column.type())) +
                      " here but " + std::string(data::ColumnTypeName(type_)) + " in the reference");
  }
  const std::size_t rows = column.size();
  if (kind_ == FeatureKind::kNumeric) {
    for (std::size_t r = 0; r < rows; ++r) AddNumber(column.NumericValue(r));
    return;
  }
  if (column.type() == data::ColumnType::kCategorical) {
    // Count codes first, then names: one hash lookup per distinct value, not per row.
    std::vector<std::uint64_t> counts(column.dictionary().size(), 0);
    const auto& codes = column.codes();
    for (std::size_t r = 0; r < rows; ++r) {
      if (column.IsNull(r)) {
        AddMissing();
      } else {
        ++counts[static_cast<std::size_t>(codes[r])];
      }
    }
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (counts[c] == 0) continue;
      AddCategory(column.dictionary()[c]);
      rows_ += counts[c] - 1;
      auto it = category_counts_.find(column.dictionary()[c]);
      if (it != category_counts_.end()) {
        it->second += counts[c] - 1;
      } else {
        other_count_ += counts[c] - 1;
      }
    }
    return;
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (column.IsNull(r)) {
      AddMissing();
    } else {
      AddCategory(column.ValueText(r));
    }
  }
}

FeatureSummary FeatureSummaryBuilder::Finish() const {
  FeatureSummary s;
  s.name = name_;
  s.column_type = std::string(data::ColumnTypeName(type_));
  s.kind = kind_;
  s.rows = rows_;
  s.missing = missing_;
  const std::uint64_t present = rows_ - missing_;
  if (kind_ == FeatureKind::kCategorical) {
    std::vector<std::pair<std::string, std::uint64_t>> sorted(category_counts_.begin(), category_counts_.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (auto& [name, count] : sorted) {
      s.categories.push_back(name);
      s.category_counts.push_back(static_cast<double>(count));
    }
    s.other_count = static_cast<double>(other_count_);
    s.distinct = sorted.size() + (other_count_ > 0 ? 1 : 0);
    s.distinct_capped = other_count_ > 0;
    return s;
  }
  if (present == 0) return s;
  s.min = min_;
  s.max = max_;
  s.mean = mean_;
  s.std = std::sqrt(std::max(0.0, m2_ / static_cast<double>(present)));
  if (sample_size_ == 0) {
    s.sample = all_values_;
  } else {
    s.sample.assign(reservoir_.values().begin(), reservoir_.values().end());
  }
  SortValues(s.sample);
  s.distinct_capped = values_capped_;
  if (!values_capped_) {
    std::vector<std::pair<double, std::uint64_t>> sorted(value_counts_.begin(), value_counts_.end());
    std::sort(sorted.begin(), sorted.end());
    for (auto& [value, count] : sorted) {
      s.values.push_back(value);
      s.value_counts.push_back(static_cast<double>(count));
    }
    s.distinct = sorted.size();
  } else {
    s.distinct = kMaxTrackedValues + 1;
  }
  // Quantiles: exact from a complete sample, else from the sketch's weighted items.
  s.quantiles.resize(kQuantilePoints + 1);
  if (s.complete()) {
    for (std::size_t i = 0; i <= kQuantilePoints; ++i)
      s.quantiles[i] = s.Quantile(static_cast<double>(i) / static_cast<double>(kQuantilePoints));
    s.rank_error = 0.0;
  } else {
    const auto items = sketch_.Items();
    const double total = static_cast<double>(sketch_.count());
    std::uint64_t cumulative = 0;
    std::size_t item = 0;
    for (std::size_t i = 0; i <= kQuantilePoints; ++i) {
      const double target = static_cast<double>(i) / static_cast<double>(kQuantilePoints) * total;
      while (item < items.size() && static_cast<double>(cumulative + items[item].weight) < target) {
        cumulative += items[item].weight;
        ++item;
      }
      s.quantiles[i] = item < items.size() ? items[item].value : max_;
    }
    s.quantiles.front() = min_;
    s.quantiles.back() = max_;
    s.rank_error = 1.0 / static_cast<double>(kQuantilePoints) + 2.0 * sketch_.RankErrorBound();
  }
  return s;
}

Json ToJson(const FeatureSummary& s) {
  Json json{{"name", s.name},
            {"type", s.column_type},
            {"kind", std::string(FeatureKindName(s.kind))},
            {"rows", s.rows},
            {"missing", s.missing},
            {"distinct", s.distinct},
            {"distinct_capped", s.distinct_capped}};
  if (s.kind == FeatureKind::kCategorical) {
    json["categories"] = s.categories;
    json["category_counts"] = s.category_counts;
    if (s.other_count > 0) json["other_count"] = s.other_count;
    return json;
  }
  if (s.present() == 0) return json;
  json["min"] = s.min;
  json["max"] = s.max;
  json["mean"] = s.mean;
  json["std"] = s.std;
  // Value counts matter only for per-value bins; past that the distinct count says enough.
  if (!s.distinct_capped && s.values.size() <= kMaxTrackedValues) {
    json["values"] = s.values;
    json["value_counts"] = s.value_counts;
  }
  // A complete sample already is the exact quantile function.
  if (!s.complete()) {
    json["quantiles"] = s.quantiles;
    json["rank_error"] = s.rank_error;
  }
  json["sample"] = s.sample;
  return json;
}

FeatureSummary FeatureSummaryFromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) ThrowCorrupt(where + ": expected an object");
  FeatureSummary s;
  s.name = ReadText(json, "name", where);
  s.column_type = ReadText(json, "type", where);
  const std::string kind = ReadText(json, "kind", where);
  if (kind != "numeric" && kind != "categorical") ThrowCorrupt(where + ".kind: unknown kind '" + kind + "'");
  s.kind = kind == "numeric" ? FeatureKind::kNumeric : FeatureKind::kCategorical;
  s.rows = static_cast<std::uint64_t>(ReadNumber(json, "rows", where));
  s.missing = static_cast<std::uint64_t>(ReadNumber(json, "missing", where));
  if (s.missing > s.rows) ThrowCorrupt(where + ": more missing values than rows");
  s.distinct = static_cast<std::uint64_t>(ReadNumber(json, "distinct", where));
  s.distinct_capped = json.value("distinct_capped", false);
  if (s.kind == FeatureKind::kCategorical) {
    auto it = json.find("categories");
    if (it == json.end() || !it->is_array()) ThrowCorrupt(where + ".categories: expected an array of strings");
    for (const Json& c : *it) {
      if (!c.is_string()) ThrowCorrupt(where + ".categories: expected an array of strings");
      s.categories.push_back(c.get<std::string>());
    }
    s.category_counts = ReadNumbers(json, "category_counts", where);
    if (s.category_counts.size() != s.categories.size())
      ThrowCorrupt(where + ".category_counts: expected one count per category");
    s.other_count = json.value("other_count", 0.0);
    return s;
  }
  if (s.present() == 0) return s;
  s.min = ReadNumber(json, "min", where);
  s.max = ReadNumber(json, "max", where);
  s.mean = ReadNumber(json, "mean", where);
  s.std = ReadNumber(json, "std", where);
  s.values = ReadNumbers(json, "values", where);
  s.value_counts = ReadNumbers(json, "value_counts", where);
  if (s.values.size() != s.value_counts.size()) ThrowCorrupt(where + ".value_counts: expected one count per value");
  s.sample = ReadNumbers(json, "sample", where);
  if (s.sample.empty()) ThrowCorrupt(where + ".sample: a numeric feature with values needs a sample");
  if (!std::is_sorted(s.sample.begin(), s.sample.end())) ThrowCorrupt(where + ".sample: not in ascending order");
  if (s.complete()) {
    s.quantiles.resize(kQuantilePoints + 1);
    for (std::size_t i = 0; i <= kQuantilePoints; ++i)
      s.quantiles[i] = s.Quantile(static_cast<double>(i) / static_cast<double>(kQuantilePoints));
  } else {
    s.quantiles = ReadNumbers(json, "quantiles", where);
    if (s.quantiles.size() != kQuantilePoints + 1 || !std::is_sorted(s.quantiles.begin(), s.quantiles.end()))
      ThrowCorrupt(where + ".quantiles: expected " + std::to_string(kQuantilePoints + 1) + " ascending values");
    s.rank_error = ReadNumber(json, "rank_error", where);
  }
  return s;
}

const FeatureSummary* TableSummary::Find(std::string_view name) const {
  for (const auto& f : features)
    if (f.name == name) return &f;
  return nullptr;
}

ReferenceData ReferenceData::FromTable(const data::Table& table, const ReferenceOptions& options,
                                       std::string source) {
  ReferenceData reference;
  reference.sample_size = options.sample_size;
  reference.seed = options.seed;
  reference.source = std::move(source);
  reference.data.rows = table.num_rows();
  for (const std::string& name : options.outputs) {
    if (!table.FindColumn(name)) ThrowNotFound("no output column '" + name + "' in the reference data");
  }
  for (const data::Column& column : table.columns()) {
    const bool excluded =
        std::find(options.exclude.begin(), options.exclude.end(), column.name()) != options.exclude.end();
    if (excluded) continue;
    if (column.type() == data::ColumnType::kDatetime && !options.include_datetime) continue;
    FeatureSummaryBuilder builder(column.name(), column.type(), options.sample_size,
                                  FeatureSeed(options.seed, column.name()));
    builder.AddColumn(column);
    reference.data.features.push_back(builder.Finish());
    if (std::find(options.outputs.begin(), options.outputs.end(), column.name()) != options.outputs.end())
      reference.outputs.push_back(column.name());
  }
  return reference;
}

bool ReferenceData::IsOutput(std::string_view name) const {
  return std::find(outputs.begin(), outputs.end(), name) != outputs.end();
}

Json ReferenceData::ToJson() const {
  Json features = Json::array();
  for (const auto& f : data.features) features.push_back(stats::ToJson(f));
  return Json{{"format", "cairn-reference"},
              {"version", kFormatVersion},
              {"source", source},
              {"rows", data.rows},
              {"sample_size", sample_size},
              {"seed", seed},
              {"outputs", outputs},
              {"features", std::move(features)}};
}

ReferenceData ReferenceData::FromJson(const Json& json, const std::string& where) {
  if (!json.is_object() || json.value("format", "") != "cairn-reference")
    ThrowCorrupt(where + ": not a cairn reference (expected \"format\": \"cairn-reference\")");
  const int version = json.value("version", 0);
  if (version != kFormatVersion)
    ThrowUnsupported(where + ": reference format version " + std::to_string(version) + " is not supported (expected " +
                     std::to_string(kFormatVersion) + ")");
  ReferenceData reference;
  reference.source = json.value("source", "");
  reference.data.rows = static_cast<std::uint64_t>(ReadNumber(json, "rows", where));
  reference.sample_size = static_cast<std::size_t>(ReadNumber(json, "sample_size", where));
  reference.seed = static_cast<std::uint64_t>(ReadNumber(json, "seed", where));
  if (auto it = json.find("outputs"); it != json.end() && it->is_array())
    for (const Json& o : *it)
      if (o.is_string()) reference.outputs.push_back(o.get<std::string>());
  auto features = json.find("features");
  if (features == json.end() || !features->is_array()) ThrowCorrupt(where + ".features: expected an array");
  for (std::size_t i = 0; i < features->size(); ++i)
    reference.data.features.push_back(
        FeatureSummaryFromJson((*features)[i], where + ": features[" + std::to_string(i) + "]"));
  return reference;
}

}  // namespace cairn::stats
