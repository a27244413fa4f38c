// How cairn bins a feature for PSI and Jensen-Shannon, following Evidently's
// defaults so that users see the numbers they expect:
//  - a numeric feature whose reference has more than 20 distinct values gets
//    equal-width bins over the combined reference and current range, their
//    count by Sturges' rule on the combined size (ceil(log2(N) + 1)), exactly
//    as numpy.histogram_bin_edges(concat(reference, current), "sturges");
//    counts per bin as numpy.histogram (right edge included in the last bin);
//  - any other feature gets one bin per distinct value seen in either sample.
// Equal-width bins over the combined range need no tuning and never leave a
// current value outside every bin; quantile bins would adapt better to skewed
// features but would make cairn's PSI disagree with the one users know.
// Empty bins: PSI replaces a zero share by min(non-zero shares) / 1e6 when that
// minimum is at most 1e-4, and by 1e-4 otherwise, separately for each sample
// (Evidently's rule); Jensen-Shannon needs no replacement.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cairn/stats/sorted_values.h"

namespace cairn::stats {

// Reference distinct values above which a numeric feature gets range bins.
inline constexpr std::size_t kMaxPerValueBins = 20;

struct DriftBins {
  // Range bins: edges.size() == shares.size() + 1. Per-value bins: edges is
  // empty and values holds the bin values, ascending.
  std::vector<double> edges;
  std::vector<double> values;
  // Shares of each sample per bin, before any empty-bin replacement.
  std::vector<double> reference_shares;
  std::vector<double> current_shares;

  bool per_value() const { return edges.empty(); }
};

// Bins a numeric feature as described above. The span form needs no sort
// when the feature gets range bins.
DriftBins BinForDrift(const SortedSample& reference, const SortedSample& current);
DriftBins BinForDrift(std::span<const double> reference, std::span<const double> current);

// Per-category shares from aligned category counts (categorical features).
// Categories with a zero count in both samples are dropped; `values` holds the
// index of each kept category.
DriftBins BinCategoryCounts(std::span<const double> reference_counts, std::span<const double> current_counts);

// numpy.histogram_bin_edges(values, "sturges") for values spanning [min, max], count of them.
std::vector<double> SturgesEdges(double min, double max, std::size_t count);

// numpy.histogram(values, edges)[0]: half-open bins, the last one closed;
// values outside the edges are not counted.
std::vector<std::int64_t> HistogramCounts(std::span<const double> sorted_values, std::span<const double> edges);
// The same for unsorted values and equal-width edges, in one pass.
std::vector<std::int64_t> EqualWidthHistogramCounts(std::span<const double> values, std::span<const double> edges);

// Shares with empty bins replaced by Evidently's rule (see the file comment).
std::vector<double> FillEmptyShares(std::span<const double> shares);

// Distinct values of two samples with their counts, aligned (for the chi-square
// and Z tests on numeric features with few values).
struct ValueCounts {
  std::vector<double> values;
  std::vector<double> reference_counts;
  std::vector<double> current_counts;
};
ValueCounts CountValues(const SortedSample& reference, const SortedSample& current);

}  // namespace cairn::stats
