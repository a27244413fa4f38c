#include "cairn/store/tracking_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cairn/core/error.h"
#include "cairn/store/store.h"
#include "temp_store.h"

namespace cairn::store {
namespace {

using testing::TempDir;

// The code and message of the cairn::Error an action throws.
std::pair<ErrorCode, std::string> ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return {error.code(), error.what()};
  }
  ADD_FAILURE() << "expected a cairn::Error";
  return {ErrorCode::kIo, ""};
}

class TrackingStoreTest : public ::testing::Test {
 protected:
  TrackingStore& tracking() { return store_.tracking(); }

  TempDir dir_;
  Store store_{dir_.db()};
};

TEST_F(TrackingStoreTest, CreatesAndFindsExperiments) {
  const Experiment created = tracking().CreateExperiment("credit");
  EXPECT_EQ(created.name, "credit");
  EXPECT_EQ(created.id.size(), 32u);
  EXPECT_EQ(tracking().GetExperimentByName("credit").id, created.id);
  EXPECT_EQ(tracking().GetOrCreateExperiment("credit").id, created.id);
  EXPECT_EQ(ErrorOf([&] { tracking().CreateExperiment("credit"); }).first, ErrorCode::kConflict);
  const auto missing = ErrorOf([&] { tracking().GetExperimentByName("credti"); });
  EXPECT_EQ(missing.first, ErrorCode::kNotFound);
  EXPECT_EQ(missing.second, "no experiment 'credti'; did you mean 'credit'?");
  tracking().GetOrCreateExperiment("another");
  ASSERT_EQ(tracking().ListExperiments().size(), 2u);
  EXPECT_EQ(tracking().ListExperiments()[0].name, "another");
  EXPECT_EQ(ErrorOf([&] { tracking().CreateExperiment(""); }).first, ErrorCode::kInvalidInput);
}

TEST_F(TrackingStoreTest, RunLifecycle) {
  RunSource source{"abc123", "main", true};
  const Json environment{{"os", "Linux"}};
  store::Run run = tracking().CreateRun("credit", "baseline", source, environment);
  EXPECT_EQ(run.status, RunStatus::kRunning);
  EXPECT_GT(run.start_time, 0);
  EXPECT_FALSE(run.end_time);

  store::Run loaded = tracking().GetRun(run.id);
  EXPECT_EQ(loaded.name, "baseline");
  EXPECT_EQ(loaded.experiment_name, "credit");
  EXPECT_EQ(loaded.source.commit, "abc123");
  EXPECT_TRUE(loaded.source.dirty);
  EXPECT_EQ(loaded.environment, environment);

  const store::Run ended = tracking().EndRun(run.id, RunStatus::kFinished);
  EXPECT_EQ(ended.status, RunStatus::kFinished);
  ASSERT_TRUE(ended.end_time);
  EXPECT_GE(*ended.end_time, ended.start_time);

  const auto twice = ErrorOf([&] { tracking().EndRun(run.id, RunStatus::kFailed); });
  EXPECT_EQ(twice.first, ErrorCode::kConflict);
  EXPECT_EQ(twice.second, "run " + run.id + " already ended as FINISHED");
  EXPECT_EQ(ErrorOf([&] { tracking().LogMetric(run.id, "auc", 0.9); }).first, ErrorCode::kConflict);
  EXPECT_EQ(ErrorOf([&] { tracking().LogParam(run.id, "lr", "0.1"); }).first, ErrorCode::kConflict);
  EXPECT_EQ(ErrorOf([&] { tracking().RecordArtifact(run.id, "m.onnx", std::string(64, 'a'), 1); }).first,
            ErrorCode::kConflict);
  // Tags annotate ended runs too.
  tracking().SetTag(run.id, "reviewed", "yes");
  EXPECT_EQ(tracking().GetRun(run.id).tags.at("reviewed"), "yes");

  const store::Run unnamed = tracking().CreateRun("credit", "");
  EXPECT_EQ(unnamed.name, "run-" + unnamed.id.substr(0, 8));
  const store::Run child = tracking().CreateRun("credit", "fold-1", {}, Json::object(), unnamed.id.substr(0, 10));
  EXPECT_EQ(tracking().GetRun(child.id).parent_run_id, unnamed.id);
  EXPECT_EQ(ErrorOf([&] { tracking().EndRun(child.id, RunStatus::kRunning); }).first, ErrorCode::kInvalidInput);
}

TEST_F(TrackingStoreTest, ResolvesIdPrefixes) {
  const store::Run run = tracking().CreateRun("e", "r");
  EXPECT_EQ(tracking().GetRun(run.id.substr(0, 6)).id, run.id);
  EXPECT_EQ(tracking().ResolveRunId(run.id), run.id);
  const auto short_prefix = ErrorOf([&] { tracking().GetRun(run.id.substr(0, 5)); });
  EXPECT_EQ(short_prefix.first, ErrorCode::kInvalidInput);
  EXPECT_NE(short_prefix.second.find("at least 6"), std::string::npos);
  const auto unknown = ErrorOf([&] { tracking().GetRun("zzzzzzzz"); });
  EXPECT_EQ(unknown.first, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.second, "no run 'zzzzzzzz'");

  // Make two runs share a prefix by rewriting one id.
  store_.connection().Execute("INSERT INTO runs SELECT 'abcdef01' || substr(id, 9), experiment_id, name, status, "
                              "start_time, end_time, source_commit, source_branch, source_dirty, environment, "
                              "parent_run_id FROM runs",
                              "copy a run");
  store_.connection().Execute("INSERT INTO runs SELECT 'abcdef02' || substr(id, 9), experiment_id, name, status, "
                              "start_time, end_time, source_commit, source_branch, source_dirty, environment, "
                              "parent_run_id FROM runs WHERE id LIKE 'abcdef01%'",
                              "copy a run");
  EXPECT_EQ(ErrorOf([&] { tracking().GetRun("abcdef0"); }).first, ErrorCode::kInvalidInput);
  EXPECT_EQ(tracking().GetRun("ABCDEF01").id.substr(0, 8), "abcdef01");
}

TEST_F(TrackingStoreTest, ParamsAreImmutable) {
  const store::Run run = tracking().CreateRun("e", "r");
  tracking().LogParam(run.id, "lr", "0.1");
  tracking().LogParam(run.id, "lr", "0.1");  // same value: no-op
  const auto conflict = ErrorOf([&] { tracking().LogParam(run.id, "lr", "0.2"); });
  EXPECT_EQ(conflict.first, ErrorCode::kConflict);
  EXPECT_EQ(conflict.second,
            "param 'lr' of run " + run.id + " is already '0.1'; cannot change it to '0.2' (params are immutable)");
  EXPECT_EQ(tracking().GetRun(run.id).params.at("lr"), "0.1");
  // The no-op wrote no audit event: create, two logs would be 3 + experiment.
  EXPECT_EQ(store_.ListAuditEvents().size(), 3u);
  // A conflicting batch writes nothing at all.
  EXPECT_THROW(tracking().LogBatch(run.id, {{"depth", "3"}, {"lr", "0.3"}}, {{"auc", 0.5}}, {}), Error);
  const store::Run loaded = tracking().GetRun(run.id);
  EXPECT_EQ(loaded.params.count("depth"), 0u);
  EXPECT_TRUE(loaded.metrics.empty());
}

TEST_F(TrackingStoreTest, MetricsKeepTheirHistory) {
  const store::Run run = tracking().CreateRun("e", "r");
  tracking().LogMetric(run.id, "loss", 0.9, 0, 1000);
  tracking().LogMetric(run.id, "loss", 0.5, 2, 3000);
  tracking().LogMetric(run.id, "loss", 0.7, 1, 2000);
  tracking().LogMetric(run.id, "loss", std::nan(""), 3, 4000);
  tracking().LogMetric(run.id, "loss", -std::numeric_limits<double>::infinity(), 4, 5000);
  const std::vector<Metric> history = tracking().GetMetricHistory(run.id, "loss");
  ASSERT_EQ(history.size(), 5u);
  EXPECT_EQ(history[0].value, 0.9);
  EXPECT_EQ(history[1].value, 0.7);
  EXPECT_EQ(history[1].step, 1);
  EXPECT_EQ(history[1].timestamp, 2000);
  EXPECT_EQ(history[2].value, 0.5);
  EXPECT_TRUE(std::isnan(history[3].value));
  EXPECT_EQ(history[4].value, -std::numeric_limits<double>::infinity());
  // The latest value is the one with the highest step, even if logged earlier.
  tracking().LogMetric(run.id, "loss", 0.1, 2, 6000);
  EXPECT_EQ(tracking().GetRun(run.id).metrics.at("loss").value, -std::numeric_limits<double>::infinity());

  tracking().LogBatch(run.id, {}, {{"acc", 0.1, 5, 0}, {"acc", 0.2, 7, 0}, {"acc", 0.3, 6, 0}}, {});
  const Metric latest = tracking().GetRun(run.id).metrics.at("acc");
  EXPECT_EQ(latest.value, 0.2);
  EXPECT_GT(latest.timestamp, 0);

  const auto unknown = ErrorOf([&] { tracking().GetMetricHistory(run.id, "los"); });
  EXPECT_EQ(unknown.first, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.second, "run " + run.id + " has no metric 'los'; did you mean 'loss'?");
}

TEST_F(TrackingStoreTest, TagsAreMutable) {
  const store::Run run = tracking().CreateRun("e", "r");
  tracking().SetTag(run.id, "stage", "draft");
  tracking().SetTag(run.id, "stage", "final");
  EXPECT_EQ(tracking().GetRun(run.id).tags.at("stage"), "final");
}

TEST_F(TrackingStoreTest, ValidatesKeys) {
  const store::Run run = tracking().CreateRun("e", "r");
  tracking().LogMetric(run.id, "val/loss-1.x y", 1);
  const auto bad = ErrorOf([&] { tracking().LogMetric(run.id, "auc;drop", 1); });
  EXPECT_EQ(bad.first, ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.second,
            "metric key 'auc;drop' has ';' at character 4; keys use letters, digits, '_', '.', '-', '/' and spaces");
  EXPECT_EQ(ErrorOf([&] { tracking().LogParam(run.id, "", "x"); }).first, ErrorCode::kInvalidInput);
  EXPECT_EQ(ErrorOf([&] { tracking().SetTag(run.id, std::string(251, 'k'), "x"); }).first, ErrorCode::kInvalidInput);
  tracking().SetTag(run.id, std::string(250, 'k'), "x");
}

TEST_F(TrackingStoreTest, RecordsArtifacts) {
  const store::Run run = tracking().CreateRun("e", "r");
  const std::string blob_a(64, 'a');
  const std::string blob_b(64, 'b');
  tracking().RecordArtifact(run.id, "model/model.onnx", blob_a, 10);
  tracking().RecordArtifact(run.id, "model/model.onnx", blob_a, 10);
  tracking().RecordArtifact(run.id, "data.csv", blob_b, 20);
  EXPECT_EQ(ErrorOf([&] { tracking().RecordArtifact(run.id, "model/model.onnx", blob_b, 20); }).first,
            ErrorCode::kConflict);
  EXPECT_EQ(ErrorOf([&] { tracking().RecordArtifact(run.id, "x", "nothex", 1); }).first, ErrorCode::kInvalidInput);
  EXPECT_EQ(ErrorOf([&] { tracking().RecordArtifact(run.id, "/etc/passwd", blob_a, 1); }).first,
            ErrorCode::kInvalidInput);
  const auto artifacts = tracking().ListArtifacts(run.id);
  ASSERT_EQ(artifacts.size(), 2u);
  EXPECT_EQ(artifacts[0].path, "data.csv");
  EXPECT_EQ(artifacts[1].blob_hash, blob_a);
  EXPECT_EQ(artifacts[1].size, 10);
}

TEST_F(TrackingStoreTest, ListsFiltersSortsAndLimits) {
  const char* models[] = {"gbdt", "linear", "gbdt", "mlp"};
  const double aucs[] = {0.91, 0.75, 0.85, 0.88};
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    const store::Run run = tracking().CreateRun(i < 3 ? "credit" : "other", "run" + std::to_string(i));
    tracking().LogBatch(run.id, {{"model", models[i]}, {"depth", std::to_string(3 + i * 4)}},
                        {{"roc_auc", aucs[i], 0, 0}}, {{"team", "risk"}});
    ids.push_back(run.id);
  }
  tracking().EndRun(ids[0], RunStatus::kFinished);

  const auto all = tracking().ListRuns();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].id, ids[3]);  // newest first
  EXPECT_EQ(all[3].params.at("model"), "gbdt");
  EXPECT_EQ(all[3].metrics.at("roc_auc").value, 0.91);

  RunQuery query;
  query.filter = "metrics.roc_auc > 0.8 and params.model = 'gbdt'";
  auto runs = tracking().ListRuns(query);
  ASSERT_EQ(runs.size(), 2u);

  query.experiment = "credit";
  query.filter = "";
  query.sort = {"-metrics.roc_auc"};
  runs = tracking().ListRuns(query);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, ids[0]);
  EXPECT_EQ(runs[1].id, ids[2]);
  EXPECT_EQ(runs[2].id, ids[1]);

  // Params compare as numbers when both sides are numbers: 11 > 7 although "11" < "7".
  query.sort = {"params.depth"};
  query.limit = 2;
  runs = tracking().ListRuns(query);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].params.at("depth"), "3");
  EXPECT_EQ(runs[1].params.at("depth"), "7");

  query = RunQuery{};
  query.filter = "status = 'finished' or params.depth >= 11";
  runs = tracking().ListRuns(query);
  ASSERT_EQ(runs.size(), 3u);

  query.experiment = "missing";
  EXPECT_EQ(ErrorOf([&] { tracking().ListRuns(query); }).first, ErrorCode::kNotFound);
  query.experiment.reset();
  query.filter = "metrics.auc >";
  EXPECT_EQ(ErrorOf([&] { tracking().ListRuns(query); }).first, ErrorCode::kInvalidInput);
  query.filter = "";
  query.sort = {"-metrcs.auc"};
  EXPECT_EQ(ErrorOf([&] { tracking().ListRuns(query); }).first, ErrorCode::kInvalidInput);
}

TEST_F(TrackingStoreTest, JsonFormsAreComplete) {
  const store::Run run = tracking().CreateRun("e", "r", {"c0ffee", "main", false});
  tracking().LogBatch(run.id, {{"p", "1"}}, {{"m", std::nan(""), 2, 0}}, {{"t", "x"}});
  const Json json = ToJson(tracking().GetRun(run.id));
  EXPECT_EQ(json["status"], "RUNNING");
  EXPECT_EQ(json["end_time"], nullptr);
  EXPECT_EQ(json["params"]["p"], "1");
  EXPECT_EQ(json["metrics"]["m"]["value"], "NaN");
  EXPECT_EQ(json["metrics"]["m"]["step"], 2);
  EXPECT_EQ(json["source"]["commit"], "c0ffee");
  EXPECT_TRUE(store_.VerifyAuditChain().ok);
}

}  // namespace
}  // namespace cairn::store
