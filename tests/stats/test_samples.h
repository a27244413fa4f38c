// Deterministic samples for the stats tests, drawn from cairn's own seeded
// generator so that every run and every platform sees the same numbers.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "cairn/stats/random.h"

namespace cairn::stats::testing {

inline std::vector<double> NormalSample(std::size_t n, double mean, double sd, std::uint64_t seed) {
  Random random(seed);
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u1 = 1.0 - random.Uniform();  // in (0, 1]
    const double u2 = random.Uniform();
    values[i] = mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  return values;
}

inline std::vector<double> RoundedTo(std::vector<double> values, double step) {
  for (double& v : values) v = std::round(v / step) * step;
  return values;
}

inline std::vector<double> ExponentialSample(std::size_t n, double rate, std::uint64_t seed) {
  Random random(seed);
  std::vector<double> values(n);
  for (double& v : values) v = -std::log(1.0 - random.Uniform()) / rate;
  return values;
}

inline double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace cairn::stats::testing
