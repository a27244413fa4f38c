// Every trainer's exported graph passes the ONNX checker and gives, in ONNX
// Runtime, the trainer's own predictions (with missing values and an unknown
// category among the inputs); exports are byte-identical across trainings.
#include <gtest/gtest.h>

#include <cmath>

#include "cairn/core/error.h"
#include "cairn/core/sha256.h"
#include "cairn/learn/model_exporter.h"
#include "cairn/learn/onnx_graph.h"
#include "cairn/learn/preprocessing.h"
#include "cairn/learn/split.h"
#include "cairn/learn/trainer_registry.h"
#include "cairn/learn/xgboost_import.h"
#include "learn_test_support.h"

namespace cairn::learn {
namespace {

struct Case {
  std::string model_type;
  Task task;
  Json params;
  PreprocessingConfig preprocessing;
  std::vector<int64_t> label_values;  // empty: 0..K-1
};

PreprocessingConfig Pre(ImputeStrategy impute, ScaleMethod scale, CategoricalEncoding encoding) {
  PreprocessingConfig config;
  config.impute = impute;
  config.scale = scale;
  config.categorical = encoding;
  return config;
}

struct Trained {
  Preprocessor preprocessor;
  std::unique_ptr<Model> model;
  std::string onnx;
  data::Table table;
  RowSplit split;
};

Trained Train(const Case& c, uint64_t seed = 3) {
  data::Table table = testing::SyntheticTable(240, 11);
  RowSplit split = ShuffledSplit(table.num_rows(), 0.25, seed);
  // The first test row gets a category training never saw.
  table = testing::WithUnknownColor(table, split.test.front(), "violet");
  FeatureLists features;
  features.numeric = {"num_a", "num_b", "flag"};
  features.categorical = {"color"};
  features.datetime = {"when"};
  Preprocessor preprocessor = Preprocessor::Fit(table, split.train, features, c.preprocessing);
  FeatureMatrix x = preprocessor.Transform(table, split.train);
  std::vector<double> y;
  int classes = 1;
  const char* target = c.task == Task::kBinary ? "y_binary" : c.task == Task::kMulticlass ? "y_class" : "y_value";
  for (size_t row : split.train) y.push_back(table.column(target).NumericValue(row));
  if (c.task == Task::kBinary) classes = 2;
  if (c.task == Task::kMulticlass) classes = 3;
  const TrainerEntry* entry = FindTrainer(c.model_type);
  ModelParams params = ModelParams::Read(entry->params(), c.params, "model.params");
  TrainingSet data{x, y, c.task, classes, seed};
  std::unique_ptr<Model> model = entry->fit(data, params, nullptr);
  ModelDescription description;
  description.model_type = c.model_type;
  description.task = c.task;
  description.target = target;
  description.label_values = c.label_values;
  for (int k = 0; k < classes && c.task != Task::kRegression; ++k) {
    if (c.label_values.empty()) description.label_values.push_back(k);
    description.class_names.push_back(std::to_string(k));
  }
  description.training_data_sha256 = std::string(64, 'a');
  description.config_sha256 = std::string(64, 'b');
  std::string onnx = ExportModel(preprocessor, *model, description);
  return {std::move(preprocessor), std::move(model), std::move(onnx), std::move(table), std::move(split)};
}

class ExportParity : public ::testing::TestWithParam<Case> {};

TEST_P(ExportParity, CheckerPassesAndOnnxRuntimeAgrees) {
  const Case& c = GetParam();
  Trained trained = Train(c);
  ASSERT_NO_THROW(CheckOnnxModel(trained.onnx));
  FeatureMatrix x = trained.preprocessor.Transform(trained.table, trained.split.test);
  Predictions expected = trained.model->Predict(x);
  auto dir = testing::MakeTempDir("cairn-learn-ort");
  Json outputs = testing::RunOrt(trained.onnx, testing::OrtInputs(trained.table, trained.split.test, trained.preprocessor.InputsJson()), dir);
  ASSERT_FALSE(outputs.empty());
  size_t rows = trained.split.test.size();
  if (c.task == Task::kRegression) {
    const Json& values = outputs.at("variable").at("data");
    ASSERT_EQ(values.size(), rows);
    for (size_t i = 0; i < rows; ++i) {
      double want = expected.at(i, 0);
      EXPECT_NEAR(values[i].get<double>(), want, 1e-5 * std::max(1.0, std::abs(want))) << "row " << i;
    }
  } else {
    const Json& probabilities = outputs.at("probabilities").at("data");
    const Json& labels = outputs.at("label").at("data");
    size_t k = expected.width;
    ASSERT_EQ(probabilities.size(), rows * k);
    ASSERT_EQ(labels.size(), rows);
    std::vector<int64_t> label_values = c.label_values;
    for (size_t j = 0; j < k && c.label_values.empty(); ++j) label_values.push_back(static_cast<int64_t>(j));
    for (size_t i = 0; i < rows; ++i) {
      size_t best = 0;
      for (size_t j = 0; j < k; ++j) {
        EXPECT_NEAR(probabilities[i * k + j].get<double>(), expected.at(i, j), 1e-5) << "row " << i << " class " << j;
        if (expected.at(i, j) > expected.at(i, best)) best = j;
      }
      double margin = std::abs(expected.at(i, best) - (k == 2 ? expected.at(i, 1 - best) : 0));
      if (k != 2 || margin > 1e-5) {
        EXPECT_EQ(labels[i].get<int64_t>(), label_values[best]) << "row " << i;
      }
    }
  }
  std::filesystem::remove_all(dir);
}

const Json kSmallTrees = {{"n_estimators", 12}, {"max_depth", 4}, {"nthread", 1}};
const PreprocessingConfig kDefault = Pre(ImputeStrategy::kMedian, ScaleMethod::kStandard, CategoricalEncoding::kOneHot);
const PreprocessingConfig kOrdinal = Pre(ImputeStrategy::kMostFrequent, ScaleMethod::kNone, CategoricalEncoding::kOrdinal);
// MLPs are run on scaled inputs: unscaled calendar years through float32 layers
// would compare float32 rounding rather than the export.
const PreprocessingConfig kOrdinalScaled = Pre(ImputeStrategy::kMedian, ScaleMethod::kStandard, CategoricalEncoding::kOrdinal);
const PreprocessingConfig kMinMax = Pre(ImputeStrategy::kMean, ScaleMethod::kMinMax, CategoricalEncoding::kOneHot);

INSTANTIATE_TEST_SUITE_P(
    Models, ExportParity,
    ::testing::Values(Case{"gbdt", Task::kBinary, kSmallTrees, kDefault, {}}, Case{"gbdt", Task::kMulticlass, kSmallTrees, kOrdinal, {}},
                      Case{"gbdt", Task::kRegression, kSmallTrees, kOrdinal, {}},
                      Case{"random_forest", Task::kBinary, kSmallTrees, kOrdinal, {}},
                      Case{"random_forest", Task::kMulticlass, kSmallTrees, kDefault, {4, 5, 9}},
                      Case{"random_forest", Task::kRegression, kSmallTrees, kDefault, {}},
                      Case{"linear", Task::kRegression, Json::object(), kDefault, {}},
                      Case{"logistic", Task::kBinary, Json::object(), kMinMax, {}},
                      Case{"logistic", Task::kMulticlass, {{"C", 0.5}}, kDefault, {}},
                      Case{"mlp", Task::kBinary, {{"max_epochs", 15}, {"hidden_layers", {8, 6}}}, kDefault, {}},
                      Case{"mlp", Task::kMulticlass, {{"max_epochs", 15}, {"hidden_layers", {8}}}, kMinMax, {10, 20, 30}},
                      Case{"mlp", Task::kRegression, {{"max_epochs", 15}, {"hidden_layers", {8, 8, 4}}}, kOrdinalScaled, {}}),
    [](const ::testing::TestParamInfo<Case>& info) {
      return info.param.model_type + "_" + std::string(TaskName(info.param.task));
    });

TEST(ExportDeterminism, SameTrainingGivesSameBytes) {
  for (const Case& c : {Case{"gbdt", Task::kMulticlass, kSmallTrees, kDefault, {}},
                        Case{"mlp", Task::kBinary, {{"max_epochs", 5}, {"hidden_layers", {8}}}, kDefault, {}},
                        Case{"logistic", Task::kBinary, Json::object(), kDefault, {}}}) {
    EXPECT_EQ(Sha256Hex(Train(c).onnx), Sha256Hex(Train(c).onnx)) << c.model_type;
  }
  // A different seed gives a different split, hence a different model.
  Case gbdt{"gbdt", Task::kBinary, kSmallTrees, kDefault, {}};
  EXPECT_NE(Sha256Hex(Train(gbdt, 3).onnx), Sha256Hex(Train(gbdt, 4).onnx));
}

TEST(ExportMetadata, NamesFeaturesTargetAndHashesButNoRun) {
  Trained trained = Train(Case{"logistic", Task::kBinary, Json::object(), kDefault, {}});
  auto metadata = ReadOnnxMetadata(trained.onnx);
  std::map<std::string, std::string> by_key(metadata.begin(), metadata.end());
  EXPECT_EQ(by_key.at("cairn.target"), "y_binary");
  EXPECT_EQ(by_key.at("cairn.task"), "binary");
  EXPECT_EQ(by_key.at("cairn.training_data_sha256"), std::string(64, 'a'));
  EXPECT_NE(by_key.at("cairn.inputs").find("\"color\""), std::string::npos);
  for (const auto& [key, value] : metadata) EXPECT_EQ(key.find("run"), std::string::npos) << key;
}

TEST(XgboostImport, ConvertedModelMatchesXgboost) {
  Trained trained = Train(Case{"gbdt", Task::kMulticlass, kSmallTrees, kDefault, {}});
  FeatureMatrix x = trained.preprocessor.Transform(trained.table, trained.split.test);
  std::string onnx = ImportXgboostJson(trained.model->NativeBytes(), trained.preprocessor.output_names());
  ASSERT_NO_THROW(CheckOnnxModel(onnx));
  Json data = Json::array();
  for (float value : x.values) {
    if (std::isnan(value)) {
      data.push_back(nullptr);
    } else {
      data.push_back(value);
    }
  }
  Json inputs = {{"X", {{"type", "float32"}, {"shape", {x.rows, x.cols}}, {"data", data}}}};
  auto dir = testing::MakeTempDir("cairn-learn-xgb");
  Json outputs = testing::RunOrt(onnx, inputs, dir);
  Predictions expected = trained.model->Predict(x);
  const Json& probabilities = outputs.at("probabilities").at("data");
  ASSERT_EQ(probabilities.size(), expected.values.size());
  for (size_t i = 0; i < expected.values.size(); ++i) EXPECT_NEAR(probabilities[i].get<double>(), expected.values[i], 1e-5);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(ImportXgboostJson("{\"learner\": {}}", {}), Error);
}

TEST(DatetimeParts, MatchCalendar) {
  double parts[kDatetimePartCount];
  // 2024-02-29T13:00:00Z, a Thursday, day 60 of a leap year.
  DatetimeParts(1709211600.0 * 1e6, parts);
  EXPECT_EQ(parts[0], 2024);
  EXPECT_EQ(parts[1], 2);
  EXPECT_EQ(parts[2], 29);
  EXPECT_EQ(parts[3], 3);
  EXPECT_EQ(parts[4], 60);
  // 1969-12-31T23:59:59Z: a Wednesday, the last day of 1969.
  DatetimeParts(-1e6, parts);
  EXPECT_EQ(parts[0], 1969);
  EXPECT_EQ(parts[1], 12);
  EXPECT_EQ(parts[2], 31);
  EXPECT_EQ(parts[3], 2);
  EXPECT_EQ(parts[4], 365);
  DatetimeParts(std::nan(""), parts);
  EXPECT_TRUE(std::isnan(parts[0]));
}

}  // namespace
}  // namespace cairn::learn
