// Configs parse with defaults and overrides, and every mistake is named by
// file and field before any training starts.
#include <gtest/gtest.h>

#include "cairn/core/error.h"
#include "cairn/learn/train_config.h"
#include "learn_test_support.h"

namespace cairn::learn {
namespace {

const char* kConfig = R"(
data: synth@1
target: y_binary
features:
  numeric: [num_a, num_b, flag]
  categorical: [color]
  datetime: [when]
  ignore: [y_class, y_value]
split: {test_fraction: 0.25, stratify: true}
preprocessing: {impute: mean, scale: minmax, categorical: onehot, handle_unknown: ignore}
model:
  type: gbdt
  params: {n_estimators: 10, max_depth: 3}
seed: 5
)";

std::string ErrorOf(const std::string& yaml, const std::vector<std::string>& overrides = {}, bool resolve = true) {
  try {
    TrainConfig config = ParseTrainConfig(yaml, "train.yaml", overrides);
    if (resolve) {
      data::Table table = testing::SyntheticTable(30, 1);
      ResolveAgainstTable(config, table, "synth@1");
    }
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
    return e.what();
  }
  return "";
}

TEST(TrainConfig, ParsesAndResolves) {
  TrainConfig config = ParseTrainConfig(kConfig, "train.yaml", {"model.params.max_depth=6", "split.seed=9"});
  EXPECT_EQ(config.model_type, "gbdt");
  EXPECT_EQ(config.model_params.at("max_depth"), 6);
  EXPECT_EQ(config.split_seed(), 9u);
  EXPECT_EQ(config.preprocessing.scale, ScaleMethod::kMinMax);
  data::Table table = testing::SyntheticTable(30, 1);
  ResolveAgainstTable(config, table, "synth@1");
  EXPECT_EQ(*config.task, Task::kBinary);
  auto flat = FlattenConfig(config.document);
  EXPECT_NE(std::find(flat.begin(), flat.end(), std::pair<std::string, std::string>{"model.params.max_depth", "6"}), flat.end());
}

TEST(TrainConfig, CrossValidationFoldsAndTheSearchsDefault) {
  EXPECT_EQ(ParseTrainConfig(kConfig, "train.yaml").cv.folds, 5);
  EXPECT_EQ(ParseTrainConfig(kConfig, "train.yaml", {"cv.folds=0"}).cv.folds, 0);
  TrainConfig inherited = ParseTrainConfig(kConfig, "train.yaml", {"cv.folds=4", "search.space.max_depth=[2, 3]"});
  EXPECT_EQ(inherited.search->folds, 4);
  EXPECT_EQ(inherited.search->folds_field, "cv.folds");
  TrainConfig own = ParseTrainConfig(kConfig, "train.yaml", {"cv.folds=4", "search.folds=3", "search.space.max_depth=[2]"});
  EXPECT_EQ(own.search->folds, 3);
  EXPECT_EQ(own.search->folds_field, "search.folds");
  EXPECT_EQ(ParseTrainConfig(kConfig, "train.yaml", {"cv.folds=0", "search.space.max_depth=[2]"}).search->folds, 5);
  EXPECT_NE(ErrorOf(kConfig, {"cv.folds=1"}, false).find("train.yaml: cv.folds: 1 fold holds nothing out"), std::string::npos);
  EXPECT_NE(ErrorOf(kConfig, {"cv.folds=two"}, false).find("train.yaml: cv.folds: expected an integer"), std::string::npos);
  EXPECT_NE(ErrorOf(kConfig, {"cv=5"}, false).find("train.yaml: cv: expected a mapping"), std::string::npos);
}

TEST(TrainConfig, DefaultFeaturesAreAllOtherColumns) {
  TrainConfig config = ParseTrainConfig("data: d\ntarget: y_value\nmodel: {type: linear}\nfeatures: {ignore: [y_binary], sensitive: [y_class]}\n", "t.yaml");
  ResolveAgainstTable(config, testing::SyntheticTable(30, 1), "d@1");
  EXPECT_EQ(config.features.numeric, (std::vector<std::string>{"num_a", "num_b", "flag"}));
  EXPECT_EQ(config.features.categorical, (std::vector<std::string>{"color"}));
  EXPECT_EQ(config.features.datetime, (std::vector<std::string>{"when"}));
  EXPECT_EQ(*config.task, Task::kRegression);
}

TEST(TrainConfig, BadConfigsNameTheField) {
  std::string base = kConfig;
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string copy = base;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  EXPECT_EQ(ErrorOf(replace("num_b, flag]", "num_b, flg]")),
            "train.yaml: features.numeric[2]: no column 'flg' in synth@1; did you mean 'flag'?");
  EXPECT_NE(ErrorOf(replace("target: y_binary\n", "")).find("train.yaml: target: missing"), std::string::npos);
  EXPECT_NE(ErrorOf(replace("target: y_binary", "target: outcome")).find("target: no column 'outcome'"), std::string::npos);
  EXPECT_NE(ErrorOf(replace("type: gbdt", "type: gdbt")).find("model.type: unknown model type 'gdbt'; did you mean 'gbdt'?"),
            std::string::npos);
  EXPECT_NE(ErrorOf("data: d\ntarget: color\ntask: regression\nmodel: {type: linear}\n").find("target: 'color' is categorical; a regression target must be numeric"),
            std::string::npos);
  EXPECT_NE(ErrorOf(replace("[color]", "[color, num_a]")).find("features.categorical[1]: 'num_a' is listed twice"), std::string::npos);
  EXPECT_NE(ErrorOf(replace("[color]", "[color, y_binary]")).find("'y_binary' is the target"), std::string::npos);
  EXPECT_NE(ErrorOf(kConfig, {"model.params.max_dept=3"}).find("model.params.max_dept: unknown parameter; did you mean 'max_depth'?"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kConfig, {"split.test_fraction=1.5"}).find("split.test_fraction"), std::string::npos);
  EXPECT_NE(ErrorOf(kConfig, {"preprocessing.scale=zscore"}).find("preprocessing.scale: 'zscore' is not one of"), std::string::npos);
  EXPECT_NE(ErrorOf(kConfig, {"search.space.depth=[1,2]"}).find("search.space.depth"), std::string::npos);
  EXPECT_NE(ErrorOf("data: [unclosed\n").find("train.yaml: line"), std::string::npos);
}

TEST(TrainConfig, EmptyFeatureListIsAnError) {
  std::string message = ErrorOf(
      "data: d\ntarget: y_value\nmodel: {type: linear}\nfeatures: {ignore: [num_a, num_b, flag, color, when, y_binary, y_class]}\n");
  EXPECT_NE(message.find("features: no model inputs"), std::string::npos) << message;
}

}  // namespace
}  // namespace cairn::learn
