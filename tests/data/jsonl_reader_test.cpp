#include "cairn/data/jsonl_reader.h"

#include <gtest/gtest.h>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"

namespace cairn::data {
namespace {

void ExpectInvalid(std::string_view text, const std::string& fragment) {
  try {
    ReadJsonLinesText(text, "t.jsonl");
    ADD_FAILURE() << "expected an error containing: " << fragment;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
        << "message: " << error.what() << "\nexpected to contain: " << fragment;
  }
}

TEST(JsonLinesReader, KeysBecomeTypedColumnsInFirstSeenOrder) {
  Table table = ReadJsonLinesText(
      "{\"id\": 1, \"score\": 2, \"ok\": true, \"name\": \"a\", \"at\": \"2024-01-01T00:00:00Z\"}\r\n"
      "\n"
      "{\"score\": 2.5, \"id\": 2, \"name\": null, \"extra\": [1, 2], \"at\": \"2024-01-02\"}\n"
      "{\"id\": -3, \"ok\": false, \"name\": 7}",
      "t.jsonl");
  ASSERT_EQ(table.num_rows(), 3u);
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"id", "score", "ok", "name", "at", "extra"}));
  EXPECT_EQ(table.column("id").type(), ColumnType::kInteger);
  EXPECT_EQ(table.column("id").ints(), (std::vector<int64_t>{1, 2, -3}));
  EXPECT_EQ(table.column("score").type(), ColumnType::kFloat);
  EXPECT_EQ(table.column("score").floats()[1], 2.5);
  EXPECT_TRUE(table.column("score").IsNull(2));
  EXPECT_EQ(table.column("ok").type(), ColumnType::kBoolean);
  EXPECT_TRUE(table.column("ok").IsNull(1));
  EXPECT_EQ(table.column("name").type(), ColumnType::kCategorical);
  EXPECT_EQ(table.column("name").ValueText(0), "a");
  EXPECT_TRUE(table.column("name").IsNull(1));
  EXPECT_EQ(table.column("name").ValueText(2), "7");
  EXPECT_EQ(table.column("at").type(), ColumnType::kDatetime);
  EXPECT_EQ(table.column("at").ints()[1], *ParseUtc("2024-01-02"));
  EXPECT_EQ(table.column("extra").ValueText(1), "[1,2]");
  EXPECT_TRUE(table.column("extra").IsNull(0));
}

TEST(JsonLinesReader, Errors) {
  ExpectInvalid("{\"a\": 1}\n{\"a\": tru}\n", "t.jsonl:2: byte 10: malformed JSON");
  ExpectInvalid("{\"a\": 1}\n\n[1, 2]\n", "t.jsonl:3: expected a JSON object, found an array");
  ExpectInvalid("", "t.jsonl: the file is empty");
  ExpectInvalid("  \n\n", "t.jsonl: the file is empty");
  ExpectInvalid("{\"a\": \"\xFF\"}\n", "t.jsonl:1: byte");
}

}  // namespace
}  // namespace cairn::data
