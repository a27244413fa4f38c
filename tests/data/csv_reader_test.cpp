#include "cairn/data/csv_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"

namespace cairn::data {
namespace {

Table Read(std::string_view text, const CsvOptions& options = {}) { return ReadCsvText(text, options, "t.csv"); }

// Reads `text`, expecting kInvalidInput with a message that contains `fragment`.
void ExpectInvalid(std::string_view text, const std::string& fragment, const CsvOptions& options = {}) {
  SCOPED_TRACE(std::string(text.substr(0, 80)));
  try {
    Read(text, options);
    ADD_FAILURE() << "expected an error containing: " << fragment;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
        << "message: " << error.what() << "\nexpected to contain: " << fragment;
  }
}

TEST(CsvReader, ReadsTypedColumns) {
  Table table = Read(
      "id,score,ok,when,city\n"
      "1,0.5,true,2024-01-02,Paris\n"
      "2,-1e3,FALSE,2024-01-03T10:20:30Z,Oslo\n"
      "-3,7,True,2024-02-29 08:00,Paris\n");
  ASSERT_EQ(table.num_rows(), 3u);
  ASSERT_EQ(table.num_columns(), 5u);
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"id", "score", "ok", "when", "city"}));
  EXPECT_EQ(table.column("id").type(), ColumnType::kInteger);
  EXPECT_EQ(table.column("id").ints(), (std::vector<int64_t>{1, 2, -3}));
  EXPECT_EQ(table.column("score").type(), ColumnType::kFloat);
  EXPECT_EQ(table.column("score").floats(), (std::vector<double>{0.5, -1000.0, 7.0}));
  EXPECT_EQ(table.column("ok").type(), ColumnType::kBoolean);
  EXPECT_EQ(table.column("ok").bools(), (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(table.column("when").type(), ColumnType::kDatetime);
  EXPECT_EQ(table.column("when").ints()[1], *ParseUtc("2024-01-03T10:20:30Z"));
  EXPECT_EQ(table.column("when").ValueText(0), FormatUtc(*ParseUtc("2024-01-02")));
  const Column& city = table.column("city");
  EXPECT_EQ(city.type(), ColumnType::kCategorical);
  EXPECT_EQ(city.dictionary(), (std::vector<std::string>{"Paris", "Oslo"}));
  EXPECT_EQ(city.codes(), (std::vector<int32_t>{0, 1, 0}));
  EXPECT_EQ(table.NumericValue(1, 1), -1000.0);
}

TEST(CsvReader, InfersTypesAcrossMixedValues) {
  Table table = Read(
      "a,b,c,d,e,f\n"
      "1,1,true,2024-01-01,,x\n"
      "2.5,x,1,abc,,1\n"
      "9223372036854775807,3,false,2024-01-02,,2\n");
  EXPECT_EQ(table.column("a").type(), ColumnType::kFloat);  // integers widen to float
  EXPECT_EQ(table.column("a").floats()[0], 1.0);
  EXPECT_EQ(table.column("b").type(), ColumnType::kCategorical);
  // Text survives even for rows parsed as numbers before the column turned out to be text.
  EXPECT_EQ(table.column("b").ValueText(0), "1");
  EXPECT_EQ(table.column("b").ValueText(2), "3");
  EXPECT_EQ(table.column("c").type(), ColumnType::kCategorical);
  EXPECT_EQ(table.column("c").ValueText(0), "true");
  EXPECT_EQ(table.column("d").type(), ColumnType::kCategorical);
  EXPECT_EQ(table.column("d").ValueText(0), "2024-01-01");
  // An all-missing column is float with every value null.
  EXPECT_EQ(table.column("e").type(), ColumnType::kFloat);
  EXPECT_EQ(table.column("e").NullCount(), 3u);
  EXPECT_TRUE(std::isnan(table.NumericValue(4, 0)));
  EXPECT_EQ(table.column("f").type(), ColumnType::kCategorical);
  EXPECT_EQ(table.column("f").ValueText(1), "1");
}

TEST(CsvReader, LargeIntegersAndSpecialFloats) {
  Table table = Read("big,small,f\n9223372036854775807,-9223372036854775808,+1.5\n1,2,inf\n");
  EXPECT_EQ(table.column("big").type(), ColumnType::kInteger);
  EXPECT_EQ(table.column("big").ints()[0], INT64_MAX);
  EXPECT_EQ(table.column("small").ints()[0], INT64_MIN);
  EXPECT_EQ(table.column("f").floats()[0], 1.5);
  EXPECT_TRUE(std::isinf(table.column("f").floats()[1]));
  Table overflow = Read("n\n9223372036854775808\n");
  EXPECT_EQ(overflow.column("n").type(), ColumnType::kFloat);
}

TEST(CsvReader, Quoting) {
  Table table = Read(
      "name,note,n\r\n"
      "\"Smith, John\",\"said \"\"hi\"\"\",1\r\n"
      "\"multi\nline\",\"\",\"2\"\r\n"
      "plain,\"a\r\nb\",3");
  ASSERT_EQ(table.num_rows(), 3u);
  const Column& name = table.column("name");
  EXPECT_EQ(name.ValueText(0), "Smith, John");
  EXPECT_EQ(name.ValueText(1), "multi\nline");
  EXPECT_EQ(name.ValueText(2), "plain");
  const Column& note = table.column("note");
  EXPECT_EQ(note.ValueText(0), "said \"hi\"");
  EXPECT_TRUE(note.IsNull(1));  // "" is the empty missing marker
  EXPECT_EQ(note.ValueText(2), "a\r\nb");
  EXPECT_EQ(table.column("n").type(), ColumnType::kInteger);
  EXPECT_EQ(table.column("n").ints(), (std::vector<int64_t>{1, 2, 3}));
}

TEST(CsvReader, QuotedHeaderAndTrailingEmptyField) {
  Table table = Read("\"a,b\",\"c\"\"d\",e\n1,2,\n");
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"a,b", "c\"d", "e"}));
  EXPECT_TRUE(table.column("e").IsNull(0));
}

TEST(CsvReader, ByteOrderMarkBlankLinesAndNoFinalNewline) {
  Table table = Read("\xEF\xBB\xBFx,y\n\n1,2\n\r\n3,4");
  EXPECT_EQ(table.column_names()[0], "x");
  EXPECT_EQ(table.column("y").ints(), (std::vector<int64_t>{2, 4}));
}

TEST(CsvReader, CustomDelimiterAndMissingMarkers) {
  CsvOptions options;
  options.delimiter = ';';
  options.missing_markers = {"?", "-"};
  Table table = Read("a;b\n1,5;?\n-;x\n", options);
  EXPECT_EQ(table.column("a").type(), ColumnType::kCategorical);
  EXPECT_EQ(table.column("a").ValueText(0), "1,5");
  EXPECT_TRUE(table.column("a").IsNull(1));
  EXPECT_TRUE(table.column("b").IsNull(0));
  // "" is no longer a marker here, so an empty field is an empty string.
  Table empty = Read("a;b\n;1\n", options);
  EXPECT_EQ(empty.column("a").type(), ColumnType::kCategorical);
  EXPECT_FALSE(empty.column("a").IsNull(0));
  options.delimiter = '\t';
  options.missing_markers = CsvOptions{}.missing_markers;
  Table tabs = Read("a\tb\n1\tNA\n2\t3.5\n", options);
  EXPECT_EQ(tabs.column("b").type(), ColumnType::kFloat);
  EXPECT_TRUE(tabs.column("b").IsNull(0));
}

TEST(CsvReader, DefaultMissingMarkers) {
  Table table = Read("v\n1\nNA\nN/A\nNaN\nnan\nnull\nNULL\nNone\n\"\"\n2\n");
  EXPECT_EQ(table.column("v").type(), ColumnType::kInteger);
  EXPECT_EQ(table.column("v").NullCount(), 8u);
  EXPECT_EQ(table.num_rows(), 10u);
}

TEST(CsvReader, WithoutHeader) {
  CsvOptions options;
  options.has_header = false;
  Table table = Read("1,a\n2,b\n", options);
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"column_1", "column_2"}));
  EXPECT_EQ(table.num_rows(), 2u);
}

TEST(CsvReader, HeaderOnlyGivesEmptyColumns) {
  Table table = Read("a,b\n");
  EXPECT_EQ(table.num_columns(), 2u);
  EXPECT_EQ(table.num_rows(), 0u);
}

TEST(CsvReader, UnknownColumnSuggestsClosest) {
  Table table = Read("income,age\n1,2\n");
  try {
    table.column("incme");
    ADD_FAILURE() << "expected kNotFound";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(error.what()).find("did you mean 'income'"), std::string::npos) << error.what();
  }
}

TEST(CsvReaderErrors, RaggedRows) {
  ExpectInvalid("a,b,c\n1,2,3\n4,5\n", "t.csv:3: column 3 ('c'): row has 2 fields, header has 3");
  ExpectInvalid("a,b,c\n1,2,3\n1,2,3\n4,5,6,7,8\n", "t.csv:4: column 4: row has 5 fields, header has 3");
  // The line is where the record starts, counting lines inside quoted fields.
  ExpectInvalid("a,b\n\"x\ny\",1\n2\n", "t.csv:4: column 2 ('b'): row has 1 fields, header has 2");
}

TEST(CsvReaderErrors, UnterminatedQuoteNamesWhereItOpened) {
  ExpectInvalid("a,b\n1,2\n3,\"open\n4,5\n6,7\n", "t.csv:3: column 2 ('b'): the quote that opens here is never closed");
}

TEST(CsvReaderErrors, InvalidUtf8) {
  ExpectInvalid("a,b\n1,ok\n2,ab\xFF" "c\n", "t.csv:3: column 2 ('b'), byte 5: invalid UTF-8");
  ExpectInvalid("a,b\n1,\"x\xC3\"\n", "t.csv:2: column 2 ('b'), byte 5: invalid UTF-8");  // truncated sequence
  ExpectInvalid("a,b\n1,\xED\xA0\x80\n", "t.csv:2: column 2 ('b'), byte 3: invalid UTF-8");  // surrogate
  Table valid = Read("a\nZürich\n東京\n🙂\n");
  EXPECT_EQ(valid.column("a").ValueText(1), "東京");
}

TEST(CsvReaderErrors, EmptyFile) {
  ExpectInvalid("", "t.csv: the file is empty; expected a header row");
  ExpectInvalid("\n\r\n", "t.csv: the file is empty");
  ExpectInvalid("\xEF\xBB\xBF", "t.csv: the file is empty");
}

TEST(CsvReaderErrors, BadHeader) {
  ExpectInvalid("a,b,a\n1,2,3\n", "t.csv:1: column 3: duplicate column name 'a' (also column 1)");
  ExpectInvalid("a,,c\n1,2,3\n", "t.csv:1: column 2: empty column name");
}

TEST(CsvReaderErrors, QuoteInsideUnquotedField) {
  ExpectInvalid("a,b\n1,2\n3,ab\"c\n", "t.csv:3: column 2 ('b'): quote inside an unquoted field");
  ExpectInvalid("a,b\n\"x\"y,2\n", "t.csv:2: column 1 ('a'): unexpected character after a closing quote");
}

TEST(CsvReaderErrors, BadDelimiter) {
  CsvOptions options;
  options.delimiter = '"';
  ExpectInvalid("a\n1\n", "delimiter", options);
}

// Builds a CSV big enough to be split into chunks, with quoted newlines,
// quotes and columns whose type only shows late in the file.
std::string LargeCsv(size_t rows) {
  std::mt19937_64 random(7);
  std::string text = "id,x,label,late,notes,flag\n";
  for (size_t i = 0; i < rows; ++i) {
    text += std::to_string(i) + ",";
    text += (i % 97 == 0) ? "" : std::to_string(static_cast<double>(random() % 100000) / 64.0);
    text += ",";
    text += (i % 3 == 0) ? "red" : "\"blue, \"\"dark\"\"\"";
    text += ",";
    text += (i == rows - 5) ? "word" : std::to_string(i % 11);
    text += ",";
    text += (i % 5 == 0) ? "\"line one\nline two\"" : "plain";
    text += ",";
    text += (i % 2 == 0) ? "true" : "false";
    text += (i % 7 == 0) ? "\r\n" : "\n";
  }
  return text;
}

TEST(CsvReader, ParallelChunksMatchSingleThread) {
  std::string text = LargeCsv(60000);
  ASSERT_GT(text.size(), 2u << 20);
  CsvOptions single;
  single.threads = 1;
  CsvOptions parallel;
  parallel.threads = 4;
  Table a = Read(text, single);
  Table b = Read(text, parallel);
  ASSERT_EQ(a.num_rows(), 60000u);
  ASSERT_EQ(b.num_rows(), 60000u);
  for (size_t c = 0; c < a.num_columns(); ++c) {
    ASSERT_EQ(a.column(c).type(), b.column(c).type()) << a.column(c).name();
    for (size_t row = 0; row < a.num_rows(); ++row) {
      ASSERT_EQ(a.column(c).ValueText(row), b.column(c).ValueText(row)) << a.column(c).name() << " row " << row;
    }
  }
  EXPECT_EQ(b.column("late").type(), ColumnType::kCategorical);
  EXPECT_EQ(b.column("late").ValueText(59995), "word");
  EXPECT_EQ(b.column("late").ValueText(12), "1");
  EXPECT_EQ(b.column("label").ValueText(1), "blue, \"dark\"");
  EXPECT_EQ(b.column("notes").ValueText(5), "line one\nline two");
  EXPECT_EQ(b.column("x").type(), ColumnType::kFloat);
  EXPECT_EQ(b.column("flag").type(), ColumnType::kBoolean);
  EXPECT_EQ(b.column("x").NullCount(), (60000u + 96) / 97);
}

TEST(CsvReaderErrors, ParallelReportsFirstErrorInFileOrder) {
  std::string text = LargeCsv(60000);
  // Break a row near the end, then a stray quote later still: the ragged row comes first.
  size_t cut = text.rfind("false\n", text.size() - 3000) + 5;
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(cut) + 1, '\n'));
  text.insert(cut + 1, "1,2\n");
  text.insert(text.size() - 200, "x\"y");
  CsvOptions options;
  options.threads = 4;
  ExpectInvalid(text, "t.csv:" + std::to_string(line) + ": column 3 ('label'): row has 2 fields, header has 6",
                options);
}

TEST(CsvReader, ReadsFileAndReportsMissingFile) {
  std::filesystem::path fixture = std::filesystem::path(CAIRN_SOURCE_DIR) / "tests/data/fixtures/quoted.csv";
  Table table = ReadCsvFile(fixture);
  EXPECT_EQ(table.num_rows(), 3u);
  EXPECT_EQ(table.column("comment").ValueText(1), "needs \"care\", later");
  try {
    ReadCsvFile("/nonexistent/credit.csv");
    ADD_FAILURE() << "expected kNotFound";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(error.what()).find("/nonexistent/credit.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace cairn::data
