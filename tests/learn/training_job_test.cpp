// The tracked training job on the synthetic credit data: what a run records,
// byte-identical models from identical trainings, searches as child runs, and
// bad configs stopped before any run exists.
#include <gtest/gtest.h>

#include <fstream>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/artifacts/workspace.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/data/credit_synth.h"
#include "cairn/learn/onnx_graph.h"
#include "cairn/learn/training_job.h"
#include "learn_test_support.h"

namespace cairn::learn {
namespace {

class TrainingJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("cairn-learn-job");
    artifacts::Workspace::Init(dir_, std::nullopt);
    artifacts::WorkspaceOptions options;
    options.start_dir = dir_;
    workspace_ = artifacts::Workspace::Open(options);
    {
      std::ofstream out(dir_ / "credit.csv");
      data::WriteCreditCsv({1000, 3, 0.0, 0.0}, out);
    }
    artifacts::AddDatasetOptions add;
    add.name = "credit";
    artifacts::AddDataset(*workspace_, dir_ / "credit.csv", add);
  }
  void TearDown() override {
    workspace_.reset();
    std::filesystem::remove_all(dir_);
  }

  TrainingResult Train(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
    WriteFileAtomic(dir_ / "train.yaml", yaml);
    return RunTrainingJob(*workspace_, {dir_ / "train.yaml", overrides, dir_});
  }

  std::filesystem::path dir_;
  std::unique_ptr<artifacts::Workspace> workspace_;
};

const char* kGbdt = R"(
data: credit@latest
target: default
features:
  ignore: [applicant_id]
  sensitive: [gender]
split: {test_fraction: 0.25, stratify: true}
model:
  type: gbdt
  params: {n_estimators: 15, max_depth: 3, nthread: 1}
seed: 7
experiment: credit
)";

TEST_F(TrainingJobTest, RecordsMetricsArtifactsAndLineage) {
  TrainingResult result = Train(kGbdt);
  store::Run run = workspace_->store().tracking().GetRun(result.run_id);
  EXPECT_EQ(run.status, store::RunStatus::kFinished);
  EXPECT_EQ(run.params.at("model.params.max_depth"), "3");
  EXPECT_EQ(run.params.at("resolved.task"), "binary");
  for (const char* key : {"accuracy", "roc_auc", "log_loss", "f1_macro", "training_time_seconds", "model_size_bytes"}) {
    EXPECT_TRUE(run.metrics.count(key)) << key;
  }
  EXPECT_GT(run.metrics.at("roc_auc").value, 0.6) << "gbdt";
  TrainingResult logistic = Train(kGbdt, {"model.type=logistic", "model.params={}"});
  EXPECT_GT(workspace_->store().tracking().GetRun(logistic.run_id).metrics.at("roc_auc").value, 0.6) << "logistic";
  std::set<std::string> paths;
  for (const auto& artifact : workspace_->store().tracking().ListArtifacts(result.run_id)) paths.insert(artifact.path);
  for (const char* path : {"model.onnx", "model.xgboost.json", "predictions.csv", "reference_profile.json", "training.json"}) {
    EXPECT_TRUE(paths.count(path)) << path;
  }
  auto edges = workspace_->store().lineage().ListLineage("run", result.run_id);
  ASSERT_FALSE(edges.empty());
  EXPECT_EQ(edges.front().from_id, "credit@1");
  std::string onnx = workspace_->artifacts().Get(result.model_sha256);
  EXPECT_NO_THROW(CheckOnnxModel(onnx));
}

TEST_F(TrainingJobTest, TrainingTwiceGivesTheSameModelFile) {
  for (const char* type : {"gbdt", "logistic", "mlp"}) {
    std::vector<std::string> overrides = {std::string("model.type=") + type, "model.params={}"};
    if (std::string(type) == "mlp") overrides.push_back("model.params.max_epochs=5");
    TrainingResult first = Train(kGbdt, overrides);
    TrainingResult second = Train(kGbdt, overrides);
    EXPECT_NE(first.run_id, second.run_id);
    EXPECT_EQ(first.model_sha256, second.model_sha256) << type;
  }
}

TEST_F(TrainingJobTest, SearchTrialsAreChildRuns) {
  TrainingResult result = Train(kGbdt, {"search.method=grid", "search.folds=3", "search.space.max_depth=[2, 3]"});
  auto runs = workspace_->store().tracking().ListRuns({});
  size_t children = 0;
  for (const auto& run : runs) children += run.parent_run_id == result.run_id;
  EXPECT_EQ(children, 2u);
  bool has_cv = false;
  for (const auto& [key, value] : result.metrics) has_cv = has_cv || key == "cv.roc_auc.mean";
  EXPECT_TRUE(has_cv);
}

TEST_F(TrainingJobTest, BadConfigsStopBeforeAnyRun) {
  std::string base = kGbdt;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string copy = base;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  struct BadCase {
    std::string yaml;
    std::vector<std::string> overrides;
    std::string expected;
  };
  std::vector<BadCase> cases = {
      {with("ignore: [applicant_id]", "numeric: [age, incme]"), {}, "train.yaml: features.numeric[1]: no column 'incme' in credit@1; did you mean 'income'?"},
      {with("target: default\n", ""), {}, "train.yaml: target: missing"},
      {with("type: gbdt", "type: boosted"), {}, "train.yaml: model.type: unknown model type 'boosted'"},
      {with("target: default", "target: region\ntask: regression"), {}, "train.yaml: target: 'region' is categorical; a regression target must be numeric"},
      {kGbdt, {"search.folds=1000", "search.space.max_depth=[2]"}, "train.yaml: search.folds: 1000 folds need at least 1000 training rows"},
      {with("ignore: [applicant_id]", "numeric: []\n  categorical: []"), {}, "train.yaml: features: no model inputs"},
      {with("ignore: [applicant_id]", "numeric: [age, age]"), {}, "train.yaml: features.numeric[1]: 'age' is listed twice"},
      {with("ignore: [applicant_id]", "numeric: [age, default]"), {}, "train.yaml: features.numeric[1]: 'default' is the target"},
      {kGbdt, {"model.params.depth=3"}, "train.yaml: model.params.depth: unknown parameter"},
  };
  for (const auto& c : cases) {
    try {
      Train(c.yaml, c.overrides);
      ADD_FAILURE() << "no error for " << c.expected;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(workspace_->store().tracking().ListRuns({}).empty());
}

}  // namespace
}  // namespace cairn::learn
