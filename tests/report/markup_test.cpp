#include "cairn/report/markup.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace cairn::report {
namespace {

TEST(EscapeMarkup, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeMarkup("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
  EXPECT_EQ(EscapeMarkup("plain text"), "plain text");
  EXPECT_EQ(EscapeMarkup(""), "");
}

TEST(EscapeMarkup, KeepsUtf8AndReplacesWhatXmlForbids) {
  EXPECT_EQ(EscapeMarkup("caf\xC3\xA9 \xE2\x89\xA5 0.5"), "caf\xC3\xA9 \xE2\x89\xA5 0.5");
  EXPECT_EQ(EscapeMarkup("a\tb\nc"), "a\tb\nc");
  EXPECT_EQ(EscapeMarkup(std::string("a\x01" "b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(EscapeMarkup(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(EscapeMarkup("bad \xFF byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(EscapeMarkup("cut \xE2\x89"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(EscapeMarkup("overlong \xC0\xAF"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(EscapeMarkup("surrogate \xED\xA0\x80"), "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(FormatFixed, IsFixedAndNeverNonFinite) {
  EXPECT_EQ(FormatFixed(0.5, 2), "0.50");
  EXPECT_EQ(FormatFixed(1234.5678, 1), "1234.6");
  EXPECT_EQ(FormatFixed(3, 0), "3");
  EXPECT_EQ(FormatFixed(-0.001, 2), "0.00");
  EXPECT_EQ(FormatFixed(-0.0, 0), "0");
  EXPECT_EQ(FormatFixed(-2.5, 2), "-2.50");
  EXPECT_EQ(FormatFixed(std::nan(""), 2), "0.00");
  EXPECT_EQ(FormatFixed(std::numeric_limits<double>::infinity(), 2), "0.00");
  EXPECT_EQ(FormatTrimmed(0.50, 3), "0.5");
  EXPECT_EQ(FormatTrimmed(2.0, 3), "2");
  EXPECT_EQ(FormatTrimmed(-0.0001, 2), "0");
}

}  // namespace
}  // namespace cairn::report
