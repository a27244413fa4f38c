// A model's predictions on a table, in the shape metrics need, and the true
// values of its target column matched to the model's classes.
#pragma once

#include <string>
#include <vector>

#include "cairn/data/table.h"
#include "cairn/eval/scoring_model.h"

namespace cairn::eval {

struct PredictionSet {
  ModelTask task = ModelTask::kRegression;
  size_t rows = 0;
  std::vector<std::string> class_names;
  std::vector<double> probabilities;  // classification: row-major [rows, classes]
  std::vector<double> values;         // regression
  size_t num_classes() const { return class_names.size(); }
};

PredictionSet Predict(const ScoringModel& model, const data::Table& table, int threads = 1);

struct TargetValues {
  std::vector<int> classes;    // classification: index into the model's classes
  std::vector<double> values;  // regression
};

// The target column (the model's own unless `column` names another); a
// missing value, or a class the model does not know, is kInvalidInput naming
// the row (1-based, as in the file) and the value.
TargetValues ReadTarget(const ScoringModel& model, const data::Table& table, const std::string& column = "");

// The column the model's target is read from: `column` when given, else the
// target in its metadata; kInvalidInput when neither names one.
std::string TargetColumn(const ScoringModel& model, const std::string& column);

}  // namespace cairn::eval
