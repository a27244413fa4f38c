// k-fold cross-validation of one trainer and parameter set on the training
// split, as every run records it and every search trial is scored: folds
// stratified by class for classification and seeded, preprocessing refitted
// inside every fold (so no fold sees its held-out rows), the whole metric
// suite per fold, and its mean and standard deviation over the folds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"
#include "cairn/learn/test_metrics.h"
#include "cairn/learn/train_config.h"
#include "cairn/learn/trainer_registry.h"

namespace cairn::learn {

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
  uint64_t seed = 0;  // shuffles the folds and seeds every fold's trainer
};

struct CrossValidation {
  struct Summary {
    std::string metric;
    double mean = 0.0;
    double std = 0.0;  // population deviation over folds (ddof 0, as numpy.std)
  };
  std::vector<NamedMetrics> folds;   // each fold's metrics on its held-out rows
  std::vector<size_t> held_out;      // rows held out per fold
  // The metrics defined on every fold, in the suite's order.
  std::vector<Summary> summary;

  // nullptr when `metric` is undefined on some fold.
  const Summary* Find(const std::string& metric) const;
  // "cv.<metric>.mean" and "cv.<metric>.std" per summarised metric.
  NamedMetrics AsMetrics() const;
  // {"folds", "ddof", "held_out", "per_fold"}: what training.json records.
  Json ToJson() const;
};

// Folds run on up to one thread per core; the result is the same however they
// are scheduled. `progress` is called with (folds done, folds).
CrossValidation CrossValidate(const CrossValidationInput& input, const TrainerEntry& trainer, const ModelParams& params,
                              const ProgressFn& progress = nullptr);

}  // namespace cairn::learn
