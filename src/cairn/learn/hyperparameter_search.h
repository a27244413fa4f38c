// Hyper-parameter search: the candidate parameter sets of a grid or random
// search, and k-fold cross-validation of one candidate on the training split
// (preprocessing refitted inside every fold, so no fold sees its test rows).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"
#include "cairn/learn/train_config.h"
#include "cairn/learn/trainer_registry.h"

namespace cairn::learn {

// Grid: the cartesian product in the order the space lists parameters and
// values. Random: `trials` draws from a stream seeded with `seed`.
std::vector<Json> SearchCandidates(const SearchConfig& search, uint64_t seed);

// `base` overlaid with `candidate`.
Json MergeParams(const Json& base, const Json& candidate);

// Metric names a search may optimise for a task.
std::vector<std::string> SearchableMetrics(Task task);

struct CrossValidation {
  std::vector<double> scores;  // one per fold
  double mean = 0.0;
  double std = 0.0;  // population deviation over folds
};

struct CrossValidationInput {
  const data::Table& table;
  std::span<const size_t> rows;  // the training split
  std::span<const double> y;     // target per entry of `rows`
  const FeatureLists& features;
  const PreprocessingConfig& preprocessing;
  Task task = Task::kRegression;
  int num_classes = 1;
  std::vector<std::string> class_names;
  int folds = 5;
  uint64_t seed = 0;
  std::string metric;
};

CrossValidation CrossValidate(const CrossValidationInput& input, const TrainerEntry& trainer, const ModelParams& params);

}  // namespace cairn::learn
