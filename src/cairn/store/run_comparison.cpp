#include "cairn/store/run_comparison.h"

#include <cmath>
#include <set>

#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::store {
namespace {

// Metrics whose names say that lower is better; everything else counts as higher-is-better
// only when it is a well-known score, so no run is called "best" on a guess.
bool LowerIsBetter(const std::string& key) {
  std::string k = ToLower(key);
  for (const char* word : {"loss", "error", "rmse", "mae", "mse", "mape", "brier", "time", "seconds", "size"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

bool HigherIsBetter(const std::string& key) {
  std::string k = ToLower(key);
  for (const char* word : {"auc", "accuracy", "precision", "recall", "f1", "r2", "score"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

RunComparison CompareRuns(const std::vector<Run>& runs) {
  if (runs.size() < 2) ThrowInvalidInput("compare needs at least two runs");
  RunComparison comparison;
  std::set<std::string> param_keys, metric_keys;
  for (const auto& run : runs) {
    comparison.run_ids.push_back(run.id);
    comparison.run_names.push_back(run.name);
    for (const auto& [key, value] : run.params) param_keys.insert(key);
    for (const auto& [key, metric] : run.metrics) metric_keys.insert(key);
  }
  auto mark = [](RunComparisonRow& row) {
    for (size_t i = 1; i < row.values.size(); ++i) {
      if (row.values[i] != row.values[0]) row.differs = true;
    }
  };
  for (const auto& key : param_keys) {
    RunComparisonRow row{"params." + key, {}, false, std::nullopt};
    for (const auto& run : runs) {
      auto it = run.params.find(key);
      row.values.push_back(it == run.params.end() ? std::nullopt : std::optional(it->second));
    }
    mark(row);
    comparison.rows.push_back(std::move(row));
  }
  for (const auto& key : metric_keys) {
    RunComparisonRow row{"metrics." + key, {}, false, std::nullopt};
    bool lower = LowerIsBetter(key), higher = !lower && HigherIsBetter(key);
    double best_value = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
      auto it = runs[i].metrics.find(key);
      if (it == runs[i].metrics.end()) {
        row.values.push_back(std::nullopt);
        continue;
      }
      double v = it->second.value;
      row.values.push_back(FormatNumber(v, 6));
      if (std::isnan(v) || !(lower || higher)) continue;
      if (!row.best || (lower ? v < best_value : v > best_value)) {
        row.best = i;
        best_value = v;
      }
    }
    mark(row);
    if (!row.differs) row.best.reset();
    comparison.rows.push_back(std::move(row));
  }
  return comparison;
}

Json ToJson(const RunComparison& comparison) {
  Json rows = Json::array();
  for (const auto& row : comparison.rows) {
    Json values = Json::array();
    for (const auto& v : row.values) values.push_back(v ? Json(*v) : Json(nullptr));
    Json item{{"field", row.field}, {"values", values}, {"differs", row.differs}};
    if (row.best) item["best_run"] = comparison.run_ids[*row.best];
    rows.push_back(item);
  }
  return Json{{"runs", comparison.run_ids}, {"names", comparison.run_names}, {"rows", rows}};
}

}  // namespace cairn::store
