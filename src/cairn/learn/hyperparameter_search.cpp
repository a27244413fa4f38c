#include "cairn/learn/hyperparameter_search.h"

#include <algorithm>
#include <cmath>

#include "cairn/learn/random.h"

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

}  // namespace cairn::learn
