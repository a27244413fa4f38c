#include "cairn/learn/trainer_registry.h"

#include <algorithm>

#include "cairn/learn/trainers/logistic_trainer.h"
#include "cairn/learn/trainers/mlp_trainer.h"
#include "cairn/learn/trainers/ridge_trainer.h"
#include "cairn/learn/trainers/xgboost_trainer.h"

namespace cairn::learn {

const std::vector<TrainerEntry>& Trainers() {
  static const std::vector<TrainerEntry> entries = {
      {"gbdt", "gradient-boosted trees (XGBoost); binary, multiclass, regression", &GbdtParams, &FitGbdt},
      {"random_forest", "random forest (XGBoost, one round of parallel trees); binary, multiclass, regression", &RandomForestParams,
       &FitRandomForest},
      {"linear", "ridge regression; regression", &RidgeParams, &FitRidge},
      {"logistic", "L2 logistic regression, binary or multinomial; classification", &LogisticParams, &FitLogistic},
      {"mlp", "multi-layer perceptron (ReLU, Adam, early stopping); binary, multiclass, regression", &MlpParams, &FitMlp},
  };
  return entries;
}

const TrainerEntry* FindTrainer(std::string_view name) {
  for (const auto& entry : Trainers()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

std::vector<std::string> TrainerNames() {
  std::vector<std::string> names;
  for (const auto& entry : Trainers()) names.emplace_back(entry.name);
  return names;
}

std::vector<std::string> TrainerParamNames(std::string_view name) {
  std::vector<std::string> names;
  if (const TrainerEntry* entry = FindTrainer(name)) {
    for (const auto& spec : entry->params()) names.push_back(spec.name);
  }
  return names;
}

bool IsTrainerParam(std::string_view trainer, std::string_view param) {
  std::vector<std::string> names = TrainerParamNames(trainer);
  return std::find(names.begin(), names.end(), param) != names.end();
}

}  // namespace cairn::learn
