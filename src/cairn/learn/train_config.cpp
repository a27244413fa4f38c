#include "cairn/learn/train_config.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <map>
#include <set>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text.h"
#include "cairn/learn/trainer_registry.h"

namespace cairn::learn {
namespace {

[[noreturn]] void Fail(const std::string& source, const std::string& field, const std::string& message) {
  ThrowInvalidInput(source + ": " + field + ": " + message);
}

std::string Hint(const std::string& word, const std::vector<std::string>& candidates) {
  std::string close = ClosestMatch(word, candidates);
  return close.empty() ? "" : "; did you mean '" + close + "'?";
}

// YAML scalars become JSON booleans, integers, doubles or null unless quoted.
Json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (text == "~" || text == "null" || text == "Null" || text == "NULL" || text.empty()) return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  try {
    size_t used = 0;
    long long integer = std::stoll(text, &used);
    if (used == text.size()) return static_cast<int64_t>(integer);
  } catch (const std::exception&) {
  }
  try {
    size_t used = 0;
    double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  return text;
}

Json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) object[entry.first.as<std::string>()] = YamlToJson(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(YamlToJson(item));
      return array;
    }
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    default:
      return nullptr;
  }
}

void ApplyOverride(Json& document, const std::string& source, const std::string& override_text) {
  auto eq = override_text.find('=');
  if (eq == std::string::npos || eq == 0) {
    ThrowInvalidInput(source + ": --set '" + override_text + "' is not KEY=VALUE (for example model.params.max_depth=6)");
  }
  std::string path = override_text.substr(0, eq);
  Json value;
  try {
    value = YamlToJson(YAML::Load(override_text.substr(eq + 1)));
  } catch (const YAML::Exception& e) {
    ThrowInvalidInput(source + ": --set " + path + ": " + e.msg);
  }
  Json* node = &document;
  std::vector<std::string> keys = Split(path, '.');
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].empty()) ThrowInvalidInput(source + ": --set '" + path + "' has an empty key");
    if (!node->is_object()) *node = Json::object();
    node = &(*node)[keys[i]];
  }
  *node = value;
}

// Reads typed fields of one mapping, naming "section.key" in errors.
class Fields {
 public:
  Fields(const std::string& source, std::string section, const Json& object) : source_(source), section_(std::move(section)), object_(object) {
    if (!object_.is_object()) Fail(source_, section_.empty() ? "(top level)" : section_, "expected a mapping");
  }

  void AllowOnly(const std::vector<std::string>& keys) const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        Fail(source_, Path(key), "unknown field" + Hint(key, keys) + (Hint(key, keys).empty() ? "; expected one of " + Join(keys, ", ") : ""));
      }
    }
  }
  bool Has(const std::string& key) const { return object_.contains(key) && !object_.at(key).is_null(); }
  const Json& At(const std::string& key) const { return object_.at(key); }
  std::string Path(const std::string& key) const { return section_.empty() ? key : section_ + "." + key; }

  std::string String(const std::string& key, const std::string& fallback) const {
    if (!Has(key)) return fallback;
    const Json& value = At(key);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number() || value.is_boolean()) return value.dump();
    Fail(source_, Path(key), "expected text");
  }
  std::string Choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& choices) const {
    std::string value = String(key, fallback);
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
      Fail(source_, Path(key), "'" + value + "' is not one of " + Join(choices, ", ") + Hint(value, choices));
    }
    return value;
  }
  double Number(const std::string& key, double fallback) const {
    if (!Has(key)) return fallback;
    if (!At(key).is_number()) Fail(source_, Path(key), "expected a number, got " + At(key).dump());
    return At(key).get<double>();
  }
  int64_t Integer(const std::string& key, int64_t fallback, int64_t min) const {
    if (!Has(key)) return fallback;
    if (!At(key).is_number_integer()) Fail(source_, Path(key), "expected an integer, got " + At(key).dump());
    int64_t value = At(key).get<int64_t>();
    if (value < min) Fail(source_, Path(key), "must be at least " + std::to_string(min));
    return value;
  }
  bool Bool(const std::string& key, bool fallback) const {
    if (!Has(key)) return fallback;
    if (!At(key).is_boolean()) Fail(source_, Path(key), "expected true or false, got " + At(key).dump());
    return At(key).get<bool>();
  }
  std::vector<std::string> Names(const std::string& key) const {
    std::vector<std::string> names;
    if (!Has(key)) return names;
    const Json& list = At(key);
    if (!list.is_array()) Fail(source_, Path(key), "expected a list of column names");
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) Fail(source_, Path(key) + "[" + std::to_string(i) + "]", "expected a column name");
      names.push_back(list[i].get<std::string>());
    }
    return names;
  }

 private:
  const std::string& source_;
  std::string section_;
  const Json& object_;
};

CrossValidationConfig ParseCrossValidation(const std::string& source, const Json& json) {
  Fields fields(source, "cv", json);
  fields.AllowOnly({"folds"});
  CrossValidationConfig cv;
  cv.folds = static_cast<int>(fields.Integer("folds", cv.folds, 0));
  if (cv.folds == 1) Fail(source, "cv.folds", "1 fold holds nothing out; use 0 to turn cross-validation off, or 2 or more");
  return cv;
}

// A search without its own folds uses the run's (5 when cross-validation is off).
SearchConfig ParseSearch(const std::string& source, const Json& json, const CrossValidationConfig& cv) {
  Fields fields(source, "search", json);
  fields.AllowOnly({"method", "trials", "folds", "metric", "space"});
  SearchConfig search;
  search.method = fields.Choice("method", "grid", {"grid", "random"});
  search.trials = static_cast<int>(fields.Integer("trials", 10, 1));
  if (fields.Has("folds")) {
    search.folds = static_cast<int>(fields.Integer("folds", 5, 2));
  } else if (cv.folds >= 2) {
    search.folds = cv.folds;
    search.folds_field = "cv.folds";
  }
  search.metric = fields.String("metric", "");
  if (!fields.Has("space") || !fields.At("space").is_object() || fields.At("space").empty()) {
    Fail(source, "search.space", "expected a mapping from model parameter to values, e.g. max_depth: [3, 6]");
  }
  for (const auto& [param, spec] : fields.At("space").items()) {
    SearchDimension dimension;
    dimension.param = param;
    std::string path = "search.space." + param;
    if (spec.is_array()) {
      if (spec.empty()) Fail(source, path, "the list of values is empty");
      for (const auto& value : spec) dimension.values.push_back(value);
    } else if (spec.is_object()) {
      Fields range(source, path, spec);
      range.AllowOnly({"low", "high", "log"});
      if (!range.Has("low") || !range.Has("high")) Fail(source, path, "a range needs low and high");
      dimension.is_range = true;
      dimension.low = range.Number("low", 0);
      dimension.high = range.Number("high", 0);
      dimension.log = range.Bool("log", false);
      dimension.integer = spec.at("low").is_number_integer() && spec.at("high").is_number_integer();
      if (!(dimension.low <= dimension.high)) Fail(source, path, "low must not exceed high");
      if (dimension.log && dimension.low <= 0) Fail(source, path, "a log range needs low > 0");
    } else {
      Fail(source, path, "expected a list of values or {low, high, log}");
    }
    search.space.push_back(std::move(dimension));
  }
  for (const auto& dimension : search.space) {
    if (search.method == "grid" && dimension.is_range) {
      Fail(source, "search.space." + dimension.param, "grid search needs a list of values; ranges are for method: random");
    }
  }
  return search;
}

}  // namespace

std::string_view TaskName(Task task) {
  switch (task) {
    case Task::kBinary:
      return "binary";
    case Task::kMulticlass:
      return "multiclass";
    case Task::kRegression:
      return "regression";
  }
  return "regression";
}

TrainConfig ParseTrainConfig(std::string_view yaml_text, const std::string& source, const std::vector<std::string>& overrides) {
  TrainConfig config;
  config.source = source;
  Json document;
  try {
    document = YamlToJson(YAML::Load(std::string(yaml_text)));
  } catch (const YAML::Exception& e) {
    ThrowInvalidInput(source + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (document.is_null()) document = Json::object();
  for (const auto& override_text : overrides) ApplyOverride(document, source, override_text);
  config.document = document;

  Fields top(source, "", document);
  top.AllowOnly({"data", "target", "features", "split", "preprocessing", "model", "cv", "search", "seed", "experiment", "task"});
  if (!top.Has("data")) Fail(source, "data", "missing: name the dataset, e.g. data: credit@latest");
  config.data = top.String("data", "");
  if (!top.Has("target")) Fail(source, "target", "missing: name the column to predict");
  config.target = top.String("target", "");
  config.seed = static_cast<uint64_t>(top.Integer("seed", 0, 0));
  config.experiment = top.String("experiment", "default");
  if (top.Has("task")) {
    std::string task = top.Choice("task", "", {"binary", "multiclass", "regression"});
    config.task = task == "binary" ? Task::kBinary : task == "multiclass" ? Task::kMulticlass : Task::kRegression;
  }

  if (top.Has("features")) {
    Fields features(source, "features", top.At("features"));
    features.AllowOnly({"numeric", "categorical", "datetime", "ignore", "sensitive"});
    config.features.numeric = features.Names("numeric");
    config.features.categorical = features.Names("categorical");
    config.features.datetime = features.Names("datetime");
    config.features.ignore = features.Names("ignore");
    config.features.sensitive = features.Names("sensitive");
    config.features.listed = features.Has("numeric") || features.Has("categorical") || features.Has("datetime");
  }

  if (top.Has("split")) {
    Fields split(source, "split", top.At("split"));
    split.AllowOnly({"test_fraction", "seed", "stratify", "time_column"});
    config.split.test_fraction = split.Number("test_fraction", 0.2);
    if (!(config.split.test_fraction > 0 && config.split.test_fraction < 1)) {
      Fail(source, "split.test_fraction", "must be between 0 and 1 (exclusive)");
    }
    if (split.Has("seed")) config.split.seed = static_cast<uint64_t>(split.Integer("seed", 0, 0));
    config.split.stratify = split.Bool("stratify", true);
    config.split.time_column = split.String("time_column", "");
  }

  if (top.Has("preprocessing")) {
    Fields pre(source, "preprocessing", top.At("preprocessing"));
    pre.AllowOnly({"impute", "fill_value", "scale", "categorical", "handle_unknown"});
    std::string impute = pre.Choice("impute", "median", {"mean", "median", "most_frequent", "constant"});
    config.preprocessing.impute = impute == "mean"            ? ImputeStrategy::kMean
                                  : impute == "median"        ? ImputeStrategy::kMedian
                                  : impute == "most_frequent" ? ImputeStrategy::kMostFrequent
                                                              : ImputeStrategy::kConstant;
    config.preprocessing.fill_value = pre.Number("fill_value", 0.0);
    std::string scale = pre.Choice("scale", "standard", {"standard", "minmax", "none"});
    config.preprocessing.scale = scale == "standard" ? ScaleMethod::kStandard : scale == "minmax" ? ScaleMethod::kMinMax : ScaleMethod::kNone;
    config.preprocessing.categorical =
        pre.Choice("categorical", "onehot", {"onehot", "ordinal"}) == "onehot" ? CategoricalEncoding::kOneHot : CategoricalEncoding::kOrdinal;
    config.preprocessing.handle_unknown =
        pre.Choice("handle_unknown", "ignore", {"ignore", "error"}) == "ignore" ? UnknownCategory::kIgnore : UnknownCategory::kError;
  }

  if (!top.Has("model")) Fail(source, "model", "missing: give model.type (" + Join(TrainerNames(), ", ") + ")");
  Fields model(source, "model", top.At("model"));
  model.AllowOnly({"type", "params"});
  if (!model.Has("type")) Fail(source, "model.type", "missing; expected one of " + Join(TrainerNames(), ", "));
  config.model_type = model.String("type", "");
  if (FindTrainer(config.model_type) == nullptr) {
    Fail(source, "model.type", "unknown model type '" + config.model_type + "'" + Hint(config.model_type, TrainerNames()) +
                                   (Hint(config.model_type, TrainerNames()).empty() ? "; expected one of " + Join(TrainerNames(), ", ") : ""));
  }
  if (model.Has("params")) {
    if (!model.At("params").is_object()) Fail(source, "model.params", "expected a mapping of parameter: value");
    config.model_params = model.At("params");
  }
  // Checked now so that a misspelt parameter stops the command before any data is read.
  ModelParams::Read(FindTrainer(config.model_type)->params(), config.model_params, source + ": model.params");
  if (top.Has("cv")) config.cv = ParseCrossValidation(source, top.At("cv"));
  if (top.Has("search")) config.search = ParseSearch(source, top.At("search"), config.cv);
  return config;
}

TrainConfig LoadTrainConfig(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  if (!std::filesystem::exists(path)) ThrowNotFound("no config file " + path.string());
  return ParseTrainConfig(ReadFile(path), path.filename().string(), overrides);
}

void ResolveAgainstTable(TrainConfig& config, const data::Table& table, const std::string& dataset_label) {
  const std::string& source = config.source;
  std::vector<std::string> names = table.column_names();
  auto require_column = [&](const std::string& field, const std::string& name) -> const data::Column& {
    auto index = table.FindColumn(name);
    if (!index) Fail(source, field, "no column '" + name + "' in " + dataset_label + Hint(name, names));
    return table.column(*index);
  };

  const data::Column& target = require_column("target", config.target);
  // Every listed name once, across all lists; the target in none of them.
  std::map<std::string, std::string> seen;
  auto check_list = [&](const std::string& list_name, const std::vector<std::string>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      std::string field = "features." + list_name + "[" + std::to_string(i) + "]";
      const data::Column& column = require_column(field, list[i]);
      if (list[i] == config.target) Fail(source, field, "'" + list[i] + "' is the target and cannot be a feature");
      auto [it, inserted] = seen.emplace(list[i], field);
      if (!inserted) Fail(source, field, "'" + list[i] + "' is listed twice (also " + it->second + ")");
      if (list_name == "numeric" && column.type() != data::ColumnType::kInteger && column.type() != data::ColumnType::kFloat &&
          column.type() != data::ColumnType::kBoolean) {
        Fail(source, field, "'" + list[i] + "' is " + std::string(data::ColumnTypeName(column.type())) + ", not numeric");
      }
      if (list_name == "datetime" && column.type() != data::ColumnType::kDatetime) {
        Fail(source, field, "'" + list[i] + "' is " + std::string(data::ColumnTypeName(column.type())) + ", not datetime");
      }
    }
  };
  check_list("numeric", config.features.numeric);
  check_list("categorical", config.features.categorical);
  check_list("datetime", config.features.datetime);
  check_list("ignore", config.features.ignore);
  check_list("sensitive", config.features.sensitive);

  if (!config.features.listed) {
    for (const auto& column : table.columns()) {
      if (column.name() == config.target || seen.count(column.name())) continue;
      switch (column.type()) {
        case data::ColumnType::kInteger:
        case data::ColumnType::kFloat:
        case data::ColumnType::kBoolean:
          config.features.numeric.push_back(column.name());
          break;
        case data::ColumnType::kCategorical:
          config.features.categorical.push_back(column.name());
          break;
        case data::ColumnType::kDatetime:
          config.features.datetime.push_back(column.name());
          break;
      }
    }
  }
  if (config.features.numeric.empty() && config.features.categorical.empty() && config.features.datetime.empty()) {
    Fail(source, "features", "no model inputs: every column of " + dataset_label + " is the target, ignored or sensitive");
  }
  if (!config.split.time_column.empty()) {
    const data::Column& time = require_column("split.time_column", config.split.time_column);
    if (time.type() != data::ColumnType::kDatetime && time.type() != data::ColumnType::kInteger && time.type() != data::ColumnType::kFloat) {
      Fail(source, "split.time_column", "'" + time.name() + "' is " + std::string(data::ColumnTypeName(time.type())) + "; a time split needs a datetime or numeric column");
    }
  }

  // The task follows the target's type unless the config names it.
  std::set<std::string> classes;
  for (size_t row = 0; row < target.size() && classes.size() <= 21; ++row) {
    if (!target.IsNull(row)) classes.insert(target.ValueText(row));
  }
  bool numeric_target = target.type() == data::ColumnType::kInteger || target.type() == data::ColumnType::kFloat ||
                        target.type() == data::ColumnType::kBoolean;
  if (!config.task) {
    if (target.type() == data::ColumnType::kFloat) {
      config.task = Task::kRegression;
    } else if (target.type() == data::ColumnType::kInteger && classes.size() > 20) {
      config.task = Task::kRegression;
    } else if (target.type() == data::ColumnType::kDatetime) {
      Fail(source, "target", "'" + config.target + "' is datetime; a target must be numeric or categorical");
    } else {
      config.task = classes.size() <= 2 ? Task::kBinary : Task::kMulticlass;
    }
  }
  if (*config.task == Task::kRegression && !numeric_target) {
    Fail(source, "target", "'" + config.target + "' is " + std::string(data::ColumnTypeName(target.type())) +
                               "; a regression target must be numeric");
  }
  if (*config.task != Task::kRegression) {
    if (target.type() == data::ColumnType::kFloat || target.type() == data::ColumnType::kDatetime) {
      Fail(source, "target", "'" + config.target + "' is " + std::string(data::ColumnTypeName(target.type())) +
                                 "; a classification target must be integer, boolean or categorical");
    }
    if (classes.size() < 2) Fail(source, "target", "'" + config.target + "' has fewer than two classes in " + dataset_label);
    if (*config.task == Task::kBinary && classes.size() > 2) {
      Fail(source, "task", "binary, but '" + config.target + "' has more than two classes in " + dataset_label);
    }
  }
  if (config.search) {
    const auto& params = config.model_params;
    (void)params;
    for (const auto& dimension : config.search->space) {
      if (!IsTrainerParam(config.model_type, dimension.param)) {
        std::vector<std::string> known = TrainerParamNames(config.model_type);
        Fail(source, "search.space." + dimension.param, "'" + config.model_type + "' has no parameter '" + dimension.param + "'" + Hint(dimension.param, known));
      }
    }
  }
}

namespace {
void FlattenInto(const Json& node, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) FlattenInto(value, prefix.empty() ? key : prefix + "." + key, out);
  } else if (node.is_string()) {
    out.emplace_back(prefix, node.get<std::string>());
  } else if (node.is_number_float()) {
    out.emplace_back(prefix, FormatDouble(node.get<double>()));
  } else {
    out.emplace_back(prefix, node.dump());
  }
}
}  // namespace

std::vector<std::pair<std::string, std::string>> FlattenConfig(const Json& document) {
  std::vector<std::pair<std::string, std::string>> out;
  FlattenInto(document, "", out);
  return out;
}

}  // namespace cairn::learn
