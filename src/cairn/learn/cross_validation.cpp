#include "cairn/learn/cross_validation.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "cairn/learn/preprocessing.h"
#include "cairn/learn/split.h"

namespace cairn::learn {
namespace {

std::vector<CrossValidation::Summary> Summarise(const std::vector<NamedMetrics>& folds) {
  std::vector<CrossValidation::Summary> summary;
  if (folds.empty()) return summary;
  std::vector<std::map<std::string, double>> by_name;
  for (const auto& fold : folds) by_name.emplace_back(fold.begin(), fold.end());
  for (const auto& [metric, first] : folds.front()) {
    std::vector<double> values;
    for (const auto& fold : by_name) {
      auto it = fold.find(metric);
      if (it == fold.end()) break;
      values.push_back(it->second);
    }
    // A metric some fold cannot define (ROC AUC without a class) is left out, as on the test split.
    if (values.size() != folds.size()) continue;
    double sum = 0;
    for (double value : values) sum += value;
    double mean = sum / static_cast<double>(values.size());
    double squares = 0;
    for (double value : values) squares += (value - mean) * (value - mean);
    summary.push_back({metric, mean, std::sqrt(squares / static_cast<double>(values.size()))});
  }
  return summary;
}

}  // namespace

const CrossValidation::Summary* CrossValidation::Find(const std::string& metric) const {
  auto it = std::find_if(summary.begin(), summary.end(), [&](const Summary& s) { return s.metric == metric; });
  return it == summary.end() ? nullptr : &*it;
}

NamedMetrics CrossValidation::AsMetrics() const {
  NamedMetrics out;
  for (const auto& s : summary) {
    out.emplace_back("cv." + s.metric + ".mean", s.mean);
    out.emplace_back("cv." + s.metric + ".std", s.std);
  }
  return out;
}

Json CrossValidation::ToJson() const {
  Json per_fold = Json::array();
  for (const auto& fold : folds) {
    Json metrics = Json::object();
    for (const auto& [name, value] : fold) metrics[name] = std::isfinite(value) ? Json(value) : Json(nullptr);
    per_fold.push_back(metrics);
  }
  return {{"folds", folds.size()}, {"ddof", 0}, {"held_out", held_out}, {"per_fold", per_fold}};
}

CrossValidation CrossValidate(const CrossValidationInput& input, const TrainerEntry& trainer, const ModelParams& params,
                              const ProgressFn& progress) {
  std::vector<int> strata;
  if (input.task != Task::kRegression) {
    for (double value : input.y) strata.push_back(static_cast<int>(value));
  }
  std::vector<RowSplit> folds = KFolds(input.rows.size(), input.folds, input.seed, strata);
  // A category that only the held-out rows of a fold hold is an accident of the
  // fold, not bad input: folds encode it as unseen instead of failing the run.
  PreprocessingConfig preprocessing = input.preprocessing;
  preprocessing.handle_unknown = UnknownCategory::kIgnore;
  // Folds run side by side, so a trainer that would take every core (XGBoost's
  // nthread 0) takes one per fold: threads of one fold would otherwise spin
  // waiting on cores another fold holds. Thread counts do not change XGBoost's models.
  ModelParams fold_params = params;
  if (params.values().contains("nthread") && params.Integer("nthread") == 0) {
    Json values = params.values();
    values["nthread"] = 1;
    fold_params = ModelParams::Read(trainer.params(), values, "cross-validation");
  }
  const size_t k = folds.size();
  CrossValidation result;
  result.folds.resize(k);
  result.held_out.resize(k);
  auto run_fold = [&](size_t f) {
    std::vector<size_t> train_rows, test_rows;
    std::vector<double> train_y, test_y;
    for (size_t i : folds[f].train) {
      train_rows.push_back(input.rows[i]);
      train_y.push_back(input.y[i]);
    }
    for (size_t i : folds[f].test) {
      test_rows.push_back(input.rows[i]);
      test_y.push_back(input.y[i]);
    }
    Preprocessor preprocessor = Preprocessor::Fit(input.table, train_rows, input.features, preprocessing);
    FeatureMatrix x = preprocessor.Transform(input.table, train_rows);
    TrainingSet data{x, train_y, input.task, input.num_classes, input.seed};
    std::unique_ptr<Model> model = trainer.fit(data, fold_params, nullptr);
    Predictions predictions = model->Predict(preprocessor.Transform(input.table, test_rows));
    // Each fold writes its own slot: the result does not depend on which thread ran it.
    result.folds[f] = ComputeTestMetrics(input.task, test_y, predictions, input.class_names);
    result.held_out[f] = test_rows.size();
  };
  std::atomic<size_t> next{0};
  std::mutex mutex;  // guards `done`, `failure` and the progress callback
  size_t done = 0;
  std::exception_ptr failure;
  auto worker = [&] {
    for (size_t f = next++; f < k; f = next++) {
      try {
        run_fold(f);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        next = k;  // the others stop after their current fold
        return;
      }
      std::lock_guard lock(mutex);
      ++done;
      if (progress) progress(done, k);
    }
  };
  size_t workers = std::min<size_t>(k, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  result.summary = Summarise(result.folds);
  return result;
}

}  // namespace cairn::learn
