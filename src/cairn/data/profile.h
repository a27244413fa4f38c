// Summary statistics of a table (counts, moments, quantiles, histograms, top
// categories), computed the way pandas and NumPy compute them so that the
// numbers can be checked against them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"

namespace cairn::data {

inline constexpr std::array<double, 7> kProfileQuantiles = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
inline constexpr size_t kHistogramBins = 20;
inline constexpr size_t kTopCategories = 20;

struct Histogram {
  std::vector<double> edges;    // counts.size() + 1 edges; the last bin is closed
  std::vector<int64_t> counts;
};

struct CategoryCount {
  std::string value;
  int64_t count = 0;
};

// Statistics of an integer or float column with at least one value.
struct NumericSummary {
  double min = 0;
  double max = 0;
  double mean = 0;
  double std = 0;  // sample deviation (n - 1); NaN for a single value
  std::vector<std::pair<double, double>> quantiles;  // (q, value), linear interpolation
  Histogram histogram;  // empty when min or max is infinite; one bin for a constant column
  int64_t zeros = 0;
};

struct ColumnProfile {
  std::string name;
  ColumnType type = ColumnType::kFloat;
  int64_t count = 0;     // values present
  int64_t missing = 0;
  int64_t distinct = 0;  // distinct values present, exact
  std::optional<NumericSummary> numeric;
  std::string min_time, max_time;     // datetime columns with at least one value, ISO-8601 UTC
  std::vector<CategoryCount> top;     // categorical and boolean: by count, then value
};

struct Profile {
  int64_t rows = 0;
  std::vector<ColumnProfile> columns;

  const ColumnProfile* Find(std::string_view name) const;
  // Doubles that are not finite are written as the strings "nan", "inf", "-inf";
  // FromJson(ToJson()) gives back the same numbers bit for bit.
  Json ToJson() const;
  // Throws kInvalidInput naming the first field that is missing or wrong.
  static Profile FromJson(const Json& json);
};

Profile ComputeProfile(const Table& table);

// The q-quantile of ascending `sorted` values with NumPy's default linear interpolation.
double Quantile(const std::vector<double>& sorted, double q);
// numpy.histogram(values, bins) over [sorted.front(), sorted.back()]; one bin when they are equal.
Histogram EqualWidthHistogram(const std::vector<double>& sorted, size_t bins);

}  // namespace cairn::data
