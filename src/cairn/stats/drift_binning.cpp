#include "cairn/stats/drift_binning.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "cairn/core/error.h"

namespace cairn::stats {
namespace {

std::size_t DistinctCount(std::span<const double> sorted) {
  std::size_t distinct = sorted.empty() ? 0 : 1;
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i] != sorted[i - 1]) ++distinct;
  return distinct;
}

std::vector<double> Shares(std::span<const std::int64_t> counts, std::size_t total) {
  std::vector<double> shares(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i)
    shares[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
  return shares;
}

void CheckCounts(std::span<const double> counts, std::string_view argument) {
  if (counts.empty()) ThrowInvalidInput(std::string(argument) + " is empty");
  double total = 0.0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (!(counts[i] >= 0.0) || std::isinf(counts[i]))
      ThrowInvalidInput(std::string(argument) + "[" + std::to_string(i) + "] is not a finite count >= 0");
    total += counts[i];
  }
  if (total <= 0.0) ThrowInvalidInput(std::string(argument) + " counts sum to zero");
}

// Whether `values` holds more than `limit` distinct values; stops as soon as it knows.
bool HasMoreDistinctThan(std::span<const double> values, std::size_t limit) {
  std::vector<double> seen;
  for (double v : values) {
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    if (seen.size() > limit) return true;
  }
  return false;
}

}  // namespace

std::vector<double> SturgesEdges(double min, double max, std::size_t count) {
  if (min == max) {
    min -= 0.5;
    max += 0.5;
  }
  const double range = max - min;
  const double width = range / (std::log2(static_cast<double>(count)) + 1.0);
  const auto bins = width != 0.0 ? static_cast<std::size_t>(std::ceil(range / width)) : std::size_t{1};
  // numpy.linspace: start + i * step, the last edge set to stop exactly.
  const double step = range / static_cast<double>(bins);
  std::vector<double> edges(bins + 1);
  for (std::size_t i = 0; i < bins; ++i) edges[i] = static_cast<double>(i) * step + min;
  edges[bins] = max;
  return edges;
}

std::vector<std::int64_t> HistogramCounts(std::span<const double> sorted_values, std::span<const double> edges) {
  std::vector<std::int64_t> counts(edges.size() - 1);
  auto position = [&](double edge, bool right) {
    auto it = right ? std::upper_bound(sorted_values.begin(), sorted_values.end(), edge)
                    : std::lower_bound(sorted_values.begin(), sorted_values.end(), edge);
    return static_cast<std::int64_t>(it - sorted_values.begin());
  };
  std::int64_t previous = position(edges[0], false);
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    const bool last = i + 2 == edges.size();
    const std::int64_t next = position(edges[i + 1], last);
    counts[i] = next - previous;
    previous = next;
  }
  return counts;
}

std::vector<std::int64_t> EqualWidthHistogramCounts(std::span<const double> values, std::span<const double> edges) {
  const std::size_t bins = edges.size() - 1;
  std::vector<std::int64_t> counts(bins, 0);
  const double first = edges.front();
  const double last = edges.back();
  const double scale = static_cast<double>(bins) / (last - first);
  for (double v : values) {
    if (!(v >= first && v <= last)) continue;
    // The arithmetic guess can be one bin off near an edge; the edges decide.
    auto index = static_cast<std::size_t>((v - first) * scale);
    if (index >= bins) index = bins - 1;
    while (index > 0 && v < edges[index]) --index;
    while (index + 1 < bins && v >= edges[index + 1]) ++index;
    ++counts[index];
  }
  return counts;
}

std::vector<double> FillEmptyShares(std::span<const double> shares) {
  double smallest = 0.0;
  for (double s : shares)
    if (s != 0.0 && (smallest == 0.0 || s < smallest)) smallest = s;
  const double fill = smallest <= 1e-4 ? smallest / 1e6 : 1e-4;
  std::vector<double> filled(shares.begin(), shares.end());
  for (double& s : filled)
    if (s == 0.0) s = fill;
  return filled;
}

ValueCounts CountValues(const SortedSample& reference, const SortedSample& current) {
  ValueCounts result;
  std::span<const double> r = reference.values();
  std::span<const double> c = current.values();
  std::size_t i = 0, j = 0;
  while (i < r.size() || j < c.size()) {
    double value = (j >= c.size() || (i < r.size() && r[i] <= c[j])) ? r[i] : c[j];
    double rc = 0.0, cc = 0.0;
    while (i < r.size() && r[i] == value) ++i, ++rc;
    while (j < c.size() && c[j] == value) ++j, ++cc;
    result.values.push_back(value);
    result.reference_counts.push_back(rc);
    result.current_counts.push_back(cc);
  }
  return result;
}

DriftBins BinForDrift(const SortedSample& reference, const SortedSample& current) {
  DriftBins bins;
  if (DistinctCount(reference.values()) > kMaxPerValueBins) {
    const double min = std::min(reference.min(), current.min());
    const double max = std::max(reference.max(), current.max());
    bins.edges = SturgesEdges(min, max, reference.size() + current.size());
    bins.reference_shares = Shares(HistogramCounts(reference.values(), bins.edges), reference.size());
    bins.current_shares = Shares(HistogramCounts(current.values(), bins.edges), current.size());
    return bins;
  }
  ValueCounts counts = CountValues(reference, current);
  bins.values = std::move(counts.values);
  for (std::size_t k = 0; k < bins.values.size(); ++k) {
    bins.reference_shares.push_back(counts.reference_counts[k] / static_cast<double>(reference.size()));
    bins.current_shares.push_back(counts.current_counts[k] / static_cast<double>(current.size()));
  }
  return bins;
}

DriftBins BinForDrift(std::span<const double> reference, std::span<const double> current) {
  CheckSample(reference, "reference");
  CheckSample(current, "current");
  if (!HasMoreDistinctThan(reference, kMaxPerValueBins))
    return BinForDrift(SortedSample(reference, "reference"), SortedSample(current, "current"));
  auto [reference_min, reference_max] = std::minmax_element(reference.begin(), reference.end());
  auto [current_min, current_max] = std::minmax_element(current.begin(), current.end());
  DriftBins bins;
  bins.edges = SturgesEdges(std::min(*reference_min, *current_min), std::max(*reference_max, *current_max),
                            reference.size() + current.size());
  bins.reference_shares = Shares(EqualWidthHistogramCounts(reference, bins.edges), reference.size());
  bins.current_shares = Shares(EqualWidthHistogramCounts(current, bins.edges), current.size());
  return bins;
}

DriftBins BinCategoryCounts(std::span<const double> reference_counts, std::span<const double> current_counts) {
  CheckSameLength(reference_counts.size(), current_counts.size(), "reference_counts", "current_counts");
  CheckCounts(reference_counts, "reference_counts");
  CheckCounts(current_counts, "current_counts");
  double reference_total = 0.0, current_total = 0.0;
  for (std::size_t k = 0; k < reference_counts.size(); ++k) {
    reference_total += reference_counts[k];
    current_total += current_counts[k];
  }
  DriftBins bins;
  for (std::size_t k = 0; k < reference_counts.size(); ++k) {
    if (reference_counts[k] == 0.0 && current_counts[k] == 0.0) continue;
    bins.values.push_back(static_cast<double>(k));
    bins.reference_shares.push_back(reference_counts[k] / reference_total);
    bins.current_shares.push_back(current_counts[k] / current_total);
  }
  return bins;
}

}  // namespace cairn::stats
