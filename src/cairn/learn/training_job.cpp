#include "cairn/learn/training_job.h"

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/artifacts/run_tracking.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/progress.h"
#include "cairn/core/sha256.h"
#include "cairn/core/text.h"
#include "cairn/data/profile.h"
#include "cairn/learn/cross_validation.h"
#include "cairn/learn/feature_matrix.h"
#include "cairn/learn/hyperparameter_search.h"
#include "cairn/learn/model_exporter.h"
#include "cairn/learn/preprocessing.h"
#include "cairn/learn/split.h"
#include "cairn/learn/test_metrics.h"
#include "cairn/learn/trainer_registry.h"
#include "cairn/report/evaluation_page.h"
#include "cairn/stats/reference_data.h"

namespace cairn::learn {
namespace {

// The target as class indices (classes sorted: numerically for numeric targets,
// by text otherwise) or as values.
struct EncodedTarget {
  std::vector<size_t> rows;  // rows whose target is present
  std::vector<double> y;     // per row of the table (NaN when missing)
  std::vector<std::string> class_names;
  std::vector<int64_t> label_values;
};

EncodedTarget EncodeTarget(const data::Column& target, Task task) {
  EncodedTarget out;
  out.y.assign(target.size(), std::nan(""));
  for (size_t row = 0; row < target.size(); ++row) {
    if (!target.IsNull(row)) out.rows.push_back(row);
  }
  if (task == Task::kRegression) {
    for (size_t row : out.rows) out.y[row] = target.NumericValue(row);
    return out;
  }
  bool numeric = target.type() != data::ColumnType::kCategorical;
  if (numeric) {
    std::set<int64_t> values;
    for (size_t row : out.rows) values.insert(static_cast<int64_t>(target.NumericValue(row)));
    std::map<int64_t, size_t> index;
    for (int64_t value : values) {
      index[value] = out.label_values.size();
      out.label_values.push_back(value);
      out.class_names.push_back(std::to_string(value));
    }
    for (size_t row : out.rows) out.y[row] = static_cast<double>(index[static_cast<int64_t>(target.NumericValue(row))]);
  } else {
    std::set<std::string> values;
    for (size_t row : out.rows) values.insert(target.ValueText(row));
    std::map<std::string, size_t> index;
    for (const auto& value : values) {
      index[value] = out.class_names.size();
      out.label_values.push_back(static_cast<int64_t>(out.class_names.size()));
      out.class_names.push_back(value);
    }
    for (size_t row : out.rows) out.y[row] = static_cast<double>(index[target.ValueText(row)]);
  }
  return out;
}

// SHA-256 over the training rows of the columns the model uses, column by column.
std::string TrainingDataHash(const data::Table& table, std::span<const size_t> rows, const FeatureLists& features,
                             const std::string& target) {
  Sha256 hash;
  std::vector<std::string> columns = features.numeric;
  columns.insert(columns.end(), features.categorical.begin(), features.categorical.end());
  columns.insert(columns.end(), features.datetime.begin(), features.datetime.end());
  columns.push_back(target);
  for (const auto& name : columns) {
    const data::Column& column = table.column(name);
    hash.Update(name);
    hash.Update(std::string_view("\n", 1));
    for (size_t row : rows) {
      hash.Update(column.IsNull(row) ? std::string_view("\x1e", 1) : std::string_view(column.ValueText(row)));
      hash.Update(std::string_view("\x1f", 1));
    }
  }
  return hash.FinishHex();
}

// The test split's evaluation page, the same page `cairn eval` writes.
std::string EvaluationPage(const std::string& run_name, const std::string& dataset, Task task, const NamedMetrics& metrics,
                           std::span<const double> y, const Predictions& predictions,
                           const std::vector<std::string>& class_names, const CrossValidation* cross_validation) {
  report::EvaluationPageInput input;
  input.title = "Evaluation of run " + run_name;
  input.subtitle = "test split of " + dataset + ", " + std::to_string(y.size()) + " rows";
  input.meta = {{"run", run_name}, {"data", dataset}, {"task", std::string(TaskName(task))}};
  input.regression = task == Task::kRegression;
  for (const auto& [name, value] : metrics) input.metrics[name] = value;
  if (input.regression) {
    input.y_values.assign(y.begin(), y.end());
    for (size_t i = 0; i < predictions.rows; ++i) input.predictions.push_back(predictions.at(i, 0));
  } else {
    input.class_names = class_names;
    for (double v : y) input.y_classes.push_back(static_cast<int>(v));
    input.probabilities = predictions.values;
  }
  if (cross_validation) {
    input.cv_folds = static_cast<int>(cross_validation->folds.size());
    for (const auto& s : cross_validation->summary) input.cross_validation.push_back({s.metric, s.mean, s.std});
  }
  return report::RenderEvaluationPage(input);
}

std::string PredictionsCsv(std::span<const size_t> rows, std::span<const double> y, const Predictions& predictions, Task task,
                           const std::vector<std::string>& class_names) {
  std::string csv = "row,actual,predicted";
  if (task != Task::kRegression) {
    for (const auto& name : class_names) csv += ",p_" + name;
  }
  csv += "\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    csv += std::to_string(rows[i]) + ",";
    if (task == Task::kRegression) {
      csv += FormatDouble(y[i]);
      csv += ',';
      csv += FormatDouble(predictions.at(i, 0));
    } else {
      size_t best = 0;
      for (size_t k = 1; k < predictions.width; ++k) {
        if (predictions.at(i, k) > predictions.at(i, best)) best = k;
      }
      csv += class_names[static_cast<size_t>(y[i])] + "," + class_names[best];
      for (size_t k = 0; k < predictions.width; ++k) {
        csv += ',';
        csv += FormatDouble(predictions.at(i, k));
      }
    }
    csv += "\n";
  }
  return csv;
}

// A progress bar created on the first report, when the total is known.
class LazyProgress {
 public:
  explicit LazyProgress(std::string label) : label_(std::move(label)) {}
  ProgressFn Callback() {
    return [this](uint64_t done, uint64_t total) {
      if (!bar_) bar_ = std::make_unique<ProgressBar>(label_, total, "steps");
      bar_->Update(done);
    };
  }
  void Finish() {
    if (bar_) bar_->Finish();
  }

 private:
  std::string label_;
  std::unique_ptr<ProgressBar> bar_;
};

std::filesystem::path MakeStagingDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cairn-train-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) ThrowIo("cannot create a temporary folder under " + std::filesystem::temp_directory_path().string());
  return buffer.data();
}

std::vector<store::Metric> ToStoreMetrics(const NamedMetrics& metrics) {
  std::vector<store::Metric> out;
  for (const auto& [key, value] : metrics) out.push_back({key, value, 0, 0});
  return out;
}

}  // namespace

TrainingResult RunTrainingJob(artifacts::Workspace& workspace, const TrainingOptions& options) {
  // Everything that can be wrong with the config or the data is checked first.
  TrainConfig config = LoadTrainConfig(options.config_path, options.overrides);
  store::DatasetVersion version = artifacts::GetDataset(workspace, config.data);
  std::string dataset_label = store::FormatDatasetRef(version.name, version.version);
  data::Table table = artifacts::LoadDataset(workspace, version);
  ResolveAgainstTable(config, table, dataset_label);
  const Task task = *config.task;
  const TrainerEntry& trainer = *FindTrainer(config.model_type);
  EncodedTarget target = EncodeTarget(table.column(config.target), task);
  const int num_classes = task == Task::kRegression ? 1 : static_cast<int>(target.class_names.size());
  if (target.rows.size() < 2) ThrowInvalidInput(config.source + ": target: '" + config.target + "' has fewer than 2 values in " + dataset_label);

  RowSplit split;
  if (!config.split.time_column.empty()) {
    const data::Column& time = table.column(config.split.time_column);
    std::vector<double> times;
    for (size_t row : target.rows) times.push_back(time.NumericValue(row));
    RowSplit local = TimeSplit(times, config.split.test_fraction);
    for (size_t i : local.train) split.train.push_back(target.rows[i]);
    for (size_t i : local.test) split.test.push_back(target.rows[i]);
  } else {
    std::vector<int> strata;
    if (task != Task::kRegression && config.split.stratify) {
      for (size_t row : target.rows) strata.push_back(static_cast<int>(target.y[row]));
    }
    RowSplit local = ShuffledSplit(target.rows.size(), config.split.test_fraction, config.split_seed(), strata);
    for (size_t i : local.train) split.train.push_back(target.rows[i]);
    for (size_t i : local.test) split.test.push_back(target.rows[i]);
  }
  std::vector<double> y_train, y_test;
  for (size_t row : split.train) y_train.push_back(target.y[row]);
  for (size_t row : split.test) y_test.push_back(target.y[row]);

  // A search scores its candidates by cross-validation; without one, the run's own folds.
  const int folds = config.search ? config.search->folds : config.cv.folds;
  const std::string folds_field = config.search ? config.search->folds_field : "cv.folds";
  if (folds > 0 && split.train.size() < static_cast<size_t>(folds)) {
    ThrowInvalidInput(config.source + ": " + folds_field + ": " + std::to_string(folds) + " folds need at least " +
                      std::to_string(folds) + " training rows; " + dataset_label + " leaves " + std::to_string(split.train.size()));
  }
  std::vector<Json> candidates;
  std::string search_metric;
  if (config.search) {
    search_metric = config.search->metric.empty() ? DefaultSearchMetric(task) : config.search->metric;
    std::vector<std::string> allowed = SearchableMetrics(task);
    if (std::find(allowed.begin(), allowed.end(), search_metric) == allowed.end()) {
      ThrowInvalidInput(config.source + ": search.metric: '" + search_metric + "' is not a " + std::string(TaskName(task)) +
                        " metric; expected one of " + Join(allowed, ", "));
    }
    candidates = SearchCandidates(*config.search, config.seed);
    for (const auto& candidate : candidates) {
      ModelParams::Read(trainer.params(), MergeParams(config.model_params, candidate), config.source + ": search.space");
    }
  }
  ModelParams params = ModelParams::Read(trainer.params(), config.model_params, config.source + ": model.params");

  // From here on a run exists; failures end it as FAILED.
  artifacts::StartRunOptions start;
  start.experiment = config.experiment;
  start.name = config.model_type + "-" + version.name;
  start.source_dir = options.source_dir;
  store::Run run = artifacts::StartRun(workspace, start);
  store::TrackingStore& tracking = workspace.store().tracking();
  std::filesystem::path staging;
  try {
    TrainingResult result;
    result.run_id = run.id;
    result.experiment = config.experiment;
    result.dataset = dataset_label;
    result.model_type = config.model_type;
    result.task = task;

    std::vector<store::Param> run_params;
    for (const auto& [key, value] : FlattenConfig(config.document)) run_params.push_back({key, value});
    run_params.push_back({"resolved.task", std::string(TaskName(task))});
    run_params.push_back({"resolved.dataset", dataset_label});
    run_params.push_back({"resolved.features", Json(config.features.numeric).dump() + Json(config.features.categorical).dump() +
                                                   Json(config.features.datetime).dump()});
    run_params.push_back({"resolved.cv.folds", std::to_string(folds)});
    tracking.LogBatch(run.id, run_params, {}, {{"cairn.model_type", config.model_type}, {"cairn.task", std::string(TaskName(task))}, {"cairn.dataset", dataset_label}});
    workspace.store().lineage().AddLineageEdge({"dataset", dataset_label, "run", run.id, "input", 0});

    CrossValidationInput cv{table, split.train, y_train, config.features, config.preprocessing, task, num_classes,
                            target.class_names, folds, config.split_seed()};
    std::optional<CrossValidation> cross_validation;
    double cv_seconds = 0;
    if (config.search) {
      LazyProgress progress("search");
      bool higher = HigherIsBetter(search_metric);
      size_t best = 0;
      std::optional<CrossValidation> best_cv;
      for (size_t t = 0; t < candidates.size(); ++t) {
        ModelParams trial_params = ModelParams::Read(trainer.params(), MergeParams(config.model_params, candidates[t]), "search.space");
        artifacts::StartRunOptions child = start;
        child.name = start.name + "-trial-" + std::to_string(t + 1);
        child.parent_run = run.id;
        store::Run trial = artifacts::StartRun(workspace, child);
        try {
          CrossValidation scores = CrossValidate(cv, trainer, trial_params);
          const CrossValidation::Summary* score = scores.Find(search_metric);
          if (score == nullptr) ThrowInvalidInput(config.source + ": search.metric: '" + search_metric + "' is undefined on a fold (too few rows of a class?)");
          std::vector<store::Param> trial_logged;
          for (const auto& [key, value] : candidates[t].items()) trial_logged.push_back({"model.params." + key, value.is_string() ? value.get<std::string>() : value.dump()});
          tracking.LogBatch(trial.id, trial_logged, ToStoreMetrics(scores.AsMetrics()), {});
          tracking.EndRun(trial.id, store::RunStatus::kFinished);
          const CrossValidation::Summary* best_score = best_cv ? best_cv->Find(search_metric) : nullptr;
          bool better = !best_score || (higher ? score->mean > best_score->mean : score->mean < best_score->mean);
          if (better) {
            best = t;
            best_cv = std::move(scores);
          }
        } catch (...) {
          tracking.EndRun(trial.id, store::RunStatus::kFailed);
          throw;
        }
        progress.Callback()(t + 1, candidates.size());
      }
      progress.Finish();
      result.best_params = candidates[best];
      params = ModelParams::Read(trainer.params(), MergeParams(config.model_params, candidates[best]), "search.space");
      cross_validation = std::move(best_cv);
      std::vector<store::Param> best_logged;
      for (const auto& [key, value] : candidates[best].items()) best_logged.push_back({"best." + key, value.is_string() ? value.get<std::string>() : value.dump()});
      tracking.LogBatch(run.id, best_logged, {}, {});
    } else if (folds > 0) {
      // The same folds and seed every time, and nothing shared with the final fit,
      // so the fitted model does not depend on whether cross-validation ran.
      auto cv_started = std::chrono::steady_clock::now();
      LazyProgress progress("cross-validation");
      cross_validation = CrossValidate(cv, trainer, params, progress.Callback());
      progress.Finish();
      cv_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - cv_started).count();
    }

    auto started = std::chrono::steady_clock::now();
    Preprocessor preprocessor = Preprocessor::Fit(table, split.train, config.features, config.preprocessing);
    FeatureMatrix x_train = preprocessor.Transform(table, split.train);
    TrainingSet data{x_train, y_train, task, num_classes, config.seed};
    LazyProgress progress("training " + config.model_type);
    std::unique_ptr<Model> model = trainer.fit(data, params, progress.Callback());
    progress.Finish();
    result.training_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    Predictions predictions = model->Predict(preprocessor.Transform(table, split.test));
    NamedMetrics metrics = ComputeTestMetrics(task, y_test, predictions, target.class_names);

    ModelDescription description;
    description.model_type = config.model_type;
    description.task = task;
    description.target = config.target;
    description.class_names = target.class_names;
    description.label_values = target.label_values;
    description.training_data_sha256 = TrainingDataHash(table, split.train, config.features, config.target);
    description.config_sha256 = Sha256Hex(config.document.dump());
    std::string onnx = ExportModel(preprocessor, *model, description);
    result.model_sha256 = Sha256Hex(onnx);
    result.model_bytes = static_cast<int64_t>(onnx.size());

    staging = MakeStagingDir();
    WriteFileAtomic(staging / "model.onnx", onnx);
    if (!model->NativeFileName().empty()) WriteFileAtomic(staging / model->NativeFileName(), model->NativeBytes());
    WriteFileAtomic(staging / "predictions.csv", PredictionsCsv(split.test, y_test, predictions, task, target.class_names));
    data::Table training_rows = TakeRows(table, split.train);
    WriteFileAtomic(staging / "reference_profile.json", data::ComputeProfile(training_rows).ToJson().dump(2));
    // What monitoring compares served data with: a bounded sample and quantiles per feature.
    stats::ReferenceOptions reference_options;
    reference_options.exclude = config.features.ignore;
    reference_options.exclude.push_back(config.target);
    WriteFileAtomic(staging / "reference.json",
                    stats::ReferenceData::FromTable(training_rows, reference_options, dataset_label).ToJson().dump());
    WriteFileAtomic(staging / "evaluation.html",
                    EvaluationPage(run.name, dataset_label, task, metrics, y_test, predictions, target.class_names,
                                   cross_validation ? &*cross_validation : nullptr));
    Json details = {{"preprocessing", preprocessor.ToJson()},
                    {"params", params.values()},
                    {"model", model->Summary()},
                    {"confusion_matrix", ConfusionMatrixJson(task, y_test, predictions, target.class_names)},
                    {"train_rows", split.train.size()},
                    {"test_rows", split.test.size()}};
    if (cross_validation) details["cross_validation"] = cross_validation->ToJson();
    WriteFileAtomic(staging / "training.json", details.dump(2));
    // The config as run (overrides applied), so that retraining can run it again on newer data.
    WriteFileAtomic(staging / kTrainConfigArtifact, config.document.dump(2));
    artifacts::LogArtifact(workspace, run.id, staging, std::nullopt);
    std::filesystem::remove_all(staging);
    staging.clear();

    result.metrics = metrics;
    if (cross_validation) {
      NamedMetrics cv_metrics = cross_validation->AsMetrics();
      result.metrics.insert(result.metrics.end(), cv_metrics.begin(), cv_metrics.end());
    }
    NamedMetrics logged = result.metrics;
    logged.emplace_back("training_time_seconds", result.training_seconds);
    if (!config.search && folds > 0) logged.emplace_back("cv_time_seconds", cv_seconds);
    logged.emplace_back("model_size_bytes", static_cast<double>(result.model_bytes));
    tracking.LogBatch(run.id, {}, ToStoreMetrics(logged), {{"cairn.model_sha256", result.model_sha256}});
    tracking.EndRun(run.id, store::RunStatus::kFinished);
    return result;
  } catch (...) {
    if (!staging.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(staging, ignored);
    }
    try {
      tracking.EndRun(run.id, store::RunStatus::kFailed);
    } catch (const std::exception&) {
      // The original failure is the one worth reporting.
    }
    throw;
  }
}

Json ToJson(const TrainingResult& result) {
  Json metrics = Json::object();
  for (const auto& [key, value] : result.metrics) metrics[key] = std::isfinite(value) ? Json(value) : Json(FormatDouble(value));
  return {{"run_id", result.run_id},
          {"experiment", result.experiment},
          {"dataset", result.dataset},
          {"model_type", result.model_type},
          {"task", std::string(TaskName(result.task))},
          {"metrics", metrics},
          {"best_params", result.best_params},
          {"model_sha256", result.model_sha256},
          {"model_bytes", result.model_bytes},
          {"training_seconds", result.training_seconds}};
}

}  // namespace cairn::learn
