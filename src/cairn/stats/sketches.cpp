#include "cairn/stats/sketches.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "cairn/core/error.h"
#include "cairn/stats/sorted_values.h"

namespace cairn::stats {

QuantileSketch::QuantileSketch(std::size_t capacity, std::uint64_t seed) : capacity_(capacity), random_(seed) {
  if (capacity_ < 8) ThrowInvalidInput("quantile sketch capacity must be at least 8, got " + std::to_string(capacity));
  levels_.emplace_back();
  levels_[0].reserve(capacity_);
}

void QuantileSketch::Add(double value) {
  if (std::isnan(value)) ThrowInvalidInput("quantile sketch got NaN; count missing values before adding");
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  levels_[0].push_back(value);
  if (levels_[0].size() >= capacity_) CompactFrom(0);
}

void QuantileSketch::Add(std::span<const double> values) {
  CheckNoNaN(values, "values");
  for (double v : values) Add(v);
}

void QuantileSketch::CompactFrom(std::size_t level) {
  for (std::size_t h = level; h < levels_.size(); ++h) {
    std::vector<double>& items = levels_[h];
    if (items.size() < capacity_) break;
    std::sort(items.begin(), items.end());
    // An odd value out (the largest) stays behind at this level.
    const bool odd = items.size() % 2 == 1;
    const double held = items.back();
    const std::size_t paired = items.size() - (odd ? 1 : 0);
    if (h + 1 == levels_.size()) levels_.emplace_back();
    std::vector<double>& up = levels_[h + 1];
    const std::size_t offset = static_cast<std::size_t>(random_.Next() >> 63);
    for (std::size_t i = offset; i < paired; i += 2) up.push_back(levels_[h][i]);
    levels_[h].clear();
    if (odd) levels_[h].push_back(held);
    error_weight_ += std::uint64_t{1} << h;
  }
}

void QuantileSketch::Merge(const QuantileSketch& other) {
  if (other.capacity_ != capacity_)
    ThrowInvalidInput("cannot merge quantile sketches of capacity " + std::to_string(capacity_) + " and " +
                      std::to_string(other.capacity_));
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  error_weight_ += other.error_weight_;
  if (levels_.size() < other.levels_.size()) levels_.resize(other.levels_.size());
  for (std::size_t h = 0; h < other.levels_.size(); ++h)
    levels_[h].insert(levels_[h].end(), other.levels_[h].begin(), other.levels_[h].end());
  CompactFrom(0);
  // A merge can overfill a level above one that did not need compacting.
  for (std::size_t h = 0; h < levels_.size(); ++h)
    if (levels_[h].size() >= capacity_) CompactFrom(h);
}

std::vector<QuantileSketch::WeightedValue> QuantileSketch::Items() const {
  std::vector<WeightedValue> items;
  items.reserve(RetainedValues());
  for (std::size_t h = 0; h < levels_.size(); ++h)
    for (double v : levels_[h]) items.push_back({v, std::uint64_t{1} << h});
  std::sort(items.begin(), items.end(),
            [](const WeightedValue& a, const WeightedValue& b) { return a.value < b.value; });
  return items;
}

std::size_t QuantileSketch::RetainedValues() const {
  std::size_t total = 0;
  for (const auto& level : levels_) total += level.size();
  return total;
}

double QuantileSketch::Rank(double x) const {
  if (count_ == 0) ThrowInvalidInput("the quantile sketch is empty");
  std::uint64_t below = 0;
  for (std::size_t h = 0; h < levels_.size(); ++h)
    for (double v : levels_[h])
      if (v <= x) below += std::uint64_t{1} << h;
  return static_cast<double>(below) / static_cast<double>(count_);
}

double QuantileSketch::Quantile(double q) const {
  if (count_ == 0) ThrowInvalidInput("the quantile sketch is empty");
  if (!(q >= 0.0 && q <= 1.0)) ThrowInvalidInput("quantile must lie in [0, 1], got " + std::to_string(q));
  if (q == 0.0) return min_;
  if (q == 1.0) return max_;
  const double target = q * static_cast<double>(count_);
  std::uint64_t cumulative = 0;
  for (const WeightedValue& item : Items()) {
    cumulative += item.weight;
    if (static_cast<double>(cumulative) >= target) return item.value;
  }
  return max_;
}

double QuantileSketch::RankErrorBound() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(error_weight_) / static_cast<double>(count_);
}

ReservoirSample::ReservoirSample(std::size_t capacity, std::uint64_t seed) : capacity_(capacity), random_(seed) {
  if (capacity_ == 0) ThrowInvalidInput("reservoir capacity must be at least 1");
}

void ReservoirSample::Add(double value) {
  if (std::isnan(value)) ThrowInvalidInput("reservoir sample got NaN; count missing values before adding");
  ++seen_;
  if (values_.size() < capacity_) {
    values_.push_back(value);
    return;
  }
  const std::uint64_t slot = random_.Below(seen_);
  if (slot < capacity_) values_[slot] = value;
}

void ReservoirSample::Add(std::span<const double> values) {
  CheckNoNaN(values, "values");
  for (double v : values) Add(v);
}

void ReservoirSample::Merge(const ReservoirSample& other) {
  if (other.capacity_ != capacity_)
    ThrowInvalidInput("cannot merge reservoirs of capacity " + std::to_string(capacity_) + " and " +
                      std::to_string(other.capacity_));
  const std::uint64_t total = seen_ + other.seen_;
  const auto target = static_cast<std::size_t>(std::min<std::uint64_t>(capacity_, total));
  // Decide how many of the merged slots come from each side as if drawing
  // `target` values without replacement from the union, then take that many
  // at random from each reservoir (a uniform subset of a uniform sample).
  std::uint64_t left = seen_, right = other.seen_;
  std::size_t from_left = 0;
  for (std::size_t k = 0; k < target; ++k) {
    if (random_.Below(left + right) < left) {
      ++from_left;
      --left;
    } else {
      --right;
    }
  }
  auto pick = [&](std::vector<double> pool, std::size_t take) {
    for (std::size_t i = 0; i < take; ++i) {
      const std::size_t j = i + static_cast<std::size_t>(random_.Below(pool.size() - i));
      std::swap(pool[i], pool[j]);
    }
    pool.resize(take);
    return pool;
  };
  std::vector<double> merged = pick(values_, from_left);
  std::vector<double> right_part = pick(other.values_, target - from_left);
  merged.insert(merged.end(), right_part.begin(), right_part.end());
  values_ = std::move(merged);
  seen_ = total;
}

}  // namespace cairn::stats
