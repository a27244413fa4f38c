// The tracked training job on the synthetic credit data: what a run records
// (cross-validation included), byte-identical models from identical trainings,
// searches as child runs, the categories a model refuses, and bad configs
// stopped before any run exists.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/artifacts/workspace.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/data/credit_synth.h"
#include "cairn/data/csv_reader.h"
#include "cairn/learn/onnx_graph.h"
#include "cairn/learn/preprocessing.h"
#include "cairn/learn/split.h"
#include "cairn/learn/test_metrics.h"
#include "cairn/learn/trainer_registry.h"
#include "cairn/learn/training_job.h"
#include "cairn/runtime/batch_scoring.h"
#include "cairn/runtime/known_categories.h"
#include "cairn/runtime/session.h"
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

  std::string ArtifactHash(const std::string& run_id, const std::string& path) {
    for (const auto& artifact : workspace_->store().tracking().ListArtifacts(run_id)) {
      if (artifact.path == path) return artifact.blob_hash;
    }
    ADD_FAILURE() << "run " << run_id << " has no " << path;
    return "";
  }

  Json TrainingDetails(const std::string& run_id) {
    for (const auto& artifact : workspace_->store().tracking().ListArtifacts(run_id)) {
      if (artifact.path == "training.json") return Json::parse(workspace_->artifacts().Get(artifact.blob_hash));
    }
    ADD_FAILURE() << "run " << run_id << " has no training.json";
    return Json::object();
  }

  std::filesystem::path dir_;
  std::unique_ptr<artifacts::Workspace> workspace_;
};

std::map<std::string, double> MetricMap(const TrainingResult& result) { return {result.metrics.begin(), result.metrics.end()}; }

std::string MetadataOf(const runtime::Session& session, const std::string& key) {
  for (const auto& [k, v] : session.model().metadata_props) {
    if (k == key) return v;
  }
  return "";
}

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
    std::vector<std::string> overrides = {std::string("model.type=") + type, "model.params={}", "cv.folds=3"};
    if (std::string(type) == "mlp") overrides.push_back("model.params.max_epochs=5");
    TrainingResult first = Train(kGbdt, overrides);
    TrainingResult second = Train(kGbdt, overrides);
    EXPECT_NE(first.run_id, second.run_id);
    EXPECT_EQ(first.model_sha256, second.model_sha256) << type;
    // Test and cross-validated metrics alike, to the last bit.
    EXPECT_EQ(first.metrics, second.metrics) << type;
    EXPECT_TRUE(MetricMap(first).count("cv.roc_auc.mean")) << type;
    // Cross-validation shares nothing with the final fit: the same predictions
    // without it (the file differs only by the config hash in its metadata).
    overrides.push_back("cv.folds=0");
    EXPECT_EQ(ArtifactHash(Train(kGbdt, overrides).run_id, "predictions.csv"), ArtifactHash(first.run_id, "predictions.csv")) << type;
  }
}

TEST_F(TrainingJobTest, PlainRunCrossValidatesOnStratifiedSeededFolds) {
  TrainingResult result = Train(kGbdt, {"model.type=logistic", "model.params={}"});
  std::map<std::string, double> metrics = MetricMap(result);
  for (const char* name : {"accuracy", "balanced_accuracy", "f1_macro", "roc_auc", "pr_auc", "log_loss", "brier", "f1.1", "recall.0"}) {
    EXPECT_TRUE(metrics.count("cv." + std::string(name) + ".mean")) << name;
    EXPECT_TRUE(metrics.count("cv." + std::string(name) + ".std")) << name;
  }
  store::Run run = workspace_->store().tracking().GetRun(result.run_id);
  EXPECT_EQ(run.params.at("resolved.cv.folds"), "5");
  EXPECT_TRUE(run.metrics.count("cv_time_seconds"));
  EXPECT_EQ(run.metrics.at("cv.roc_auc.mean").value, metrics.at("cv.roc_auc.mean"));

  Json cv = TrainingDetails(result.run_id).at("cross_validation");
  EXPECT_EQ(cv.at("folds"), 5);
  EXPECT_EQ(cv.at("ddof"), 0);
  // 1000 rows, 250 in the test split: 750 training rows in five folds of 150.
  EXPECT_EQ(cv.at("held_out"), Json({150, 150, 150, 150, 150}));
  ASSERT_EQ(cv.at("per_fold").size(), 5u);
  std::vector<double> aucs;
  for (const auto& fold : cv.at("per_fold")) aucs.push_back(fold.at("roc_auc").get<double>());
  double mean = (aucs[0] + aucs[1] + aucs[2] + aucs[3] + aucs[4]) / 5;
  double squares = 0;
  for (double auc : aucs) squares += (auc - mean) * (auc - mean);
  EXPECT_DOUBLE_EQ(metrics.at("cv.roc_auc.mean"), mean);
  EXPECT_DOUBLE_EQ(metrics.at("cv.roc_auc.std"), std::sqrt(squares / 5)) << "population deviation (ddof 0)";
  EXPECT_GT(std::abs(metrics.at("cv.roc_auc.std") - std::sqrt(squares / 4)), 1e-6);

  // The documented folds, rebuilt from the library's parts: the training split
  // dealt into 5 folds stratified by class, seeded with the split seed (the
  // config's seed, 7), preprocessing refitted per fold.
  TrainConfig config = ParseTrainConfig(kGbdt, "train.yaml", {"model.type=logistic", "model.params={}"});
  data::Table table = artifacts::LoadDataset(*workspace_, artifacts::GetDataset(*workspace_, "credit@1"));
  ResolveAgainstTable(config, table, "credit@1");
  std::vector<int> classes;
  for (size_t row = 0; row < table.num_rows(); ++row) classes.push_back(static_cast<int>(table.column("default").NumericValue(row)));
  RowSplit split = ShuffledSplit(table.num_rows(), 0.25, 7, classes);
  std::vector<int> train_classes;
  for (size_t row : split.train) train_classes.push_back(classes[row]);
  std::vector<RowSplit> folds = KFolds(split.train.size(), 5, 7, train_classes);
  const TrainerEntry& logistic = *FindTrainer("logistic");
  ModelParams params = ModelParams::Read(logistic.params(), Json::object(), "model.params");
  for (size_t f = 0; f < folds.size(); ++f) {
    std::vector<size_t> fit_rows, held_rows;
    std::vector<double> fit_y, held_y;
    for (size_t i : folds[f].train) {
      fit_rows.push_back(split.train[i]);
      fit_y.push_back(train_classes[i]);
    }
    for (size_t i : folds[f].test) {
      held_rows.push_back(split.train[i]);
      held_y.push_back(train_classes[i]);
    }
    Preprocessor preprocessor = Preprocessor::Fit(table, fit_rows, config.features, config.preprocessing);
    FeatureMatrix x = preprocessor.Transform(table, fit_rows);
    std::unique_ptr<Model> model = logistic.fit({x, fit_y, Task::kBinary, 2, 7}, params, nullptr);
    NamedMetrics fold_metrics = ComputeTestMetrics(Task::kBinary, held_y, model->Predict(preprocessor.Transform(table, held_rows)), {"0", "1"});
    std::map<std::string, double> by_name(fold_metrics.begin(), fold_metrics.end());
    EXPECT_DOUBLE_EQ(by_name.at("roc_auc"), aucs[f]) << "fold " << f;
    EXPECT_DOUBLE_EQ(by_name.at("accuracy"), cv.at("per_fold")[f].at("accuracy").get<double>()) << "fold " << f;
  }
}

TEST_F(TrainingJobTest, CrossValidationTurnsOffWithZeroFolds) {
  TrainingResult result = Train(kGbdt, {"cv.folds=0"});
  for (const auto& [key, value] : result.metrics) EXPECT_NE(key.rfind("cv.", 0), 0u) << key;
  store::Run run = workspace_->store().tracking().GetRun(result.run_id);
  EXPECT_EQ(run.params.at("resolved.cv.folds"), "0");
  EXPECT_FALSE(run.metrics.count("cv_time_seconds"));
  EXPECT_FALSE(TrainingDetails(result.run_id).contains("cross_validation"));
  TrainingResult three = Train(kGbdt, {"cv.folds=3"});
  EXPECT_EQ(TrainingDetails(three.run_id).at("cross_validation").at("held_out"), Json({250, 250, 250}));
}

// Three rows of the credit data whose third row (row 2) has region `region`.
data::Table CreditRowsWithRegion(const std::filesystem::path& csv, const std::string& region) {
  std::ifstream in(csv);
  std::string text, line;
  for (int i = 0; i < 4 && std::getline(in, line); ++i) {
    if (i == 3) {
      std::vector<std::string> fields;
      std::stringstream stream(line);
      for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
      fields.at(12) = region;  // applicant_id, application_date, ..., purpose, region
      line.clear();
      for (size_t f = 0; f < fields.size(); ++f) line += (f ? "," : "") + fields[f];
    }
    text += line + "\n";
  }
  return data::ReadCsvText(text, {}, "rows.csv");
}

TEST_F(TrainingJobTest, ModelsRecordTheirCategoriesAndRefuseUnknownOnesWhenAsked) {
  TrainingResult strict = Train(kGbdt, {"preprocessing.handle_unknown=error", "cv.folds=0"});
  runtime::Session session = runtime::Session::LoadFromBytes(workspace_->artifacts().Get(strict.model_sha256), "strict.onnx");
  EXPECT_EQ(MetadataOf(session, "cairn.handle_unknown"), "error");
  Json categories = Json::parse(MetadataOf(session, "cairn.categories"));
  data::Table table = artifacts::LoadDataset(*workspace_, artifacts::GetDataset(*workspace_, "credit@1"));
  std::vector<std::string> columns;
  for (const auto& [column, list] : categories.items()) {
    columns.push_back(column);
    std::set<std::string> seen;
    for (size_t row = 0; row < table.num_rows(); ++row) {
      if (!table.column(column).IsNull(row)) seen.insert(table.column(column).ValueText(row));
    }
    EXPECT_EQ(list.get<std::vector<std::string>>(), std::vector<std::string>(seen.begin(), seen.end())) << column;
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"employment", "home_ownership", "purpose", "region"}));

  runtime::BatchScoringOptions quiet;
  quiet.show_progress = false;
  EXPECT_EQ(runtime::ScoreTable(session, CreditRowsWithRegion(dir_ / "credit.csv", "north"), quiet).rows, 3);
  try {
    runtime::ScoreTable(session, CreditRowsWithRegion(dir_ / "credit.csv", "mars"), quiet);
    ADD_FAILURE() << "an unknown region was scored";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("column 'region' row 2: category 'mars' was not seen in training"), std::string::npos) << e.what();
  }
  // What the server checks: named input tensors, a missing value ("") let through.
  runtime::KnownCategories known = runtime::KnownCategories::FromModel(session.model());
  std::map<std::string, runtime::Value> inputs;
  inputs.emplace("region", runtime::Tensor::FromVector<std::string>({3, 1}, {"north", "", "mars"}));
  try {
    known.CheckInputs(inputs);
    ADD_FAILURE() << "an unknown region passed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("column 'region' row 2: category 'mars'"), std::string::npos) << e.what();
  }

  TrainingResult lenient = Train(kGbdt, {"cv.folds=0"});
  runtime::Session lenient_session = runtime::Session::LoadFromBytes(workspace_->artifacts().Get(lenient.model_sha256), "lenient.onnx");
  EXPECT_EQ(MetadataOf(lenient_session, "cairn.handle_unknown"), "ignore");
  EXPECT_EQ(MetadataOf(lenient_session, "cairn.categories"), categories.dump());
  EXPECT_EQ(runtime::ScoreTable(lenient_session, CreditRowsWithRegion(dir_ / "credit.csv", "mars"), quiet).rows, 3);
  EXPECT_FALSE(runtime::KnownCategories::FromModel(lenient_session.model()).enforced());
}

TEST_F(TrainingJobTest, SearchTrialsAreChildRuns) {
  TrainingResult result = Train(kGbdt, {"search.method=grid", "search.folds=3", "search.space.max_depth=[2, 3]"});
  auto runs = workspace_->store().tracking().ListRuns({});
  size_t children = 0;
  for (const auto& run : runs) children += run.parent_run_id == result.run_id;
  EXPECT_EQ(children, 2u);
  // Every trial records the whole cross-validated suite; the run keeps the best trial's.
  double best = 0;
  for (const auto& run : runs) {
    if (run.parent_run_id != result.run_id) continue;
    EXPECT_TRUE(run.metrics.count("cv.accuracy.std")) << run.name;
    best = std::max(best, run.metrics.at("cv.roc_auc.mean").value);
  }
  EXPECT_EQ(MetricMap(result).at("cv.roc_auc.mean"), best);
  EXPECT_EQ(TrainingDetails(result.run_id).at("cross_validation").at("folds"), 3);
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
      {kGbdt, {"cv.folds=1"}, "train.yaml: cv.folds: 1 fold holds nothing out"},
      {kGbdt, {"cv.folds=-1"}, "train.yaml: cv.folds: must be at least 0"},
      {kGbdt, {"cv.k=3"}, "train.yaml: cv.k: unknown field"},
      {kGbdt, {"cv.folds=1000"}, "train.yaml: cv.folds: 1000 folds need at least 1000 training rows; credit@1 leaves 750"},
      {kGbdt, {"cv.folds=900", "search.space.max_depth=[2]"}, "train.yaml: cv.folds: 900 folds need at least 900 training rows"},
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
