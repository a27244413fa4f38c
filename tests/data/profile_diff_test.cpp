#include "cairn/data/profile_diff.h"

#include <gtest/gtest.h>

#include "cairn/data/csv_reader.h"

namespace cairn::data {
namespace {

struct Version {
  Schema schema;
  Profile profile;
};

Version Load(std::string_view text) {
  Table table = ReadCsvText(text, {}, "v.csv");
  return {Schema::FromTable(table), ComputeProfile(table)};
}

TEST(DatasetDiff, ReportsSchemaAndStatisticChanges) {
  Version a = Load("id,age,city,gone\n1,30,Lyon,x\n2,40,Oslo,y\n3,50,Lyon,z\n");
  Version b = Load("id,age,city,new\n1,30.5,Lyon,1\n2,,Bern,2\n3,60,Lyon,3\n4,70,Bern,4\n");
  DatasetDiff diff = DiffDatasets(a.schema, a.profile, b.schema, b.profile);
  EXPECT_EQ(diff.rows_before, 3);
  EXPECT_EQ(diff.rows_after, 4);
  ASSERT_EQ(diff.added.size(), 1u);
  EXPECT_EQ(diff.added[0].name, "new");
  ASSERT_EQ(diff.removed.size(), 1u);
  EXPECT_EQ(diff.removed[0].name, "gone");
  ASSERT_EQ(diff.type_changes.size(), 1u);
  EXPECT_EQ(diff.type_changes[0].name, "age");
  EXPECT_EQ(diff.type_changes[0].after, ColumnType::kFloat);
  EXPECT_TRUE(diff.SchemaChanged());

  ASSERT_EQ(diff.columns.size(), 3u);
  const ColumnDiff& age = diff.columns[1];
  EXPECT_EQ(age.name, "age");
  auto find = [](const ColumnDiff& column, const std::string& name) -> const StatisticShift& {
    for (const auto& s : column.statistics) {
      if (s.statistic == name) return s;
    }
    throw std::runtime_error("no statistic " + name);
  };
  EXPECT_DOUBLE_EQ(find(age, "mean").before, 40.0);
  EXPECT_DOUBLE_EQ(find(age, "mean").after, (30.5 + 60 + 70) / 3);
  EXPECT_DOUBLE_EQ(find(age, "missing_rate").after, 0.25);
  EXPECT_TRUE(find(age, "max").Changed());
  const ColumnDiff& city = diff.columns[2];
  EXPECT_EQ(city.new_categories, std::vector<std::string>{"Bern"});
  EXPECT_EQ(city.vanished_categories, std::vector<std::string>{"Oslo"});

  Json json = diff.ToJson();
  EXPECT_EQ(json["rows"]["after"], 4);
  EXPECT_EQ(json["columns"][1]["statistics"]["mean"]["before"], 40.0);
  EXPECT_EQ(json["columns"][2]["new_categories"][0], "Bern");
  std::string text = diff.Render();
  EXPECT_NE(text.find("rows: 3 -> 4 (+1)"), std::string::npos) << text;
  EXPECT_NE(text.find("added column: new (integer)"), std::string::npos) << text;
  EXPECT_NE(text.find("removed column: gone (categorical)"), std::string::npos) << text;
  EXPECT_NE(text.find("type changed: age integer -> float"), std::string::npos) << text;
  EXPECT_NE(text.find("city: new categories: Bern"), std::string::npos) << text;
  EXPECT_NE(text.find("statistic"), std::string::npos) << text;
}

TEST(DatasetDiff, IdenticalVersionsShowNoChange) {
  Version a = Load("x,when\n1,2024-01-01\n2,2024-02-01\n");
  DatasetDiff diff = DiffDatasets(a.schema, a.profile, a.schema, a.profile);
  EXPECT_FALSE(diff.SchemaChanged());
  for (const auto& column : diff.columns) EXPECT_FALSE(column.Changed()) << column.name;
  EXPECT_NE(diff.Render().find("no column statistic changed"), std::string::npos);
}

TEST(DatasetDiff, DatetimeRangesRenderAsTimes) {
  Version a = Load("when\n2024-01-01\n2024-02-01\n");
  Version b = Load("when\n2024-01-01\n2024-03-01\n");
  DatasetDiff diff = DiffDatasets(a.schema, a.profile, b.schema, b.profile);
  std::string text = diff.Render();
  EXPECT_NE(text.find("2024-03-01T00:00:00"), std::string::npos) << text;
  EXPECT_EQ(diff.ToJson()["columns"][0]["statistics"]["max"]["after"].get<std::string>().substr(0, 10), "2024-03-01");
}

}  // namespace
}  // namespace cairn::data
