// The monitoring loop end to end: a served champion answers undrifted then
// drifted traffic over a real socket, with feedback labels; the monitor finds
// no drift in the first window and drift in the second, raises an alert,
// retrains on the newest dataset version, promotes the challenger because it
// beats the degraded champion on the labelled traffic, and the server swaps
// to it. The audit chain verifies at the end.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/data/credit_synth.h"
#include "cairn/data/csv_reader.h"
#include "cairn/eval/model_import.h"
#include "cairn/learn/training_job.h"
#include "cairn/serve/server.h"
#include "cairn/store/audit_log.h"
#include "cairn/workflow/model_lineage.h"
#include "cairn/workflow/monitoring_check.h"
#include "serve_test_support.h"

namespace cairn::workflow {
namespace {

using serve::testing::HttpClient;
using serve::testing::TestWorkspace;

constexpr char kTrainConfig[] = R"(data: credit@latest
target: default
features:
  ignore: [applicant_id]
  sensitive: [gender]
split: {test_fraction: 0.25, stratify: true}
preprocessing: {impute: median, scale: none, categorical: onehot, handle_unknown: ignore}
model:
  type: gbdt
  params: {n_estimators: 60, max_depth: 3, learning_rate: 0.1}
seed: 7
experiment: credit-risk
)";

constexpr char kPolicy[] = R"(monitoring:
  drift_share: 0.5
  exclude: [applicant_id, gender]
  performance: {metric: roc_auc, tolerance: 0.02}
  alerts:
    - {rule: drift_share, severity: critical}
    - {rule: metric_drop, severity: critical}
retrain:
  mode: on_alert
  data: latest
)";

std::string CreditCsv(uint64_t rows, uint64_t seed, double drift) {
  std::ostringstream out;
  data::WriteCreditCsv({rows, seed, drift, 0.0}, out);
  return out.str();
}

// JSON text of one CSV cell: numbers stay numbers, the rest is text.
std::string Cell(const data::Column& column, size_t row) {
  if (column.IsNull(row)) return "null";
  if (column.type() == data::ColumnType::kCategorical || column.type() == data::ColumnType::kDatetime)
    return Json(column.ValueText(row)).dump();
  return Json(column.NumericValue(row)).dump();
}

struct TrafficSent {
  int requests = 0;
  int failures = 0;
};

// Sends the table's rows in requests of `batch`, then each request's labels as feedback.
TrafficSent SendTraffic(uint16_t port, const data::Table& table, size_t batch) {
  HttpClient client(port);
  TrafficSent sent;
  const data::Column& target = table.column("default");
  for (size_t start = 0; start < table.num_rows(); start += batch) {
    const size_t end = std::min(table.num_rows(), start + batch);
    std::string records = "[";
    std::string labels = "[";
    for (size_t r = start; r < end; ++r) {
      records += r == start ? "{" : ",{";
      bool first = true;
      for (const auto& column : table.columns()) {
        if (column.name() == "default" || column.name() == "applicant_id" || column.name() == "gender") continue;
        records += (first ? "" : ",") + Json(column.name()).dump() + ":" + Cell(column, r);
        first = false;
      }
      records += "}";
      labels += (r == start ? "" : ",") + Cell(target, r);
    }
    records += "]";
    labels += "]";
    auto answer = client.PostJson("/invocations", "{\"dataframe_records\":" + records + "}");
    ++sent.requests;
    if (answer.status != 200) {
      ++sent.failures;
      ADD_FAILURE() << "invocations answered " << answer.status << ": " << answer.body;
      continue;
    }
    const std::string id = answer.header("x-request-id");
    auto feedback = client.PostJson("/feedback", "{\"request_id\":\"" + id + "\",\"labels\":" + labels + "}");
    if (feedback.status / 100 != 2) ++sent.failures;
  }
  return sent;
}

class RetrainingLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    workspace_ = workspace_handle_.Open();
    AddDataset("credit", CreditCsv(3000, 11, 0.0));
    const auto config = workspace_handle_.WriteFile("train.yaml", kTrainConfig);
    learn::TrainingOptions training;
    training.config_path = config;
    training.source_dir = workspace_handle_.dir();
    const learn::TrainingResult trained = learn::RunTrainingJob(*workspace_, training);
    const auto created = eval::RegisterRunModel(*workspace_, trained.run_id, "credit-risk");
    workspace_->store().models().SetAlias("credit-risk", "champion", created.version.version);
    policy_ = monitor::ParsePolicy(kPolicy, "policy.yaml");
  }

  void AddDataset(const std::string& name, const std::string& csv) {
    const auto path = workspace_handle_.WriteFile(name + "-" + std::to_string(++files_) + ".csv", csv);
    artifacts::AddDatasetOptions options;
    options.name = name;
    artifacts::AddDataset(*workspace_, path, options);
  }

  // Waits until the server's log holds `count` champion predictions (the log writes in the background).
  void WaitForLog(serve::Server& server, int64_t count) {
    server.log()->Flush();
    EXPECT_EQ(workspace_->store().predictions().CountPredictions("credit-risk", "champion"), count);
  }

  TestWorkspace workspace_handle_;
  std::unique_ptr<artifacts::Workspace> workspace_;
  monitor::Policy policy_;
  int files_ = 0;
};

TEST_F(RetrainingLoopTest, DriftedTrafficRetrainsPromotesAndSwapsTheServedModel) {
  serve::ServeOptions options;
  options.model = "credit-risk@champion";
  options.port = 0;
  options.threads = 2;
  options.poll_interval = std::chrono::milliseconds(100);
  options.workspace = workspace_handle_.options();
  options.log_options.flush_interval = std::chrono::milliseconds(20);
  serve::Server server(options);
  server.Start();

  // Phase 1: traffic like the training data, with labels.
  const int64_t start = NowMicros();
  const data::Table calm = data::ReadCsvText(CreditCsv(600, 21, 0.0), {}, "traffic.csv");
  TrafficSent sent = SendTraffic(server.port(), calm, 20);
  EXPECT_EQ(sent.failures, 0);
  WaitForLog(server, sent.requests);
  const int64_t middle = NowMicros();

  monitor::MonitorRunRequest request;
  request.name = "credit-risk";
  request.from = FormatUtc(start);
  request.to = FormatUtc(middle);
  MonitoringCheck first = RunMonitoringCheck(*workspace_, request, policy_);
  EXPECT_FALSE(first.run.report.dataset_drift) << first.run.report.drift_share;
  EXPECT_EQ(first.run.report.current_rows, 600u);
  ASSERT_TRUE(first.run.report.performance.has_value());
  EXPECT_EQ(first.run.report.performance->rows, 600u);
  EXPECT_FALSE(first.run.report.performance->degraded) << first.run.report.performance->current;
  EXPECT_TRUE(first.run.recorded.alerts.empty());
  EXPECT_FALSE(first.retrain.has_value());

  // New labelled data arrives, and the served population drifts.
  AddDataset("credit", CreditCsv(3000, 12, 0.5));
  const data::Table drifted = data::ReadCsvText(CreditCsv(1500, 22, 0.5), {}, "traffic.csv");
  sent = SendTraffic(server.port(), drifted, 25);
  EXPECT_EQ(sent.failures, 0);
  server.log()->Flush();

  request.from = FormatUtc(middle);
  request.to.reset();
  MonitoringCheck second = RunMonitoringCheck(*workspace_, request, policy_);
  EXPECT_TRUE(second.run.report.dataset_drift) << second.run.report.drift_share;
  EXPECT_EQ(second.run.report.current_rows, 1500u);
  ASSERT_TRUE(second.run.report.performance.has_value());
  EXPECT_TRUE(second.run.report.performance->degraded)
      << second.run.report.performance->current << " vs " << second.run.report.performance->baseline;
  ASSERT_FALSE(second.run.recorded.alerts.empty());
  ASSERT_TRUE(second.retrain.has_value()) << second.retrain_skipped;
  const RetrainOutcome& retrain = *second.retrain;
  EXPECT_EQ(retrain.champion, "credit-risk@1");
  EXPECT_EQ(retrain.dataset, "credit@2");
  EXPECT_EQ(retrain.challenger_version, 2);
  ASSERT_TRUE(retrain.decision.comparison.has_value());
  EXPECT_EQ(retrain.decision.comparison->rows, 1500u);
  EXPECT_EQ(retrain.decision.comparison->primary_metric, "roc_auc");
  EXPECT_GT(retrain.decision.comparison->primary().b, retrain.decision.comparison->primary().a);
  EXPECT_TRUE(retrain.decision.promoted) << retrain.decision.reason;
  EXPECT_EQ(workspace_->store().models().Resolve("credit-risk@champion").version, 2);

  // The server follows the alias: within seconds, answers come from version 2.
  int64_t served = 0;
  for (int i = 0; i < 100 && served != 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    HttpClient client(server.port());
    auto info = client.Get("/v2/models/credit-risk");
    Json meta = Json::parse(info.body, nullptr, false);
    if (!meta.is_discarded() && meta.contains("versions") && !meta["versions"].empty())
      served = std::stoll(meta["versions"][0].get<std::string>());
  }
  EXPECT_EQ(served, 2);

  // The newest monitor report is on /metrics as gauges, in a strictly valid exposition.
  {
    HttpClient client(server.port());
    std::map<std::string, serve::testing::PromFamily> families;
    const std::string text = client.Get("/metrics").body;
    EXPECT_EQ(serve::testing::ParsePrometheus(text, families), "");
    EXPECT_EQ(serve::testing::SumSamples(families, "cairn_dataset_drift", "cairn_dataset_drift", {{"model", "credit-risk"}}), 1.0);
    EXPECT_DOUBLE_EQ(
        serve::testing::SumSamples(families, "cairn_drift_share", "cairn_drift_share", {{"model", "credit-risk"}}),
        second.run.report.drift_share);
    EXPECT_NEAR(serve::testing::SumSamples(families, "cairn_model_performance", "cairn_model_performance",
                                           {{"model", "credit-risk"}, {"kind", "current"}}),
                second.run.report.performance->current, 1e-12);
    double drifted = 0;
    for (const auto& f : second.run.report.features)
      if (f.role == "feature" && f.drift) ++drifted;
    EXPECT_EQ(serve::testing::SumSamples(families, "cairn_feature_drift", "cairn_feature_drift"), drifted);
  }
  sent = SendTraffic(server.port(), data::ReadCsvText(CreditCsv(40, 23, 0.5), {}, "traffic.csv"), 20);
  EXPECT_EQ(sent.failures, 0);
  server.Stop();
  server.Wait();
  const auto logged = workspace_->store().predictions().ListPredictions("credit-risk", 1);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].model_version, 2);

  // Lineage: version 2 was retrained from version 1, on credit@2, because of the alerts.
  const ModelLineage lineage = BuildModelLineage(*workspace_, "credit-risk");
  ASSERT_EQ(lineage.versions.size(), 2u);
  EXPECT_EQ(lineage.versions[1].retrained_from.value_or(""), "credit-risk@1");
  EXPECT_EQ(lineage.versions[1].datasets, std::vector<std::string>{"credit@2"});
  EXPECT_EQ(lineage.versions[1].triggered_by.size(), second.run.recorded.alerts.size());
  std::vector<std::string> actions;
  for (const auto& e : lineage.history) actions.push_back(e.action);
  for (const char* action : {"model.retrain.start", "model.promotion.accept", "model.retrain.complete", "alert"})
    EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;

  const store::AuditVerification verified = workspace_->store().VerifyAuditChain();
  EXPECT_TRUE(verified.ok) << verified.reason;
}

TEST_F(RetrainingLoopTest, NothingNewerToTrainOnSkipsWithAnAuditEventAndNoNewVersion) {
  // Labelled rows exist, but no dataset version newer than the champion's.
  RetrainRequest request;
  request.model_name = "credit-risk";
  request.compare_data = "credit@1";
  try {
    Retrain(*workspace_, request, policy_);
    FAIL() << "expected the retraining to be skipped";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("no newer version of credit than credit@1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(workspace_->store().models().ListVersions("credit-risk").size(), 1u);
  const auto events = store::ListAuditEvents(workspace_->store().connection(), std::string("model:credit-risk"));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "model.retrain.skip");
}

TEST_F(RetrainingLoopTest, NoLabelledTrafficSkipsBeforeTraining) {
  AddDataset("credit", CreditCsv(1000, 12, 0.5));
  RetrainRequest request;
  request.model_name = "credit-risk";
  request.window = monitor::TrafficWindow{0, NowMicros()};
  const size_t runs_before = workspace_->store().tracking().ListRuns().size();
  EXPECT_THROW(Retrain(*workspace_, request, policy_), Error);
  EXPECT_EQ(workspace_->store().tracking().ListRuns().size(), runs_before);
  EXPECT_EQ(workspace_->store().models().ListVersions("credit-risk").size(), 1u);
}

TEST_F(RetrainingLoopTest, MonitoringAnEmptyWindowNamesTheWindow) {
  monitor::MonitorRunRequest request;
  request.name = "credit-risk";
  request.window = "1h";
  try {
    monitor::RunMonitor(*workspace_, request, policy_);
    FAIL() << "expected kNotFound";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("holds no champion predictions of 'credit-risk'"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(workspace_->store().monitoring().ListReports("credit-risk").empty());
}

}  // namespace
}  // namespace cairn::workflow
