// Axis ticks at round numbers (steps of 1, 2, 2.5 or 5 times a power of ten, or
// whole seconds, minutes, hours and days for time axes) and their labels.
#pragma once

#include <string>
#include <vector>

namespace cairn::report {

enum class AxisFormat {
  kNumber,   // 0.25, 1200, 3.5M
  kPercent,  // values are fractions: 0.25 -> "25%"
  kTime,     // values are UTC microseconds: "2026-11-24", "11-24 13:00"
};

struct Ticks {
  double min = 0;     // the axis range, widened out to whole steps
  double max = 1;
  double step = 0.2;
  int decimals = 1;   // digits after the point that tell neighbouring ticks apart
  std::vector<double> values;  // from min to max inclusive
};

// About `target` ticks covering [min, max]. Non-finite bounds are ignored (a
// range with none left becomes [0, 1]); an empty range is widened around its
// value so that a single point or a constant series still gets an axis.
Ticks NiceTicks(double min, double max, int target = 5);

// The same for UTC microseconds, with steps a person would pick for a calendar.
Ticks TimeTicks(double min, double max, int target = 5);

// The fewest digits after the point that write every multiple of `step` exactly (0 to 12).
int DecimalsFor(double step);

Ticks MakeTicks(double min, double max, AxisFormat format, int target = 5);

// The label of one tick: fixed decimals from `ticks`, k/M/G suffixes for large
// numbers, percentages, or a date and time as precise as the step needs.
std::string FormatTick(double value, const Ticks& ticks, AxisFormat format = AxisFormat::kNumber);

}  // namespace cairn::report
