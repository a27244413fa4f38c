#include "cairn/data/value_parsing.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>

namespace cairn::data {
namespace {

// The fast paths read eight bytes at a time past the field; they must stop at
// the field's end and agree with strtod/strtoll on every value.
TEST(ValueParsing, FastPathsAgreeWithTheCLibrary) {
  std::mt19937_64 random(11);
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    if (random() % 2) text += '-';
    int whole = static_cast<int>(random() % 12);
    for (int d = 0; d < whole; ++d) text += static_cast<char>('0' + random() % 10);
    int fraction = static_cast<int>(random() % 12);
    if (fraction > 0 || whole == 0) {
      text += '.';
      for (int d = 0; d < std::max(fraction, 1); ++d) text += static_cast<char>('0' + random() % 10);
    }
    // Digits after the field must be ignored.
    std::string buffer = text + "1234567890123456";
    const char* begin = buffer.data();
    const char* end = begin + text.size();
    double parsed;
    ASSERT_TRUE(ParseFloat(begin, end, parsed, begin + buffer.size())) << text;
    ASSERT_EQ(parsed, std::strtod(text.c_str(), nullptr)) << text;
    if (text.find('.') == std::string::npos && whole > 0) {
      int64_t integer;
      ASSERT_TRUE(ParseInteger(begin, end, integer, begin + buffer.size())) << text;
      ASSERT_EQ(integer, std::strtoll(text.c_str(), nullptr, 10)) << text;
    }
  }
}

TEST(ValueParsing, Rejects) {
  double value;
  int64_t integer;
  for (std::string text : {"", "-", "+", ".", "1e", "1.2.3", "12a", "--1", "+-1", " 1", "1 "}) {
    std::string buffer = text + "00000000";
    EXPECT_FALSE(ParseFloat(buffer.data(), buffer.data() + text.size(), value, buffer.data() + buffer.size()))
        << text;
    EXPECT_FALSE(ParseInteger(buffer.data(), buffer.data() + text.size(), integer, buffer.data() + buffer.size()))
        << text;
  }
  std::string twenty = "12345678901234567890";
  EXPECT_FALSE(ParseInteger(twenty.data(), twenty.data() + twenty.size(), integer));
  EXPECT_TRUE(ParseFloat(twenty.data(), twenty.data() + twenty.size(), value));
  EXPECT_EQ(value, 12345678901234567890.0);
  std::string exponent = "-1.5e-3";
  EXPECT_TRUE(ParseFloat(exponent.data(), exponent.data() + exponent.size(), value));
  EXPECT_EQ(value, -1.5e-3);
}

}  // namespace
}  // namespace cairn::data
