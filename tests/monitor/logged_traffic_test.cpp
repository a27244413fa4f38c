#include "cairn/monitor/logged_traffic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <set>

#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/monitor/drift_engine.h"
#include "cairn/store/prediction_log_store.h"

namespace cairn::monitor {
namespace {

class LoggedTrafficTest : public ::testing::Test {
 protected:
  LoggedTrafficTest()
      : dir_(std::filesystem::temp_directory_path() / ("cairn-traffic-" + NewId())),
        store_((std::filesystem::create_directories(dir_), (dir_ / "cairn.db").string())) {}
  ~LoggedTrafficTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::filesystem::path dir_;
  store::Store store_;
};

data::Table ReferenceTable(std::mt19937_64& rng, size_t rows) {
  std::normal_distribution<double> normal(50, 10);
  data::Column x("x", data::ColumnType::kFloat), color("color", data::ColumnType::kCategorical);
  for (size_t r = 0; r < rows; ++r) {
    x.AppendFloat(normal(rng));
    color.AppendCategorical(r % 3 == 0 ? "red" : "blue");
  }
  data::Table table;
  table.AddColumn(std::move(x));
  table.AddColumn(std::move(color));
  return table;
}

store::ModelVersion BinaryModel() {
  store::ModelVersion model;
  model.name = "m";
  model.version = 1;
  model.metadata = Json{{"metadata_props", {{"cairn.task", "binary"}, {"cairn.classes", "[\"no\",\"yes\"]"}}}};
  return model;
}

TEST_F(LoggedTrafficTest, SummariesEqualTheSameRowsInOneTableAcrossPages) {
  std::mt19937_64 rng(3);
  const stats::ReferenceData reference = stats::ReferenceData::FromTable(ReferenceTable(rng, 500), {}, "ref");
  // 3,000 requests of 3 rows, some values missing and one feature absent from some requests:
  // more than one page of the log and more than one summarised chunk.
  std::normal_distribution<double> shifted(55, 10);
  std::vector<store::PredictionRecord> records;
  data::Column x("x", data::ColumnType::kFloat), color("color", data::ColumnType::kCategorical);
  for (int i = 0; i < 3000; ++i) {
    store::PredictionRecord record;
    record.request_id = "r" + std::to_string(100000 + i);
    record.variant = i % 10 == 9 ? "shadow" : "champion";
    record.model_name = "m";
    record.model_version = 1;
    record.created_at = 1000 + i / 2;  // ties in time: the keyset must not skip or repeat rows
    record.row_count = 3;
    Json xs = Json::array(), colors = Json::array();
    for (int r = 0; r < 3; ++r) {
      const double value = shifted(rng);
      const bool missing = (i + r) % 17 == 0;
      xs.push_back(missing ? Json(nullptr) : Json(value));
      const std::string c = (i + r) % 4 == 0 ? "green" : "red";
      colors.push_back(c);
      if (record.variant != "champion") continue;
      if (missing) {
        x.AppendNull();
      } else {
        x.AppendFloat(value);
      }
      if (i % 5 == 0) {
        color.AppendNull();
      } else {
        color.AppendCategorical(c);
      }
    }
    Json inputs = {{"x", xs}};
    if (i % 5 != 0) inputs["color"] = colors;
    record.inputs = inputs.dump();
    record.outputs = R"({"label":["no","no","yes"],"probabilities":[[0.9,0.1],[0.6,0.4],[0.2,0.8]]})";
    record.labels = R"(["no","no","yes"])";
    records.push_back(record);
  }
  store_.predictions().AppendPredictions(records);
  store_.predictions().RecordFeedback(std::vector<store::FeedbackRecord>{{"r100004", R"(["yes","no","yes"])", 5}});

  TrafficScan scan;
  scan.model_name = "m";
  scan.window = {0, 100000};
  scan.keep_labelled_rows = true;
  scan.target = "outcome";
  const LoggedTraffic traffic = ReadLoggedTraffic(store_, reference, ScoreReader::ForModel(BinaryModel()), scan);
  EXPECT_EQ(traffic.requests, 2700u);
  EXPECT_EQ(traffic.rows, 8100u);

  data::Table expected;
  expected.AddColumn(std::move(x));
  expected.AddColumn(std::move(color));
  const stats::TableSummary exact = SummarizeCurrent(reference, expected);
  const DriftReport paged = ComputeDrift(reference, traffic.summary, {});
  const DriftReport whole = ComputeDrift(reference, exact, {});
  ASSERT_EQ(paged.features.size(), whole.features.size());
  for (size_t i = 0; i < paged.features.size(); ++i) {
    EXPECT_EQ(paged.features[i].feature, whole.features[i].feature);
    EXPECT_EQ(paged.features[i].current_rows, whole.features[i].current_rows);
    EXPECT_DOUBLE_EQ(paged.features[i].current_missing_rate, whole.features[i].current_missing_rate);
    EXPECT_DOUBLE_EQ(paged.features[i].statistic, whole.features[i].statistic) << paged.features[i].feature;
    EXPECT_DOUBLE_EQ(paged.features[i].psi, whole.features[i].psi);
    EXPECT_DOUBLE_EQ(paged.features[i].new_category_rate, whole.features[i].new_category_rate);
  }
  // The one request with feedback: positive-class scores and 1/0 truths, row by row.
  EXPECT_EQ(traffic.scores, (std::vector<double>{0.1, 0.4, 0.8}));
  EXPECT_EQ(traffic.labels, (std::vector<double>{1.0, 0.0, 1.0}));
  ASSERT_TRUE(traffic.labelled_rows.has_value());
  EXPECT_EQ(traffic.labelled_rows->num_rows(), 3u);
  EXPECT_EQ(traffic.labelled_rows->column("outcome").ValueText(0), "yes");
}

TEST_F(LoggedTrafficTest, ScanPagesWithoutSkippingOrRepeatingTiedRows) {
  std::vector<store::PredictionRecord> records;
  for (int i = 0; i < 257; ++i) {
    store::PredictionRecord record;
    record.request_id = "q" + std::to_string(1000 + (i * 7919) % 257);
    record.variant = i % 2 ? "champion" : "challenger";
    record.model_name = "m";
    record.created_at = 50 + i % 3;  // many rows share each timestamp
    record.row_count = 1;
    record.inputs = "{}";
    record.outputs = "{}";
    record.labels = "[]";
    records.push_back(record);
  }
  store_.predictions().AppendPredictions(records);
  for (int64_t page : {1, 2, 10, 256, 257, 1000}) {
    store::PredictionScan scan;
    scan.model_name = "m";
    scan.page_size = page;
    std::set<std::pair<std::string, std::string>> seen;
    int64_t last_at = 0;
    scan.from = 51;  // the window leaves out the first timestamp's rows
    store_.predictions().ScanPredictions(scan, [&](const store::LoggedPrediction& row) {
      EXPECT_GE(row.record.created_at, last_at);
      last_at = row.record.created_at;
      EXPECT_TRUE(seen.insert({row.record.request_id, row.record.variant}).second) << "repeated at page size " << page;
    });
    EXPECT_EQ(seen.size(), 171u) << "page size " << page;
  }
}

TEST(TrafficWindow, FlagsResolveAndBadOnesNameTheFlag) {
  const int64_t now = 1'800'000'000'000'000;
  TrafficWindow day = ResolveTrafficWindow(std::string("24h"), std::nullopt, std::nullopt, now);
  EXPECT_EQ(day.from, now - 86'400'000'000);
  EXPECT_EQ(day.to, now + 1);
  TrafficWindow range = ResolveTrafficWindow(std::nullopt, std::string("2026-01-01T00:00:00Z"),
                                             std::string("2026-01-02T00:00:00Z"), now);
  EXPECT_EQ(range.to - range.from, 86'400'000'000);
  auto message = [&](auto call) {
    try {
      call();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { ResolveTrafficWindow(std::nullopt, std::string("yesterday"), std::nullopt, now); }).find("--from: 'yesterday'"),
            std::string::npos);
  EXPECT_NE(message([&] { ResolveTrafficWindow(std::string("1h"), std::string("2026-01-01"), std::nullopt, now); })
                .find("--window cannot be combined"),
            std::string::npos);
  EXPECT_NE(message([&] {
              ResolveTrafficWindow(std::nullopt, std::string("2026-01-02T00:00:00Z"), std::string("2026-01-01T00:00:00Z"), now);
            }).find("is not before --to"),
            std::string::npos);
}

TEST(ScoreReader, RegressionAndZipMapOutputsAndUnknownLabels) {
  store::ModelVersion regression;
  regression.metadata = Json{{"metadata_props", {{"cairn.task", "regression"}}}};
  ScoreReader reader = ScoreReader::ForModel(regression);
  EXPECT_EQ(reader.Scores(Json::parse(R"({"variable":[[1.5],[2.5]]})"), 2), (std::vector<double>{1.5, 2.5}));
  EXPECT_EQ(reader.Truth(Json(3.25)), 3.25);

  ScoreReader binary = ScoreReader::ForModel(BinaryModel());
  const auto zipmap = binary.Scores(Json::parse(R"({"output_probability":[{"no":0.3,"yes":0.7}]})"), 1);
  EXPECT_EQ(zipmap, std::vector<double>{0.7});
  EXPECT_TRUE(std::isnan(binary.Truth(Json("maybe"))));
  EXPECT_EQ(binary.Truth(Json::array({"yes"})), 1.0);
}

}  // namespace
}  // namespace cairn::monitor
