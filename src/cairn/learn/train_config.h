// A training configuration: the YAML file behind `cairn train`, its `--set`
// overrides, and the checks that name the file and field of every mistake
// before anything is trained or recorded.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"

namespace cairn::learn {

enum class Task { kBinary, kMulticlass, kRegression };
std::string_view TaskName(Task task);  // "binary", "multiclass", "regression"

enum class ImputeStrategy { kMean, kMedian, kMostFrequent, kConstant };
enum class ScaleMethod { kStandard, kMinMax, kNone };
enum class CategoricalEncoding { kOneHot, kOrdinal };
enum class UnknownCategory { kIgnore, kError };

struct FeatureLists {
  std::vector<std::string> numeric;
  std::vector<std::string> categorical;
  std::vector<std::string> datetime;
  std::vector<std::string> ignore;
  std::vector<std::string> sensitive;
  // False when the config lists no model inputs: every column that is not the
  // target, ignored or sensitive becomes one, typed by the schema.
  bool listed = false;
};

struct SplitConfig {
  double test_fraction = 0.2;
  std::optional<uint64_t> seed;  // the config's seed when absent
  bool stratify = true;          // classification only
  std::string time_column;       // a time split: the latest rows are the test set
};

struct PreprocessingConfig {
  ImputeStrategy impute = ImputeStrategy::kMedian;
  double fill_value = 0.0;
  ScaleMethod scale = ScaleMethod::kStandard;
  CategoricalEncoding categorical = CategoricalEncoding::kOneHot;
  UnknownCategory handle_unknown = UnknownCategory::kIgnore;
};

// One searched parameter: a list of values, or a range sampled uniformly
// (log-uniformly with `log`); integer ranges when both ends are integers.
struct SearchDimension {
  std::string param;
  std::vector<Json> values;
  bool is_range = false;
  double low = 0.0;
  double high = 0.0;
  bool log = false;
  bool integer = false;
};

// The k-fold cross-validation every run records on its training split.
struct CrossValidationConfig {
  int folds = 5;  // 0: off; never 1
};

struct SearchConfig {
  std::string method = "grid";  // grid | random
  int trials = 10;              // random search only
  int folds = 5;                // cv.folds unless the search names its own
  std::string folds_field = "search.folds";  // where `folds` came from, for messages
  std::string metric;           // empty: roc_auc (binary), log_loss (multiclass), rmse (regression)
  std::vector<SearchDimension> space;
};

struct TrainConfig {
  std::string source;  // the file name used in messages ("train.yaml")
  std::string data;    // dataset reference ("credit@latest")
  std::string target;
  FeatureLists features;
  SplitConfig split;
  PreprocessingConfig preprocessing;
  std::string model_type;
  Json model_params = Json::object();
  CrossValidationConfig cv;
  std::optional<SearchConfig> search;
  uint64_t seed = 0;
  std::string experiment = "default";
  std::optional<Task> task;  // inferred from the target when absent
  // The whole configuration after overrides: flattened into run params and hashed.
  Json document = Json::object();

  uint64_t split_seed() const { return split.seed.value_or(seed); }
};

// Parses YAML text; `overrides` are "dotted.path=value" pairs applied before
// parsing (the value is read as a YAML scalar or flow sequence). Errors are
// kInvalidInput starting with "`source`: `field`: ".
TrainConfig ParseTrainConfig(std::string_view yaml_text, const std::string& source,
                             const std::vector<std::string>& overrides = {});
TrainConfig LoadTrainConfig(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

// Checks the config against the dataset (`dataset_label` as "credit@2" in
// messages): columns exist, lists do not overlap, the target suits the task.
// Fills the feature lists when they were left to default and sets the task.
void ResolveAgainstTable(TrainConfig& config, const data::Table& table, const std::string& dataset_label);

// "model.params.max_depth" -> "6": every leaf of the document, for run params.
std::vector<std::pair<std::string, std::string>> FlattenConfig(const Json& document);

}  // namespace cairn::learn
