#include "cairn/core/text.h"

#include <gtest/gtest.h>

#include "cairn/core/text_table.h"

namespace cairn {
namespace {

TEST(Text, SplitTrimJoin) {
  EXPECT_EQ(Split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Trim("  x y \r\n"), "x y");
  EXPECT_EQ(Join({"a", "b"}, ", "), "a, b");
}

TEST(Text, ClosestMatchSuggestsTypos) {
  EXPECT_EQ(EditDistance("incme", "income"), 1u);
  EXPECT_EQ(ClosestMatch("incme", {"age", "income", "debt"}), "income");
  EXPECT_EQ(ClosestMatch("zzzzzz", {"age", "income"}), "");
}

TEST(Text, DoublesRoundTrip) {
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(std::stod(FormatDouble(1.0 / 3.0)), 1.0 / 3.0);
  EXPECT_EQ(FormatNumber(0.812345), "0.8123");
  EXPECT_EQ(FormatNumber(12), "12");
}

TEST(TextTable, AlignsColumns) {
  TextTable t({"name", "value"});
  t.AddRow({"auc", "0.9"});
  t.AddRow({"accuracy", "1"});
  EXPECT_EQ(t.Render(), "name      value\n--------  -----\nauc       0.9\naccuracy  1\n");
}

}  // namespace
}  // namespace cairn
