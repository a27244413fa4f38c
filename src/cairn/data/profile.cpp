#include "cairn/data/profile.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::data {
namespace {

// Neumaier's compensated sum: keeps the mean exact to the last bits where a
// plain loop would drift on long columns of mixed magnitudes.
double CompensatedSum(const std::vector<double>& values, double shift) {
  double sum = 0;
  double compensation = 0;
  for (double raw : values) {
    double value = raw - shift;
    double t = sum + value;
    if (std::fabs(sum) >= std::fabs(value)) {
      compensation += (sum - t) + value;
    } else {
      compensation += (value - t) + sum;
    }
    sum = t;
  }
  return sum + compensation;
}

NumericSummary SummarizeNumbers(std::vector<double>& values, int64_t& distinct) {
  std::sort(values.begin(), values.end());
  NumericSummary summary;
  size_t n = values.size();
  summary.min = values.front();
  summary.max = values.back();
  // Two passes: a first mean, then the mean of the residuals corrects it.
  double mean;
  if (std::isfinite(summary.min) && std::isfinite(summary.max)) {
    mean = CompensatedSum(values, 0) / static_cast<double>(n);
    if (std::isfinite(mean)) mean += CompensatedSum(values, mean) / static_cast<double>(n);
  } else {
    // Infinities decide the mean on their own (inf, -inf, or NaN when both occur).
    mean = summary.min == -summary.max ? std::numeric_limits<double>::quiet_NaN()
                                       : (std::isinf(summary.max) ? summary.max : summary.min);
  }
  summary.mean = mean;
  if (n < 2 || !std::isfinite(mean)) {
    summary.std = std::numeric_limits<double>::quiet_NaN();
  } else {
    double squares = 0;
    double compensation = 0;
    for (double value : values) {
      double term = (value - mean) * (value - mean) - compensation;
      double t = squares + term;
      compensation = (t - squares) - term;
      squares = t;
    }
    summary.std = std::sqrt(squares / static_cast<double>(n - 1));
  }
  for (double q : kProfileQuantiles) summary.quantiles.emplace_back(q, Quantile(values, q));
  summary.histogram = EqualWidthHistogram(values, kHistogramBins);
  distinct = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || values[i] != values[i - 1]) ++distinct;
    if (values[i] == 0) ++summary.zeros;
  }
  return summary;
}

void ProfileCategories(const Column& column, ColumnProfile& profile) {
  const auto& nulls = column.nulls();
  std::vector<std::pair<std::string, int64_t>> counts;
  if (column.type() == ColumnType::kBoolean) {
    int64_t seen[2] = {0, 0};
    for (size_t row = 0; row < column.size(); ++row) {
      if (!nulls[row]) ++seen[column.bools()[row] ? 1 : 0];
    }
    counts = {{"false", seen[0]}, {"true", seen[1]}};
  } else {
    std::vector<int64_t> seen(column.dictionary().size(), 0);
    for (size_t row = 0; row < column.size(); ++row) {
      if (!nulls[row]) ++seen[static_cast<size_t>(column.codes()[row])];
    }
    for (size_t code = 0; code < seen.size(); ++code) counts.emplace_back(column.dictionary()[code], seen[code]);
  }
  std::erase_if(counts, [](const auto& entry) { return entry.second == 0; });
  profile.distinct = static_cast<int64_t>(counts.size());
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (counts.size() > kTopCategories) counts.resize(kTopCategories);
  for (auto& [value, count] : counts) profile.top.push_back({std::move(value), count});
}

ColumnProfile ProfileColumn(const Column& column) {
  ColumnProfile profile;
  profile.name = column.name();
  profile.type = column.type();
  profile.missing = static_cast<int64_t>(column.NullCount());
  profile.count = static_cast<int64_t>(column.size()) - profile.missing;
  const auto& nulls = column.nulls();
  switch (column.type()) {
    case ColumnType::kInteger:
    case ColumnType::kFloat: {
      std::vector<double> values;
      values.reserve(static_cast<size_t>(profile.count));
      for (size_t row = 0; row < column.size(); ++row) {
        if (!nulls[row]) values.push_back(column.NumericValue(row));
      }
      if (!values.empty()) profile.numeric = SummarizeNumbers(values, profile.distinct);
      break;
    }
    case ColumnType::kDatetime: {
      std::vector<int64_t> values;
      for (size_t row = 0; row < column.size(); ++row) {
        if (!nulls[row]) values.push_back(column.ints()[row]);
      }
      std::sort(values.begin(), values.end());
      profile.distinct = std::unique(values.begin(), values.end()) - values.begin();
      if (!values.empty()) {
        profile.min_time = FormatUtc(values.front());
        profile.max_time = FormatUtc(values.back());
      }
      break;
    }
    case ColumnType::kBoolean:
    case ColumnType::kCategorical:
      ProfileCategories(column, profile);
      break;
  }
  return profile;
}

Json NumberJson(double value) {
  if (std::isfinite(value)) return value;
  return FormatDouble(value);
}

[[noreturn]] void Malformed(const std::string& where, const std::string& what) {
  ThrowInvalidInput("profile: " + where + ": " + what);
}

double NumberFrom(const Json& json, const std::string& where) {
  if (json.is_number()) return json.get<double>();
  if (json.is_string()) {
    const auto& text = json.get_ref<const std::string&>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
  }
  Malformed(where, "expected a number");
}

const Json& Field(const Json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) Malformed(where, std::string("missing '") + key + "'");
  return object[key];
}

int64_t IntegerFrom(const Json& object, const char* key, const std::string& where) {
  const Json& value = Field(object, key, where);
  if (!value.is_number_integer()) Malformed(where + "." + key, "expected an integer");
  return value.get<int64_t>();
}

std::string StringFrom(const Json& object, const char* key, const std::string& where) {
  const Json& value = Field(object, key, where);
  if (!value.is_string()) Malformed(where + "." + key, "expected a string");
  return value.get<std::string>();
}

const Json& ArrayFrom(const Json& object, const char* key, const std::string& where) {
  const Json& value = Field(object, key, where);
  if (!value.is_array()) Malformed(where + "." + key, "expected an array");
  return value;
}

}  // namespace

double Quantile(const std::vector<double>& sorted, double q) {
  size_t n = sorted.size();
  double position = static_cast<double>(n - 1) * q;
  double below = std::floor(position);
  if (position >= static_cast<double>(n - 1)) return sorted[n - 1];
  if (position < 0) return sorted[0];
  auto lo = static_cast<size_t>(below);
  double a = sorted[lo];
  double b = sorted[lo + 1];
  double t = position - below;
  // NumPy's _lerp: interpolate from whichever end is nearer, for symmetry.
  double difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}

Histogram EqualWidthHistogram(const std::vector<double>& sorted, size_t bins) {
  Histogram histogram;
  if (sorted.empty()) return histogram;
  double first = sorted.front();
  double last = sorted.back();
  if (!std::isfinite(first) || !std::isfinite(last)) return histogram;
  if (first == last) {
    histogram.edges = {first, last};
    histogram.counts = {static_cast<int64_t>(sorted.size())};
    return histogram;
  }
  // Edges as numpy.linspace makes them, bin indices as numpy.histogram finds
  // them (a scaled index, then a one-step correction against the edges).
  double step = (last - first) / static_cast<double>(bins);
  histogram.edges.resize(bins + 1);
  for (size_t i = 0; i < bins; ++i) histogram.edges[i] = static_cast<double>(i) * step + first;
  histogram.edges[bins] = last;
  histogram.counts.assign(bins, 0);
  double norm = static_cast<double>(bins) / (last - first);
  for (double value : sorted) {
    auto index = static_cast<int64_t>((value - first) * norm);
    if (index == static_cast<int64_t>(bins)) --index;
    if (value < histogram.edges[static_cast<size_t>(index)]) --index;
    if (index != static_cast<int64_t>(bins) - 1 && value >= histogram.edges[static_cast<size_t>(index) + 1]) ++index;
    ++histogram.counts[static_cast<size_t>(index)];
  }
  return histogram;
}

Profile ComputeProfile(const Table& table) {
  Profile profile;
  profile.rows = static_cast<int64_t>(table.num_rows());
  for (const auto& column : table.columns()) profile.columns.push_back(ProfileColumn(column));
  return profile;
}

const ColumnProfile* Profile::Find(std::string_view name) const {
  for (const auto& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

Json Profile::ToJson() const {
  Json list = Json::array();
  for (const auto& column : columns) {
    Json item = {{"name", column.name},
                 {"type", ColumnTypeName(column.type)},
                 {"count", column.count},
                 {"missing", column.missing},
                 {"distinct", column.distinct}};
    if (column.numeric) {
      const NumericSummary& s = *column.numeric;
      item["min"] = NumberJson(s.min);
      item["max"] = NumberJson(s.max);
      item["mean"] = NumberJson(s.mean);
      item["std"] = NumberJson(s.std);
      Json quantiles = Json::array();
      for (const auto& [q, value] : s.quantiles) quantiles.push_back({NumberJson(q), NumberJson(value)});
      item["quantiles"] = std::move(quantiles);
      Json edges = Json::array();
      for (double edge : s.histogram.edges) edges.push_back(NumberJson(edge));
      item["histogram"] = {{"edges", std::move(edges)}, {"counts", s.histogram.counts}};
      item["zeros"] = s.zeros;
    }
    if (!column.min_time.empty()) {
      item["min"] = column.min_time;
      item["max"] = column.max_time;
    }
    if (column.type == ColumnType::kCategorical || column.type == ColumnType::kBoolean) {
      Json top = Json::array();
      for (const auto& entry : column.top) top.push_back({{"value", entry.value}, {"count", entry.count}});
      item["top"] = std::move(top);
    }
    list.push_back(std::move(item));
  }
  return Json{{"rows", rows}, {"columns", std::move(list)}};
}

Profile Profile::FromJson(const Json& json) {
  Profile profile;
  profile.rows = IntegerFrom(json, "rows", "profile");
  const Json& list = ArrayFrom(json, "columns", "profile");
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    std::string where = "columns[" + std::to_string(i) + "]";
    ColumnProfile column;
    column.name = StringFrom(item, "name", where);
    try {
      column.type = ParseColumnType(StringFrom(item, "type", where));
    } catch (const Error& error) {
      Malformed(where, error.what());
    }
    column.count = IntegerFrom(item, "count", where);
    column.missing = IntegerFrom(item, "missing", where);
    column.distinct = IntegerFrom(item, "distinct", where);
    bool numeric_type = column.type == ColumnType::kInteger || column.type == ColumnType::kFloat;
    if (numeric_type && item.contains("mean")) {
      NumericSummary s;
      s.min = NumberFrom(Field(item, "min", where), where + ".min");
      s.max = NumberFrom(Field(item, "max", where), where + ".max");
      s.mean = NumberFrom(Field(item, "mean", where), where + ".mean");
      s.std = NumberFrom(Field(item, "std", where), where + ".std");
      for (const Json& pair : ArrayFrom(item, "quantiles", where)) {
        if (!pair.is_array() || pair.size() != 2) Malformed(where + ".quantiles", "expected [q, value] pairs");
        s.quantiles.emplace_back(NumberFrom(pair[0], where + ".quantiles"), NumberFrom(pair[1], where + ".quantiles"));
      }
      const Json& histogram = Field(item, "histogram", where);
      for (const Json& edge : ArrayFrom(histogram, "edges", where + ".histogram")) {
        s.histogram.edges.push_back(NumberFrom(edge, where + ".histogram.edges"));
      }
      for (const Json& count : ArrayFrom(histogram, "counts", where + ".histogram")) {
        if (!count.is_number_integer()) Malformed(where + ".histogram.counts", "expected integers");
        s.histogram.counts.push_back(count.get<int64_t>());
      }
      s.zeros = IntegerFrom(item, "zeros", where);
      column.numeric = std::move(s);
    }
    if (column.type == ColumnType::kDatetime && item.contains("min")) {
      column.min_time = StringFrom(item, "min", where);
      column.max_time = StringFrom(item, "max", where);
    }
    if (item.contains("top")) {
      for (const Json& entry : ArrayFrom(item, "top", where)) {
        column.top.push_back({StringFrom(entry, "value", where + ".top"), IntegerFrom(entry, "count", where + ".top")});
      }
    }
    profile.columns.push_back(std::move(column));
  }
  return profile;
}

}  // namespace cairn::data
