#include "cairn/core/clock.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(Clock, FormatAndParseRoundTrip) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatUtc(1700000000123456), "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(ParseUtc("2023-11-14T22:13:20.123456Z"), 1700000000123456);
  EXPECT_EQ(ParseUtc("2024-02-29"), int64_t{1709164800} * 1000000);
  EXPECT_EQ(ParseUtc("2024-02-29 01:00"), int64_t{1709168400} * 1000000);
  EXPECT_EQ(ParseUtc("2024-02-29T03:00:00+02:00"), int64_t{1709168400} * 1000000);
  EXPECT_EQ(FormatUtc(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(Clock, RejectsMalformedDates) {
  EXPECT_FALSE(ParseUtc("2023-02-29"));
  EXPECT_FALSE(ParseUtc("2023-13-01"));
  EXPECT_FALSE(ParseUtc("2023-1-01"));
  EXPECT_FALSE(ParseUtc("hello"));
  EXPECT_FALSE(ParseUtc("2023-01-01T25:00"));
  EXPECT_FALSE(ParseUtc("2023-01-01x"));
  EXPECT_FALSE(ParseUtc("12"));
}

TEST(Clock, DurationsReadWell) {
  EXPECT_EQ(FormatDuration(0.25), "250ms");
  EXPECT_EQ(FormatDuration(1.5), "1.5s");
  EXPECT_EQ(FormatDuration(192), "3m12s");
  EXPECT_EQ(FormatDuration(3 * 3600 + 5 * 60), "3h05m");
  EXPECT_EQ(FormatDuration(182 * 86400.0), "182d00h");
}

}  // namespace
}  // namespace cairn
