// `models export --quantize int8` on an MLP from cairn's own trainer: the file
// it writes runs in ONNX Runtime with cairn's outputs, the weights shrink, the
// holdout is the training run's test split, and the registry records a new
// version derived from the float one with its evaluation and lineage.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/artifacts/workspace.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/ids.h"
#include "cairn/core/text.h"
#include "cairn/data/credit_synth.h"
#include "cairn/eval/model_export.h"
#include "cairn/eval/model_import.h"
#include "cairn/eval/prediction_set.h"
#include "cairn/eval/run_holdout.h"
#include "cairn/learn/training_job.h"
#include "cairn/store/store.h"

namespace cairn::eval {
namespace {

namespace fs = std::filesystem;

const fs::path kOrtDir = fs::path(CAIRN_SOURCE_DIR) / "tests/tools/ort";

class ModelExportTest : public ::testing::Test {
 protected:
  // One trained and registered MLP for the whole suite: training is the slow part.
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("cairn_model_export_" + NewId());
    fs::create_directories(dir_);
    artifacts::Workspace::Init(dir_, std::nullopt);
    artifacts::WorkspaceOptions options;
    options.start_dir = dir_;
    workspace_ = artifacts::Workspace::Open(options).release();
    {
      std::ofstream out(dir_ / "credit.csv");
      data::WriteCreditCsv({1000, 11, 0.0, 0.0}, out);
    }
    artifacts::AddDatasetOptions add;
    add.name = "credit";
    artifacts::AddDataset(*workspace_, dir_ / "credit.csv", add);
    learn::TrainingOptions training;
    training.config_path = fs::path(CAIRN_SOURCE_DIR) / "examples/train_mlp.yaml";
    training.overrides = {"model.params.max_epochs=15"};
    training.source_dir = dir_;
    run_id_ = new std::string(learn::RunTrainingJob(*workspace_, training).run_id);
    RegisterRunModel(*workspace_, *run_id_, "credit-risk");
  }
  static void TearDownTestSuite() {
    delete workspace_;
    delete run_id_;
    fs::remove_all(dir_);
  }

  static ExportResult ExportInt8(const std::string& file, runtime::quantize::QuantizeFormat format) {
    ExportOptions options;
    options.output = dir_ / file;
    options.quantization = ExportQuantization::kInt8;
    options.format = format;
    return ExportRegisteredModel(*workspace_, "credit-risk@1", options);
  }

  static inline fs::path dir_;
  static inline artifacts::Workspace* workspace_ = nullptr;
  static inline std::string* run_id_ = nullptr;
};

// ONNX Runtime's feeds for the model's inputs, filled as cairn's batch scoring
// fills them: missing numbers as NaN (null in JSON), missing categories as "".
Json OrtFeeds(const runtime::Session& session, const data::Table& table) {
  Json feeds = Json::object();
  for (const auto& input : session.inputs()) {
    const data::Column& column = table.column(input.name);
    const bool text = input.type.elem_type == runtime::DataType::kString;
    Json values = Json::array();
    for (size_t row = 0; row < table.num_rows(); ++row) {
      if (text) {
        values.push_back(column.IsNull(row) ? std::string() : column.ValueText(row));
      } else {
        const double value = column.NumericValue(row);
        values.push_back(std::isnan(value) ? Json(nullptr) : Json(static_cast<float>(value)));
      }
    }
    feeds[input.name] = {{"type", text ? "string" : "float32"}, {"shape", {table.num_rows(), 1}}, {"data", values}};
  }
  return feeds;
}

Json RunOrt(const fs::path& model, const Json& feeds, const fs::path& dir) {
  WriteFileAtomic(dir / "inputs.json", feeds.dump());
  const std::string command = "node " + (kOrtDir / "ort_run.js").string() + " " + model.string() + " " +
                              (dir / "inputs.json").string() + " " + (dir / "outputs.json").string() + " 2> " +
                              (dir / "ort.err").string();
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "ONNX Runtime failed on " << model << ": " << ReadFile(dir / "ort.err");
    return Json::object();
  }
  return Json::parse(ReadFile(dir / "outputs.json"));
}

TEST_F(ModelExportTest, Int8FileMatchesOnnxRuntimeAndShrinksWeights) {
  if (!fs::exists(kOrtDir / "node_modules/onnxruntime-node/package.json")) {
    GTEST_SKIP() << "ONNX Runtime is not installed: run tests/tools/ort/install.sh";
  }
  // MatMulInteger form: integer products are exact in both engines, so only
  // last-bit float differences remain. QDQ form: ONNX Runtime fuses it into
  // integer kernels while cairn multiplies dequantized floats, which can move
  // a hidden activation by one quantization step of the next layer.
  struct Case {
    std::string file;
    runtime::quantize::QuantizeFormat format;
    double tolerance;
  };
  for (const Case& c : {Case{"mlp-int8.onnx", runtime::quantize::QuantizeFormat::kMatMulInteger, 1e-4},
                        Case{"mlp-int8-qdq.onnx", runtime::quantize::QuantizeFormat::kQdq, 1e-2}}) {
    SCOPED_TRACE(c.file);
    const ExportResult result = ExportInt8(c.file, c.format);
    ASSERT_TRUE(result.quantization);
    const QuantizationReport& report = *result.quantization;
    EXPECT_EQ(report.nodes_quantized, 3);  // two hidden layers and the output layer
    EXPECT_GE(static_cast<double>(report.weight_bytes_before) / static_cast<double>(report.weight_bytes_after), 3.5);
    EXPECT_LT(report.bytes_after, report.bytes_before);

    // The holdout the export used, rebuilt for the registered int8 version.
    const EvaluationData holdout = LoadRunHoldout(*workspace_, report.registered);
    EXPECT_EQ(holdout.table.num_rows(), report.rows);
    const ScoringModel int8_model = ScoringModel::FromBytes(ReadFile(result.output), c.file);
    const PredictionSet ours = Predict(int8_model, holdout.table);
    const Json theirs = RunOrt(result.output, OrtFeeds(int8_model.session(), holdout.table), dir_);
    ASSERT_TRUE(theirs.contains("probabilities"));
    const Json& probabilities = theirs["probabilities"]["data"];
    ASSERT_EQ(probabilities.size(), ours.probabilities.size());
    ASSERT_EQ(ours.probabilities.size(), 2 * report.rows);
    double worst = 0.0;
    for (size_t i = 0; i < ours.probabilities.size(); ++i) {
      worst = std::max(worst, std::fabs(ours.probabilities[i] - probabilities[i].get<double>()));
    }
    EXPECT_LE(worst, c.tolerance);
    RecordProperty(c.file + "_max_diff_vs_ort", FormatDouble(worst));
  }
}

TEST_F(ModelExportTest, RegistersDerivedVersionWithEvaluationAndLineage) {
  const ExportResult result = ExportInt8("lineage.onnx", runtime::quantize::QuantizeFormat::kMatMulInteger);
  const QuantizationReport& report = *result.quantization;
  const store::ModelVersion& v = report.registered;
  EXPECT_EQ(v.source, store::ModelSource::kDerived);
  EXPECT_EQ(v.parent_version.value_or(0), 1);
  EXPECT_EQ(v.metadata.at("quantized_from"), "credit-risk@1");
  EXPECT_EQ(v.metadata.at("quantization"), "int8");
  EXPECT_EQ(v.metadata.at("quantization_report").at("bytes_before"), report.bytes_before);
  EXPECT_EQ(report.holdout, "credit@1 test split of run " + run_id_->substr(0, 8));
  EXPECT_NEAR(static_cast<double>(report.rows), 200.0, 2.0);  // test_fraction 0.2 of 1000 rows, per class

  // accuracy and roc_auc for a binary model. The int8 MLP may lose at most
  // half a point of accuracy (one row in 200 here); ROC AUC moves less.
  ASSERT_EQ(report.metrics.size(), 2u);
  EXPECT_EQ(report.metrics[0].metric, "accuracy");
  EXPECT_EQ(report.metrics[1].metric, "roc_auc");
  EXPECT_GE(report.metrics[0].delta(), -0.005);
  EXPECT_LE(std::fabs(report.metrics[1].delta()), 0.01);
  for (const auto& change : report.metrics) {
    RecordProperty(change.metric + "_float", FormatDouble(change.before));
    RecordProperty(change.metric + "_int8", FormatDouble(change.after));
  }
  EXPECT_GT(report.max_abs_diff, 0.0);
  EXPECT_LT(report.max_abs_diff, 0.05);

  auto& registry = workspace_->store().models();
  // The same export again finds the version it registered and records nothing.
  const auto evaluations = registry.ListEvaluations("credit-risk", v.version).size();
  const ExportResult again = ExportInt8("lineage-again.onnx", runtime::quantize::QuantizeFormat::kMatMulInteger);
  EXPECT_FALSE(again.quantization->created);
  EXPECT_EQ(again.quantization->registered.version, v.version);
  EXPECT_EQ(registry.ListEvaluations("credit-risk", v.version).size(), evaluations);
  EXPECT_EQ(ReadFile(again.output), ReadFile(result.output));
  ASSERT_GE(evaluations, 1u);
  EXPECT_EQ(registry.ListEvaluations("credit-risk", v.version).front().dataset_name, "credit");

  bool derived = false;
  const std::string ref = store::FormatModelRef("credit-risk", v.version);
  for (const auto& edge : workspace_->store().lineage().ListLineage("model", ref)) {
    derived |= edge.from_kind == "model" && edge.from_id == "credit-risk@1" && edge.to_id == ref &&
               edge.kind == "derived_from";
  }
  EXPECT_TRUE(derived) << "no lineage edge credit-risk@1 -> " << ref;
}

TEST_F(ModelExportTest, PlainExportWritesTheRegisteredBytes) {
  ExportOptions options;
  options.output = dir_ / "plain.onnx";
  const ExportResult result = ExportRegisteredModel(*workspace_, "credit-risk@1", options);
  EXPECT_FALSE(result.quantization);
  const store::ModelVersion v = workspace_->store().models().GetVersion("credit-risk", 1);
  EXPECT_EQ(ReadFile(result.output), workspace_->artifacts().Get(v.blob_hash));
  EXPECT_EQ(result.sha256, v.blob_hash);

  options.data = "credit@1";  // a holdout means nothing without quantization
  try {
    ExportRegisteredModel(*workspace_, "credit-risk@1", options);
    ADD_FAILURE() << "expected kInvalidInput";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
  }
}

}  // namespace
}  // namespace cairn::eval
