#include "cairn/report/nice_ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "cairn/core/clock.h"
#include "cairn/report/markup.h"

namespace cairn::report {
namespace {

// Beyond this the axis arithmetic itself would overflow; no chart needs more.
constexpr double kLimit = 1e300;
constexpr double kMicrosPerSecond = 1e6;
constexpr double kSecondsPerDay = 86400;

struct Range {
  double min;
  double max;
};

Range CleanRange(double min, double max) {
  const bool min_ok = std::isfinite(min), max_ok = std::isfinite(max);
  if (!min_ok && !max_ok) return {0, 1};
  if (!min_ok) min = max;
  if (!max_ok) max = min;
  if (min > max) std::swap(min, max);
  min = std::clamp(min, -kLimit, kLimit);
  max = std::clamp(max, -kLimit, kLimit);
  if (max - min <= std::max(std::fabs(min), std::fabs(max)) * 1e-12) {
    // A constant: widen by a tenth of its size, or to +-1 around zero.
    const double pad = min == 0 ? 1 : std::fabs(min) * 0.1;
    return {min - pad, max + pad};
  }
  return {min, max};
}

// Ticks from `step`-aligned multiples covering [min, max].
void FillTicks(Ticks& ticks, double min, double max, double step) {
  ticks.step = step;
  const double first = std::floor(min / step + 1e-9);
  const double last = std::ceil(max / step - 1e-9);
  ticks.min = first * step;
  ticks.max = last * step;
  ticks.values.clear();
  for (double k = first; k <= last + 0.5; k += 1) ticks.values.push_back(k * step);
}

}  // namespace

int DecimalsFor(double step) {
  step = std::fabs(step);
  if (!std::isfinite(step) || step == 0) return 0;
  for (int decimals = 0; decimals < 12; ++decimals) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) <= scaled * 1e-6) return decimals;
  }
  return 12;
}

Ticks NiceTicks(double min, double max, int target) {
  const Range range = CleanRange(min, max);
  target = std::max(target, 2);
  const double raw = (range.max - range.min) / target;
  const double exponent = std::floor(std::log10(raw));
  const double magnitude = std::pow(10.0, exponent);
  double multiple = 10;
  for (const double candidate : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (candidate * magnitude >= raw * (1 - 1e-9)) {
      multiple = candidate;
      break;
    }
  }
  Ticks ticks;
  FillTicks(ticks, range.min, range.max, multiple * magnitude);
  ticks.decimals = DecimalsFor(ticks.step);
  return ticks;
}

Ticks TimeTicks(double min, double max, int target) {
  const Range range = CleanRange(min, max);
  target = std::max(target, 2);
  static constexpr double kSteps[] = {1,     2,     5,     10,    15,    30,    60,     120,    300,
                                      600,   900,   1800,  3600,  7200,  10800, 21600,  43200,  86400,
                                      172800, 604800, 1209600, 2592000, 7862400, 15724800, 31536000};
  const double raw = (range.max - range.min) / kMicrosPerSecond / target;
  for (const double seconds : kSteps) {
    if (seconds >= raw) {
      Ticks ticks;
      FillTicks(ticks, range.min, range.max, seconds * kMicrosPerSecond);
      ticks.decimals = 0;
      return ticks;
    }
  }
  // Spans of many years: round numbers of 365-day years.
  Ticks years = NiceTicks(range.min / (kMicrosPerSecond * 31536000), range.max / (kMicrosPerSecond * 31536000), target);
  Ticks ticks;
  FillTicks(ticks, range.min, range.max, std::max(1.0, std::round(years.step)) * 31536000 * kMicrosPerSecond);
  ticks.decimals = 0;
  return ticks;
}

Ticks MakeTicks(double min, double max, AxisFormat format, int target) {
  return format == AxisFormat::kTime ? TimeTicks(min, max, target) : NiceTicks(min, max, target);
}

std::string FormatTick(double value, const Ticks& ticks, AxisFormat format) {
  // Multiples of the step computed in floating point land a hair off zero.
  if (std::fabs(value) < std::fabs(ticks.step) * 1e-9) value = 0;
  switch (format) {
    case AxisFormat::kPercent:
      return FormatFixed(value * 100, std::max(0, ticks.decimals - 2)) + "%";
    case AxisFormat::kTime: {
      if (!std::isfinite(value) || std::fabs(value) > 2.5e17) return FormatFixed(value, 0);
      // FormatUtc gives "2026-11-24T21:49:05.123456Z"; keep as much as the step needs.
      const std::string text = FormatUtc(static_cast<int64_t>(std::llround(value)));
      const double seconds = ticks.step / kMicrosPerSecond;
      if (seconds >= kSecondsPerDay) return text.substr(0, 10);
      if (seconds >= 60) return text.substr(5, 5) + " " + text.substr(11, 5);
      return text.substr(11, 8);
    }
    case AxisFormat::kNumber:
      break;
  }
  const double magnitude = std::max(std::fabs(ticks.min), std::fabs(ticks.max));
  if (magnitude >= 1e5 && value == 0) return "0";
  if (magnitude >= 1e5) {
    static constexpr struct {
      double scale;
      const char* suffix;
    } kSuffixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    for (const auto& [scale, suffix] : kSuffixes) {
      if (magnitude >= scale && magnitude < scale * 1e3) {
        return FormatTrimmed(value / scale, DecimalsFor(ticks.step / scale)) + suffix;
      }
    }
    // Past the suffixes: scientific notation with enough digits to tell ticks apart.
    const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
    const double scale = std::pow(10.0, exponent);
    return FormatTrimmed(value / scale, DecimalsFor(ticks.step / scale)) + "e" + std::to_string(exponent);
  }
  return FormatFixed(value, ticks.decimals);
}

}  // namespace cairn::report
