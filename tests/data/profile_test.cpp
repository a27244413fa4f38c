#include "cairn/data/profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "cairn/core/error.h"
#include "cairn/data/csv_reader.h"
#include "cairn/data/schema.h"

namespace cairn::data {
namespace {

namespace fs = std::filesystem;

// A few hundred rows with missing values, negatives, a constant column, large
// magnitudes, tiny magnitudes, many zeros, categories, booleans and dates.
std::string MixedCsv() {
  std::mt19937_64 random(20240611);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_int_distribution<int> small(-1000, 1000);
  std::string text = "count,amount,balance,constant,tiny,sparse,city,active,opened\n";
  const char* cities[] = {"Lyon", "Oslo", "Porto", "Graz", "Turku", "Bern"};
  char buffer[64];
  for (int i = 0; i < 437; ++i) {
    text += (i % 13 == 5) ? "" : std::to_string(small(random));
    text += ",";
    std::snprintf(buffer, sizeof buffer, "%.6f", normal(random) * 1234.5 - 200.0);
    text += (i % 17 == 3) ? "NA" : buffer;
    text += ",";
    std::snprintf(buffer, sizeof buffer, "%.2f", 1.0e12 + normal(random) * 5.0e6);
    text += buffer;
    text += ",42.5,";
    std::snprintf(buffer, sizeof buffer, "%.9e", std::fabs(normal(random)) * 1e-8);
    text += buffer;
    text += ",";
    text += (i % 4 == 0) ? std::to_string(static_cast<int>(random() % 50)) : "0";
    text += ",";
    text += (i % 11 == 7) ? "" : cities[random() % (i < 200 ? 4 : 6)];
    text += ",";
    text += (random() % 3 == 0) ? "false" : "true";
    text += ",";
    std::snprintf(buffer, sizeof buffer, "2023-%02d-%02d", 1 + static_cast<int>(random() % 12),
                  1 + static_cast<int>(random() % 28));
    text += (i % 19 == 0) ? "" : buffer;
    text += "\n";
  }
  return text;
}

std::string RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[4096];
  size_t got;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  int status = pclose(pipe);
  if (status != 0) output.clear();
  return output;
}

void ExpectClose(double actual, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": " << actual;
    return;
  }
  double tolerance = 1e-9 * std::max(std::fabs(actual), std::fabs(expected)) + 1e-300;
  EXPECT_LE(std::fabs(actual - expected), tolerance) << what << ": cairn " << actual << ", pandas " << expected;
}

class ProfileAgainstPandas : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn-profile-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    csv_ = dir_ / "mixed.csv";
    std::ofstream(csv_) << MixedCsv();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path csv_;
};

TEST_F(ProfileAgainstPandas, NumbersMatch) {
  fs::path script = fs::path(CAIRN_SOURCE_DIR) / "tests/data/profile_reference.py";
  std::string output = RunCommand("/usr/bin/python3 '" + script.string() + "' '" + csv_.string() + "'");
  ASSERT_FALSE(output.empty()) << "/usr/bin/python3 with pandas and numpy is needed for this test";
  Json reference = Json::parse(output);
  Profile profile = ComputeProfile(ReadCsvFile(csv_));

  ASSERT_EQ(profile.rows, reference["rows"].get<int64_t>());
  ASSERT_EQ(profile.columns.size(), reference["columns"].size());
  size_t numeric_columns = 0;
  for (const auto& column : profile.columns) {
    SCOPED_TRACE(column.name);
    const Json& expected = reference["columns"][column.name];
    EXPECT_EQ(column.count, expected["count"].get<int64_t>());
    EXPECT_EQ(column.missing, expected["missing"].get<int64_t>());
    EXPECT_EQ(column.distinct, expected["distinct"].get<int64_t>());
    if (expected.contains("mean")) {
      ASSERT_TRUE(column.numeric.has_value());
      ++numeric_columns;
      const NumericSummary& s = *column.numeric;
      ExpectClose(s.min, expected["min"].get<double>(), "min");
      ExpectClose(s.max, expected["max"].get<double>(), "max");
      ExpectClose(s.mean, expected["mean"].get<double>(), "mean");
      ExpectClose(s.std, expected["std"].get<double>(), "std");
      EXPECT_EQ(s.zeros, expected["zeros"].get<int64_t>());
      ASSERT_EQ(s.quantiles.size(), expected["quantiles"].size());
      for (size_t i = 0; i < s.quantiles.size(); ++i) {
        ExpectClose(s.quantiles[i].second, expected["quantiles"][i].get<double>(),
                    "quantile " + std::to_string(s.quantiles[i].first));
      }
      auto counts = expected["histogram_counts"].get<std::vector<int64_t>>();
      auto edges = expected["histogram_edges"].get<std::vector<double>>();
      if (s.min == s.max) {
        // A constant column is one bin holding every value, where NumPy widens the range instead.
        EXPECT_EQ(s.histogram.counts, std::vector<int64_t>{column.count});
        EXPECT_EQ(s.histogram.edges, (std::vector<double>{s.min, s.max}));
        EXPECT_EQ(s.std, 0.0);
      } else {
        EXPECT_EQ(s.histogram.counts, counts);
        ASSERT_EQ(s.histogram.edges.size(), edges.size());
        for (size_t i = 0; i < edges.size(); ++i) ExpectClose(s.histogram.edges[i], edges[i], "edge");
      }
    }
    if (expected.contains("top") && !column.top.empty()) {
      ASSERT_EQ(column.top.size(), expected["top"].size());
      for (size_t i = 0; i < column.top.size(); ++i) {
        EXPECT_EQ(column.top[i].value, expected["top"][i][0].get<std::string>());
        EXPECT_EQ(column.top[i].count, expected["top"][i][1].get<int64_t>());
      }
    }
  }
  EXPECT_EQ(numeric_columns, 6u);
  EXPECT_EQ(profile.Find("opened")->type, ColumnType::kDatetime);
  EXPECT_EQ(profile.Find("active")->type, ColumnType::kBoolean);
}

TEST(Profile, CountsAddUp) {
  Table table = ReadCsvText(MixedCsv(), {}, "mixed.csv");
  Profile profile = ComputeProfile(table);
  for (const auto& column : profile.columns) {
    SCOPED_TRACE(column.name);
    EXPECT_EQ(column.count + column.missing, profile.rows);
    EXPECT_LE(column.distinct, column.count);
    if (column.numeric) {
      int64_t binned = 0;
      for (int64_t count : column.numeric->histogram.counts) binned += count;
      EXPECT_EQ(binned, column.count);
      EXPECT_LE(column.numeric->min, column.numeric->quantiles.front().second);
      EXPECT_GE(column.numeric->max, column.numeric->quantiles.back().second);
      for (size_t i = 1; i < column.numeric->quantiles.size(); ++i) {
        EXPECT_LE(column.numeric->quantiles[i - 1].second, column.numeric->quantiles[i].second);
      }
    }
    if (!column.top.empty()) {
      int64_t in_top = 0;
      for (const auto& entry : column.top) in_top += entry.count;
      if (column.distinct <= static_cast<int64_t>(kTopCategories)) {
        EXPECT_EQ(in_top, column.count);
      }
    }
  }
}

TEST(Profile, JsonRoundTripIsExact) {
  Table table = ReadCsvText(MixedCsv() + ",,,42.5,inf,,,,\n", {}, "mixed.csv");
  Profile profile = ComputeProfile(table);
  Json json = profile.ToJson();
  Profile back = Profile::FromJson(Json::parse(json.dump()));
  EXPECT_EQ(back.ToJson().dump(), json.dump());
  ASSERT_EQ(back.columns.size(), profile.columns.size());
  for (size_t i = 0; i < profile.columns.size(); ++i) {
    const auto& a = profile.columns[i];
    const auto& b = back.columns[i];
    ASSERT_EQ(a.numeric.has_value(), b.numeric.has_value());
    if (!a.numeric) continue;
    auto same = [](double x, double y) {
      return (std::isnan(x) && std::isnan(y)) || std::memcmp(&x, &y, sizeof x) == 0;
    };
    EXPECT_TRUE(same(a.numeric->mean, b.numeric->mean)) << a.name;
    EXPECT_TRUE(same(a.numeric->std, b.numeric->std)) << a.name;
    EXPECT_TRUE(same(a.numeric->max, b.numeric->max)) << a.name;
    for (size_t q = 0; q < a.numeric->quantiles.size(); ++q) {
      EXPECT_TRUE(same(a.numeric->quantiles[q].second, b.numeric->quantiles[q].second)) << a.name;
    }
  }
  // The infinite value leaves the column without a histogram, and says so in JSON.
  EXPECT_TRUE(std::isinf(back.Find("tiny")->numeric->max));
  EXPECT_TRUE(std::isinf(back.Find("tiny")->numeric->mean));
  EXPECT_TRUE(std::isnan(back.Find("tiny")->numeric->std));
  EXPECT_TRUE(back.Find("tiny")->numeric->histogram.counts.empty());
  EXPECT_EQ(json["columns"][4]["max"], "inf");
}

TEST(Profile, EdgeCases) {
  Table table = ReadCsvText("one,none,flat\n5,,3\n,,3\n", {}, "edge.csv");
  Profile profile = ComputeProfile(table);
  const ColumnProfile& one = *profile.Find("one");
  ASSERT_TRUE(one.numeric);
  EXPECT_EQ(one.numeric->mean, 5.0);
  EXPECT_TRUE(std::isnan(one.numeric->std));  // pandas: std of one value is NaN
  EXPECT_FALSE(profile.Find("none")->numeric);
  EXPECT_EQ(profile.Find("none")->missing, 2);
  const NumericSummary& flat = *profile.Find("flat")->numeric;
  EXPECT_EQ(flat.std, 0.0);
  EXPECT_EQ(flat.histogram.counts, std::vector<int64_t>{2});
  EXPECT_EQ(Profile::FromJson(profile.ToJson()).ToJson(), profile.ToJson());
}

TEST(Profile, MalformedJsonIsInvalidInput) {
  try {
    Profile::FromJson(Json::parse(R"({"rows": 1, "columns": [{"name": "a", "type": "float"}]})"));
    ADD_FAILURE() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("columns[0]: missing 'count'"), std::string::npos) << error.what();
  }
}

TEST(Quantile, MatchesNumpyLinear) {
  std::vector<double> values = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Quantile(values, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile(values, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(Quantile(values, 1.0), 4);
  EXPECT_DOUBLE_EQ(Quantile(values, 0.0), 1);
  EXPECT_DOUBLE_EQ(Quantile({7}, 0.99), 7);
}

}  // namespace
}  // namespace cairn::data
