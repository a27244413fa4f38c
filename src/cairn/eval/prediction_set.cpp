#include "cairn/eval/prediction_set.h"

#include <cmath>

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/runtime/batch_scoring.h"

namespace cairn::eval {

namespace {

// Integer-valued text for a float target ("1.0" -> "1"), so float-typed labels
// still match class names written as integers.
std::string CanonicalClassText(const data::Column& column, size_t row) {
  if (column.type() == data::ColumnType::kFloat) {
    double v = column.NumericValue(row);
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return FormatNumber(v);
  }
  return column.ValueText(row);
}

}  // namespace

PredictionSet Predict(const ScoringModel& model, const data::Table& table, int threads) {
  runtime::BatchScoringOptions options;
  options.threads = threads;
  runtime::ScoredTable scored = runtime::ScoreTable(model.session(), table, options);
  PredictionSet set;
  set.task = model.signature().task;
  set.rows = static_cast<size_t>(scored.rows);
  if (set.task == ModelTask::kRegression) {
    for (const auto& column : scored.columns) {
      if (column.is_text || (column.name != "variable" && !set.values.empty())) continue;
      if (column.name == "variable" || set.values.empty()) set.values = column.numbers;
      if (column.name == "variable") break;
    }
    if (set.values.size() != set.rows) ThrowInvalidInput(model.label() + ": the model gives no numeric prediction");
    return set;
  }
  set.class_names = model.signature().class_names;
  std::vector<const runtime::ScoreColumn*> probability_columns;
  for (const auto& column : scored.columns) {
    if (!column.is_text && StartsWith(column.name, "prob_")) probability_columns.push_back(&column);
  }
  if (probability_columns.size() != set.class_names.size()) {
    ThrowInvalidInput(model.label() + ": the model gives " + std::to_string(probability_columns.size()) +
                      " probability columns for " + std::to_string(set.class_names.size()) + " classes");
  }
  const size_t k = set.class_names.size();
  set.probabilities.resize(set.rows * k);
  for (size_t c = 0; c < k; ++c) {
    const auto& numbers = probability_columns[c]->numbers;
    for (size_t r = 0; r < set.rows; ++r) set.probabilities[r * k + c] = numbers[r];
  }
  return set;
}

std::string TargetColumn(const ScoringModel& model, const std::string& column) {
  if (!column.empty()) return column;
  if (!model.signature().target.empty()) return model.signature().target;
  ThrowInvalidInput(model.label() + " does not name its target column; pass --target COLUMN");
}

TargetValues ReadTarget(const ScoringModel& model, const data::Table& table, const std::string& column) {
  std::string name = TargetColumn(model, column);
  const data::Column& target = table.column(name);
  TargetValues values;
  const auto& signature = model.signature();
  if (signature.task == ModelTask::kRegression) {
    values.values.reserve(table.num_rows());
    for (size_t row = 0; row < table.num_rows(); ++row) {
      double v = target.NumericValue(row);
      if (target.IsNull(row) || std::isnan(v)) {
        ThrowInvalidInput("target '" + name + "': row " + std::to_string(row + 1) + " has no value");
      }
      values.values.push_back(v);
    }
    return values;
  }
  values.classes.reserve(table.num_rows());
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if (target.IsNull(row)) ThrowInvalidInput("target '" + name + "': row " + std::to_string(row + 1) + " has no value");
    std::string text = CanonicalClassText(target, row);
    int index = -1;
    for (size_t k = 0; k < signature.class_names.size(); ++k) {
      if (signature.class_names[k] == text) index = static_cast<int>(k);
    }
    if (index < 0) {
      ThrowInvalidInput("target '" + name + "': row " + std::to_string(row + 1) + " holds '" + text +
                        "', which is not one of " + model.label() + "'s classes (" + Join(signature.class_names, ", ") +
                        ")");
    }
    values.classes.push_back(index);
  }
  return values;
}

}  // namespace cairn::eval
