#include "cairn/monitor/drift_engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "cairn/core/error.h"
#include "cairn/monitor/drift_methods.h"
#include "cairn/stats/drift_tests.h"

namespace cairn::monitor {
namespace {

data::Column Floats(const std::string& name, const std::vector<double>& values) {
  std::vector<uint8_t> nulls(values.size(), 0);
  for (size_t i = 0; i < values.size(); ++i) nulls[i] = std::isnan(values[i]) ? 1 : 0;
  return data::Column::FromFloats(name, values, nulls);
}

data::Column Categories(const std::string& name, const std::vector<std::string>& values) {
  data::Column column(name, data::ColumnType::kCategorical);
  for (const auto& v : values) {
    if (v.empty()) {
      column.AppendNull();
    } else {
      column.AppendCategorical(v);
    }
  }
  return column;
}

std::vector<double> Normal(size_t n, double mean, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(mean, sd);
  std::vector<double> out(n);
  for (auto& v : out) v = dist(rng);
  return out;
}

std::vector<double> Cycle(size_t n, std::vector<double> values) {
  std::vector<double> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = values[i % values.size()];
  return out;
}

std::vector<std::string> CycleText(size_t n, std::vector<std::string> values) {
  std::vector<std::string> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = values[i % values.size()];
  return out;
}

data::Table OneColumn(data::Column column) {
  data::Table table;
  table.AddColumn(std::move(column));
  return table;
}

FeatureDrift DriftOf(data::Column ref, data::Column cur, const DriftOptions& options = {}) {
  const std::string name = ref.name();
  auto reference = stats::ReferenceData::FromTable(OneColumn(std::move(ref)));
  CurrentData current;
  current.table = OneColumn(std::move(cur));
  DriftReport report = ComputeDrift(reference, current, options);
  EXPECT_EQ(report.features.size(), 1u);
  return report.features.at(0);
}

TEST(DriftMethodSelection, EachBranchOfTheTable) {
  // Numeric, many values: KS up to 1000 reference rows, Wasserstein above.
  EXPECT_EQ(DriftOf(Floats("x", Normal(1000, 0, 1, 1)), Floats("x", Normal(800, 0, 1, 2))).method, "ks");
  EXPECT_EQ(DriftOf(Floats("x", Normal(1001, 0, 1, 1)), Floats("x", Normal(800, 0, 1, 2))).method, "wasserstein");
  // Numeric with at most 5 values: chi-square (Z for two values), Jensen-Shannon above 1000.
  EXPECT_EQ(DriftOf(Floats("x", Cycle(900, {1, 2, 3, 4, 5})), Floats("x", Cycle(500, {1, 2, 3}))).method,
            "chisquare");
  EXPECT_EQ(DriftOf(Floats("x", Cycle(900, {0, 1})), Floats("x", Cycle(500, {0, 1}))).method, "z");
  EXPECT_EQ(DriftOf(Floats("x", Cycle(2000, {1, 2, 3})), Floats("x", Cycle(500, {1, 2}))).method, "jensenshannon");
  // Six values is "more than five": KS.
  EXPECT_EQ(DriftOf(Floats("x", Cycle(900, {1, 2, 3, 4, 5, 6})), Floats("x", Cycle(500, {1, 2}))).method, "ks");
  // Categorical.
  EXPECT_EQ(DriftOf(Categories("c", CycleText(1000, {"a", "b", "c"})), Categories("c", CycleText(300, {"a", "b"})))
                .method,
            "chisquare");
  EXPECT_EQ(DriftOf(Categories("c", CycleText(1000, {"a", "b"})), Categories("c", CycleText(300, {"a", "b"}))).method,
            "z");
  EXPECT_EQ(DriftOf(Categories("c", CycleText(1001, {"a", "b"})), Categories("c", CycleText(300, {"a"}))).method,
            "jensenshannon");
}

TEST(DriftMethodSelection, DefaultThresholdsAndVerdicts) {
  auto ks = DriftOf(Floats("x", Normal(500, 0, 1, 1)), Floats("x", Normal(500, 1, 1, 2)));
  EXPECT_EQ(ks.threshold, 0.05);
  EXPECT_TRUE(ks.drift);
  EXPECT_LE(ks.p_value, 0.05);
  auto w = DriftOf(Floats("x", Normal(3000, 0, 1, 1)), Floats("x", Normal(3000, 0.02, 1, 2)));
  EXPECT_EQ(w.threshold, 0.1);
  EXPECT_FALSE(w.drift);
  EXPECT_TRUE(std::isnan(w.p_value));
  EXPECT_EQ(w.psi_threshold, 0.1);
  EXPECT_FALSE(w.bins.edges.empty());  // Sturges range bins
}

TEST(DriftEngine, StatisticsEqualTheStatsLayerOnTheSameSamples) {
  auto ref = Normal(700, 0, 1, 3), cur = Normal(600, 0.2, 1.1, 4);
  auto f = DriftOf(Floats("x", ref), Floats("x", cur));
  auto expected = stats::KsTest(ref, cur);
  EXPECT_DOUBLE_EQ(f.statistic, expected.statistic);
  EXPECT_DOUBLE_EQ(f.p_value, expected.p_value);
  EXPECT_DOUBLE_EQ(f.psi, stats::PsiTest(ref, cur).statistic);
  // Up to 5000 reference rows the sample is complete: Wasserstein is exact too.
  auto big_ref = Normal(4000, 0, 1, 5);
  auto w = DriftOf(Floats("x", big_ref), Floats("x", cur));
  EXPECT_DOUBLE_EQ(w.statistic, stats::WassersteinTest(big_ref, cur).statistic);
}

TEST(DriftEngine, QuantileSummariesStayWithinTheStatedBound) {
  // 20,000 reference rows: Wasserstein and PSI come from the quantile summary.
  auto ref = Normal(20000, 0, 1, 6), cur = Normal(3000, 0.3, 1, 7);
  auto reference = stats::ReferenceData::FromTable(OneColumn(Floats("x", ref)));
  const auto& summary = reference.data.features[0];
  ASSERT_FALSE(summary.complete());
  EXPECT_GT(summary.rank_error, 0.0);
  CurrentData current;
  current.table = OneColumn(Floats("x", cur));
  auto report = ComputeDrift(reference, current, {});
  const auto& f = report.features[0];
  const double exact = stats::WassersteinTest(ref, cur).statistic;
  const double range = std::max(*std::max_element(ref.begin(), ref.end()), *std::max_element(cur.begin(), cur.end())) -
                       std::min(*std::min_element(ref.begin(), ref.end()), *std::min_element(cur.begin(), cur.end()));
  EXPECT_NEAR(f.statistic, exact, summary.rank_error * range / summary.std);
  EXPECT_NEAR(f.statistic, exact, 0.01);  // what it is in practice
  EXPECT_NEAR(f.psi, stats::PsiTest(ref, cur).statistic, 0.02);
}

TEST(DriftEngine, OverridesChooseMethodAndThreshold) {
  DriftOptions options;
  options.features["x"] = {std::string("psi"), 0.5};
  auto f = DriftOf(Floats("x", Normal(500, 0, 1, 1)), Floats("x", Normal(500, 0.5, 1, 2)), options);
  EXPECT_EQ(f.method, "psi");
  EXPECT_EQ(f.threshold, 0.5);
  EXPECT_EQ(f.reason, "policy override");
  EXPECT_EQ(f.drift, f.statistic >= 0.5);

  DriftOptions only_threshold;
  only_threshold.features["x"] = {std::nullopt, 1e-30};
  auto g = DriftOf(Floats("x", Normal(500, 0, 1, 1)), Floats("x", Normal(500, 0.5, 1, 2)), only_threshold);
  EXPECT_EQ(g.method, "ks");
  EXPECT_EQ(g.threshold, 1e-30);

  DriftOptions wrong;
  wrong.features["c"] = {std::string("ks"), std::nullopt};
  try {
    DriftOf(Categories("c", CycleText(100, {"a", "b"})), Categories("c", CycleText(100, {"a", "b"})), wrong);
    FAIL() << "KS on a categorical feature must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("feature 'c'"), std::string::npos) << e.what();
  }
  DriftOptions unknown_feature;
  unknown_feature.features["incme"] = {std::string("psi"), std::nullopt};
  auto reference = stats::ReferenceData::FromTable(OneColumn(Floats("income", Normal(10, 0, 1, 1))));
  CurrentData current;
  current.table = OneColumn(Floats("income", Normal(10, 0, 1, 2)));
  try {
    ComputeDrift(reference, current, unknown_feature);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'income'"), std::string::npos) << e.what();
  }
}

TEST(DriftEngine, ConstantColumnsNeverGiveNaN) {
  for (size_t rows : {200u, 3000u}) {
    auto f = DriftOf(Floats("k", std::vector<double>(rows, 7.0)), Floats("k", std::vector<double>(rows / 2, 7.0)));
    EXPECT_TRUE(std::isfinite(f.statistic)) << f.method;
    EXPECT_FALSE(f.drift);
    EXPECT_EQ(f.psi, 0.0);
    auto c = DriftOf(Categories("c", std::vector<std::string>(rows, "x")), Categories("c", std::vector<std::string>(50, "x")));
    EXPECT_TRUE(std::isfinite(c.statistic));
    EXPECT_FALSE(c.drift);
  }
  // Every method on constant data.
  for (const auto& method : DriftMethods()) {
    DriftOptions options;
    options.features["k"] = {method.name, std::nullopt};
    auto f = DriftOf(Floats("k", std::vector<double>(300, 2.0)), Floats("k", std::vector<double>(100, 2.0)), options);
    EXPECT_TRUE(std::isfinite(f.statistic)) << method.name;
    EXPECT_FALSE(f.drift) << method.name;
  }
}

TEST(DriftEngine, NewCategoriesAndMissingRates) {
  auto ref = CycleText(400, {"a", "b", "c", ""});  // a quarter missing
  auto cur = CycleText(200, {"a", "b", "zzz", "yyy", "zzz"});
  auto f = DriftOf(Categories("c", ref), Categories("c", cur));
  EXPECT_DOUBLE_EQ(f.reference_missing_rate, 0.25);
  EXPECT_DOUBLE_EQ(f.current_missing_rate, 0.0);
  EXPECT_DOUBLE_EQ(f.new_category_rate, 120.0 / 200.0);
  ASSERT_EQ(f.new_categories.size(), 2u);
  EXPECT_EQ(f.new_categories[0], "zzz");  // most frequent first
  EXPECT_TRUE(f.drift);
  EXPECT_EQ(f.labels.size(), f.bins.reference_shares.size());

  auto numeric = DriftOf(Floats("x", Normal(100, 0, 1, 1)),
                         Floats("x", {1.0, NAN, 2.0, NAN, 0.5, 0.1, -0.3, 0.2, 0.9, 1.1}));
  EXPECT_DOUBLE_EQ(numeric.current_missing_rate, 0.2);
}

TEST(DriftEngine, DatasetDriftShareAndOutputs) {
  data::Table ref_table, cur_table;
  ref_table.AddColumn(Floats("a", Normal(500, 0, 1, 1)));
  ref_table.AddColumn(Floats("b", Normal(500, 0, 1, 2)));
  ref_table.AddColumn(Floats("c", Normal(500, 0, 1, 3)));
  ref_table.AddColumn(Floats("score", Normal(500, 0, 1, 4)));
  cur_table.AddColumn(Floats("a", Normal(500, 2, 1, 5)));
  cur_table.AddColumn(Floats("b", Normal(500, 2, 1, 6)));
  cur_table.AddColumn(Floats("c", Normal(500, 0, 1, 7)));
  cur_table.AddColumn(Floats("score", Normal(500, 3, 1, 8)));
  stats::ReferenceOptions ref_options;
  ref_options.outputs = {"score"};
  auto reference = stats::ReferenceData::FromTable(ref_table, ref_options, "ref");
  CurrentData current;
  current.table = cur_table;
  current.source = "cur";
  DriftOptions options;
  auto report = ComputeDrift(reference, current, options);
  EXPECT_EQ(report.features_tested, 3u);  // the output is not counted
  EXPECT_EQ(report.features_drifted, 2u);
  EXPECT_NEAR(report.drift_share, 2.0 / 3.0, 1e-12);
  EXPECT_TRUE(report.dataset_drift);
  EXPECT_TRUE(report.output_drift);
  EXPECT_EQ(report.Find("score")->role, "output");
  options.drift_share = 0.7;
  EXPECT_FALSE(ComputeDrift(reference, current, options).dataset_drift);

  // A feature missing from the current data is reported, not counted.
  data::Table partial;
  partial.AddColumn(Floats("a", Normal(100, 0, 1, 9)));
  current.table = partial;
  auto report2 = ComputeDrift(reference, current, {});
  EXPECT_EQ(report2.features_tested, 1u);
  EXPECT_EQ(report2.Find("b")->note, "not in the current data");
  EXPECT_EQ(report2.Find("score"), nullptr);
}

TEST(DriftReportJson, RoundTripsEveryField) {
  data::Table ref_table, cur_table;
  ref_table.AddColumn(Floats("x", Normal(300, 0, 1, 1)));
  ref_table.AddColumn(Categories("c", CycleText(300, {"a", "b", "c"})));
  cur_table.AddColumn(Floats("x", Normal(300, 1, 1, 2)));
  cur_table.AddColumn(Categories("c", CycleText(300, {"a", "new"})));
  auto reference = stats::ReferenceData::FromTable(ref_table, {}, "ref@1");
  CurrentData current;
  current.table = cur_table;
  current.source = "cur@2";
  auto report = ComputeDrift(reference, current, {});
  report.performance = PerformanceResult{"roc_auc", 0.9, 0.8, 0.02, true, 50};
  const auto* c = report.Find("c");
  ASSERT_TRUE(std::isinf(c->statistic));  // a new category: infinite chi-square
  Json json = report.ToJson();
  DriftReport back = DriftReport::FromJson(Json::parse(json.dump()));
  EXPECT_EQ(back.ToJson(), json);
  EXPECT_TRUE(std::isinf(back.Find("c")->statistic));
  EXPECT_TRUE(std::isnan(back.Find(std::string("c"))->p_value) == std::isnan(c->p_value));
  EXPECT_EQ(back.performance->metric, "roc_auc");
  EXPECT_THROW(DriftReport::FromJson(Json{{"features", 3}}), Error);
}

TEST(ReferenceDataJson, RoundTripGivesTheSameDrift) {
  data::Table ref_small, ref_large, cur_table;
  ref_small.AddColumn(Floats("small", Normal(800, 0, 1, 1)));
  ref_small.AddColumn(Floats("few", Cycle(800, {1, 2, 3})));
  ref_small.AddColumn(Categories("c", CycleText(800, {"a", "b", "", "c"})));
  ref_large.AddColumn(Floats("large", Normal(12000, 0, 1, 2)));
  cur_table.AddColumn(Floats("small", Normal(500, 0.1, 1, 3)));
  cur_table.AddColumn(Floats("large", Normal(500, 0.1, 1, 4)));
  cur_table.AddColumn(Floats("few", Cycle(500, {1, 2})));
  cur_table.AddColumn(Categories("c", CycleText(500, {"a", "b"})));
  for (const auto* table : {&ref_small, &ref_large}) {
    auto reference = stats::ReferenceData::FromTable(*table, {}, "credit@1");
    auto back = stats::ReferenceData::FromJson(Json::parse(reference.ToJson().dump()));
    EXPECT_EQ(back.ToJson(), reference.ToJson());
    CurrentData current;
    current.table = cur_table;
    auto a = ComputeDrift(reference, current, {}).ToJson();
    auto b = ComputeDrift(back, current, {}).ToJson();
    a.erase("generated_at");
    b.erase("generated_at");
    EXPECT_EQ(a, b);
  }
  EXPECT_THROW(stats::ReferenceData::FromJson(Json{{"format", "other"}}), Error);
  Json damaged = stats::ReferenceData::FromTable(ref_small).ToJson();
  damaged["features"][0]["sample"] = "x";
  try {
    stats::ReferenceData::FromJson(damaged, "reference.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCorrupt);
    EXPECT_NE(std::string(e.what()).find("reference.json: features[0].sample"), std::string::npos) << e.what();
  }
}

TEST(StreamingDrift, ChunkedSummariesMatchTheWholeTable) {
  auto ref = Normal(900, 0, 1, 1);
  auto reference = stats::ReferenceData::FromTable(OneColumn(Floats("x", ref)));
  auto cur = Normal(30000, 0.05, 1, 2);
  CurrentSummarizer streaming(reference, 4000);
  for (size_t start = 0; start < cur.size(); start += 7000) {
    std::vector<double> chunk(cur.begin() + static_cast<long>(start),
                              cur.begin() + static_cast<long>(std::min(cur.size(), start + 7000)));
    streaming.Add(OneColumn(Floats("x", chunk)));
  }
  auto summary = streaming.Finish();
  EXPECT_EQ(summary.rows, cur.size());
  EXPECT_EQ(summary.features[0].sample.size(), 4000u);
  auto streamed = ComputeDrift(reference, summary, {});
  CurrentData current;
  current.table = OneColumn(Floats("x", cur));
  auto exact = ComputeDrift(reference, current, {});
  EXPECT_EQ(streamed.features[0].method, "ks");
  EXPECT_NEAR(streamed.features[0].statistic, exact.features[0].statistic, 0.03);
  EXPECT_NEAR(streamed.features[0].psi, exact.features[0].psi, 0.02);
}

TEST(Performance, MetricDropAgainstBaseline) {
  std::vector<double> predictions = {0.9, 0.8, 0.3, 0.2, 0.7, 0.1}, labels = {1, 1, 0, 0, NAN, 1};
  auto result = EvaluatePerformance("roc_auc", 0.95, 0.02, predictions, labels);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->rows, 5u);
  EXPECT_NEAR(result->current, 4.0 / 6.0, 1e-12);
  EXPECT_TRUE(result->degraded);
  EXPECT_FALSE(EvaluatePerformance("roc_auc", 0.9, 0.02, predictions, std::vector<double>(6, NAN)));
  auto rmse = EvaluatePerformance("rmse", 0.1, 0.05, {1.0, 2.0}, {1.0, 2.0});
  EXPECT_FALSE(rmse->degraded);
  EXPECT_THROW(EvaluatePerformance("rocauc", 0.9, 0.02, predictions, labels), Error);
}

}  // namespace
}  // namespace cairn::monitor
