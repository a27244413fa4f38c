#include "cairn/report/nice_ticks.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cairn/core/clock.h"

namespace cairn::report {
namespace {

std::vector<std::string> Labels(const Ticks& ticks, AxisFormat format = AxisFormat::kNumber) {
  std::vector<std::string> labels;
  for (double value : ticks.values) labels.push_back(FormatTick(value, ticks, format));
  return labels;
}

using Strings = std::vector<std::string>;

TEST(NiceTicks, UnitInterval) {
  const Ticks ticks = NiceTicks(0, 1);
  EXPECT_DOUBLE_EQ(ticks.step, 0.2);
  EXPECT_EQ(Labels(ticks), (Strings{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  EXPECT_EQ(Labels(ticks, AxisFormat::kPercent), (Strings{"0%", "20%", "40%", "60%", "80%", "100%"}));
}

TEST(NiceTicks, WidensToWholeSteps) {
  const Ticks ticks = NiceTicks(-3.7, 12.2);
  EXPECT_DOUBLE_EQ(ticks.step, 5);
  EXPECT_EQ(Labels(ticks), (Strings{"-5", "0", "5", "10", "15"}));
  EXPECT_LE(ticks.min, -3.7);
  EXPECT_GE(ticks.max, 12.2);
}

TEST(NiceTicks, QuarterSteps) {
  const Ticks ticks = NiceTicks(0, 1.1, 5);
  EXPECT_DOUBLE_EQ(ticks.step, 0.25);
  EXPECT_EQ(ticks.decimals, 2);
  EXPECT_EQ(Labels(ticks), (Strings{"0.00", "0.25", "0.50", "0.75", "1.00", "1.25"}));
}

TEST(NiceTicks, SmallAndLargeNumbers) {
  EXPECT_EQ(Labels(NiceTicks(0.0012, 0.0049)), (Strings{"0.001", "0.002", "0.003", "0.004", "0.005"}));
  EXPECT_EQ(Labels(NiceTicks(0, 2.4e6)), (Strings{"0", "0.5M", "1M", "1.5M", "2M", "2.5M"}));
  EXPECT_EQ(Labels(NiceTicks(0, 4.5e5)), (Strings{"0", "100k", "200k", "300k", "400k", "500k"}));
  EXPECT_EQ(Labels(NiceTicks(0, 3e9)), (Strings{"0", "1G", "2G", "3G"}));
  EXPECT_EQ(Labels(NiceTicks(0, 4e16)).back(), "4e16");
}

TEST(NiceTicks, DegenerateRangesStillGiveAnAxis) {
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {5, 5}, {0, 0}, {-2, -2}, {NAN, NAN}, {NAN, 3}, {INFINITY, -INFINITY}, {1e300, 1e300}, {1, 0}}) {
    const Ticks ticks = NiceTicks(lo, hi);
    EXPECT_GE(ticks.values.size(), 2u) << lo << " " << hi;
    EXPECT_LT(ticks.min, ticks.max) << lo << " " << hi;
    EXPECT_TRUE(std::isfinite(ticks.min) && std::isfinite(ticks.max) && std::isfinite(ticks.step));
    if (std::isfinite(lo)) {
      EXPECT_LE(ticks.min, lo);
      EXPECT_GE(ticks.max, lo);
    }
  }
  EXPECT_EQ(Labels(NiceTicks(NAN, NAN)), (Strings{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(NiceTicks, TimeAxes) {
  // Day steps fall on multiples of the step since 1970-01-01, so two-day ticks land on even days.
  const int64_t start = *ParseUtc("2026-03-02");
  const int64_t day = 86400LL * 1000000;
  const Ticks days = TimeTicks(static_cast<double>(start), static_cast<double>(start + 6 * day));
  EXPECT_DOUBLE_EQ(days.step, static_cast<double>(2 * day));
  EXPECT_EQ(Labels(days, AxisFormat::kTime), (Strings{"2026-03-02", "2026-03-04", "2026-03-06", "2026-03-08"}));
  const Ticks hours = TimeTicks(static_cast<double>(start), static_cast<double>(start + day / 2));
  EXPECT_EQ(FormatTick(hours.values[1], hours, AxisFormat::kTime), "03-02 03:00");
}

}  // namespace
}  // namespace cairn::report
