#include "cairn/data/table.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cairn/core/error.h"
#include "cairn/data/csv_reader.h"
#include "cairn/data/schema.h"
#include "cairn/data/table_reader.h"

namespace cairn::data {
namespace {

std::filesystem::path Fixture(const char* name) {
  return std::filesystem::path(CAIRN_SOURCE_DIR) / "tests/data/fixtures" / name;
}

TEST(Table, BuildsColumnsAndChecksShape) {
  Table table;
  Column ages("age", ColumnType::kInteger);
  ages.AppendInteger(30);
  ages.AppendNull();
  table.AddColumn(std::move(ages));
  Column towns("town", ColumnType::kCategorical);
  towns.AppendCategorical("Lyon");
  towns.AppendCategorical("Lyon");
  table.AddColumn(std::move(towns));
  EXPECT_EQ(table.num_rows(), 2u);
  EXPECT_EQ(table.column("town").dictionary().size(), 1u);
  EXPECT_EQ(table.NumericValue(0, 0), 30.0);
  EXPECT_TRUE(std::isnan(table.NumericValue(0, 1)));
  EXPECT_EQ(table.column(0).NullCount(), 1u);

  Column short_column("short", ColumnType::kFloat);
  short_column.AppendFloat(1.0);
  EXPECT_THROW(table.AddColumn(std::move(short_column)), Error);
  Column duplicate("age", ColumnType::kFloat);
  EXPECT_THROW(table.AddColumn(std::move(duplicate)), Error);
  try {
    table.ColumnIndex("tonw");
    ADD_FAILURE() << "expected kNotFound";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    EXPECT_EQ(std::string(error.what()), "no column 'tonw'; did you mean 'town'?");
  }
}

TEST(Schema, FromTableAndJsonRoundTrip) {
  Table table = ReadCsvText("a,b,c,d,e\n1,x,true,2024-01-01,\n2,,false,2024-01-02,1.5\n", {}, "s.csv");
  Schema schema = Schema::FromTable(table);
  ASSERT_EQ(schema.columns.size(), 5u);
  EXPECT_EQ(schema.columns[0], (ColumnSchema{"a", ColumnType::kInteger, false}));
  EXPECT_EQ(schema.columns[1], (ColumnSchema{"b", ColumnType::kCategorical, true}));
  EXPECT_EQ(schema.columns[2].type, ColumnType::kBoolean);
  EXPECT_EQ(schema.columns[3].type, ColumnType::kDatetime);
  EXPECT_EQ(schema.columns[4], (ColumnSchema{"e", ColumnType::kFloat, true}));
  Json json = schema.ToJson();
  EXPECT_EQ(json["columns"][1]["type"], "categorical");
  EXPECT_EQ(Schema::FromJson(Json::parse(json.dump())), schema);
  EXPECT_THROW(Schema::FromJson(Json::parse(R"({"columns": [{"name": "a", "type": "text"}]})")), Error);
}

TEST(ColumnTypeNames, RoundTrip) {
  for (ColumnType type : {ColumnType::kInteger, ColumnType::kFloat, ColumnType::kBoolean, ColumnType::kCategorical,
                          ColumnType::kDatetime}) {
    EXPECT_EQ(ParseColumnType(ColumnTypeName(type)), type);
  }
  EXPECT_THROW(ParseColumnType("string"), Error);
}

TEST(TableReader, ChoosesFormatByExtension) {
  Table tsv = ReadTableFile(Fixture("sample.tsv"));
  EXPECT_EQ(tsv.column_names(), (std::vector<std::string>{"id", "name", "score"}));
  EXPECT_TRUE(tsv.column("score").IsNull(1));
  Table jsonl = ReadTableFile(Fixture("sample.jsonl"));
  EXPECT_EQ(jsonl.num_rows(), 2u);
  EXPECT_EQ(jsonl.column("extra").ValueText(1), "x");
  EXPECT_EQ(TableFormatOf("a/b.NDJSON"), TableFormat::kJsonLines);
  Table csv = ReadTableFile(Fixture("quoted.csv"));
  EXPECT_EQ(csv.num_columns(), 3u);
}

}  // namespace
}  // namespace cairn::data
