#include "cairn/learn/hyperparameter_search.h"

#include <cmath>

#include "cairn/core/error.h"
#include "cairn/learn/preprocessing.h"
#include "cairn/learn/random.h"
#include "cairn/learn/split.h"
#include "cairn/learn/test_metrics.h"

namespace cairn::learn {

std::vector<Json> SearchCandidates(const SearchConfig& search, uint64_t seed) {
  std::vector<Json> candidates;
  if (search.method == "grid") {
    candidates.push_back(Json::object());
    for (const auto& dimension : search.space) {
      std::vector<Json> next;
      for (const auto& partial : candidates) {
        for (const auto& value : dimension.values) {
          Json extended = partial;
          extended[dimension.param] = value;
          next.push_back(extended);
        }
      }
      candidates = std::move(next);
    }
    return candidates;
  }
  SplitMix64 random(seed ^ 0x5EA5C4ULL);
  for (int trial = 0; trial < search.trials; ++trial) {
    Json candidate = Json::object();
    for (const auto& dimension : search.space) {
      if (!dimension.is_range) {
        candidate[dimension.param] = dimension.values[random.Below(dimension.values.size())];
        continue;
      }
      double u = random.Uniform();
      double value = dimension.log ? std::exp(std::log(dimension.low) + u * (std::log(dimension.high) - std::log(dimension.low)))
                                   : dimension.low + u * (dimension.high - dimension.low);
      if (dimension.integer) {
        candidate[dimension.param] = static_cast<int64_t>(std::min(std::floor(value + 0.5), dimension.high));
      } else {
        candidate[dimension.param] = value;
      }
    }
    candidates.push_back(candidate);
  }
  return candidates;
}

Json MergeParams(const Json& base, const Json& candidate) {
  Json merged = base.is_object() ? base : Json::object();
  for (const auto& [key, value] : candidate.items()) merged[key] = value;
  return merged;
}

std::vector<std::string> SearchableMetrics(Task task) {
  if (task == Task::kRegression) return {"rmse", "mae", "r2", "mape", "median_absolute_error"};
  return {"accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro", "roc_auc", "pr_auc", "log_loss", "brier"};
}

CrossValidation CrossValidate(const CrossValidationInput& input, const TrainerEntry& trainer, const ModelParams& params) {
  std::vector<int> strata;
  if (input.task != Task::kRegression) {
    for (double value : input.y) strata.push_back(static_cast<int>(value));
  }
  std::vector<RowSplit> folds = KFolds(input.rows.size(), input.folds, input.seed, strata);
  CrossValidation result;
  for (const RowSplit& fold : folds) {
    std::vector<size_t> train_rows, test_rows;
    std::vector<double> train_y, test_y;
    for (size_t i : fold.train) {
      train_rows.push_back(input.rows[i]);
      train_y.push_back(input.y[i]);
    }
    for (size_t i : fold.test) {
      test_rows.push_back(input.rows[i]);
      test_y.push_back(input.y[i]);
    }
    Preprocessor preprocessor = Preprocessor::Fit(input.table, train_rows, input.features, input.preprocessing);
    FeatureMatrix x = preprocessor.Transform(input.table, train_rows);
    TrainingSet data{x, train_y, input.task, input.num_classes, input.seed};
    std::unique_ptr<Model> model = trainer.fit(data, params, nullptr);
    Predictions predictions = model->Predict(preprocessor.Transform(input.table, test_rows));
    NamedMetrics metrics = ComputeTestMetrics(input.task, test_y, predictions, input.class_names);
    auto it = std::find_if(metrics.begin(), metrics.end(), [&](const auto& entry) { return entry.first == input.metric; });
    if (it == metrics.end()) ThrowInvalidInput("search.metric: '" + input.metric + "' is undefined on a fold (too few rows of a class?)");
    result.scores.push_back(it->second);
  }
  double sum = 0;
  for (double score : result.scores) sum += score;
  result.mean = sum / static_cast<double>(result.scores.size());
  double squares = 0;
  for (double score : result.scores) squares += (score - result.mean) * (score - result.mean);
  result.std = std::sqrt(squares / static_cast<double>(result.scores.size()));
  return result;
}

}  // namespace cairn::learn
