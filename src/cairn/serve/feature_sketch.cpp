#include "cairn/serve/feature_sketch.h"

#include <cmath>

namespace cairn::serve {

FeatureSketch::FeatureSketch(bool personal_data, size_t reservoir_capacity, uint64_t seed)
    : personal_data_(personal_data), sample_(reservoir_capacity, seed) {}

void FeatureSketch::AddNumber(double value, double weight) {
  count_ += weight;
  if (std::isnan(value)) {
    missing_ += weight;
    return;
  }
  if (personal_data_) return;
  sum_ += value * weight;
  sum_squares_ += value * value * weight;
  if (!has_value_ || value < min_) min_ = value;
  if (!has_value_ || value > max_) max_ = value;
  has_value_ = true;
  if (std::isfinite(value)) sample_.Add(value);
}

void FeatureSketch::AddText(std::string_view value, double weight) {
  text_ = true;
  count_ += weight;
  if (value.empty()) {
    missing_ += weight;
    return;
  }
  if (personal_data_) return;
  auto it = categories_.find(std::string(value));
  if (it != categories_.end()) {
    it->second += weight;
  } else if (categories_.size() < kMaxCategories) {
    categories_.emplace(std::string(value), weight);
  } else {
    other_ += weight;
  }
}

Json FeatureSketch::ToJson() const {
  Json out;
  if (personal_data_) {
    out["kind"] = "hashed";
    out["count"] = count_;
    out["missing"] = missing_;
    return out;
  }
  if (text_) {
    out["kind"] = "text";
    out["count"] = count_;
    out["missing"] = missing_;
    Json top = Json::object();
    for (const auto& [value, count] : categories_) top[value] = count;
    out["top"] = std::move(top);
    out["other"] = other_;
    return out;
  }
  const double present = count_ - missing_;
  out["kind"] = "numeric";
  out["count"] = count_;
  out["missing"] = missing_;
  if (present > 0 && has_value_) {
    const double mean = sum_ / present;
    const double variance = std::max(0.0, sum_squares_ / present - mean * mean);
    out["mean"] = mean;
    out["std"] = std::sqrt(variance);
    out["min"] = min_;
    out["max"] = max_;
  }
  out["sum"] = sum_;
  out["sum_squares"] = sum_squares_;
  Json sample = Json::array();
  for (double value : sample_.values()) sample.push_back(value);
  out["sample"] = std::move(sample);
  return out;
}

}  // namespace cairn::serve
