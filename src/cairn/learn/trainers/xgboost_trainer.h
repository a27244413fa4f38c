// Gradient-boosted trees and random forests through XGBoost's C API (hist):
// binary:logistic, multi:softprob and reg:squarederror.
//
// gbdt params (default): n_estimators (100) boosting rounds; max_depth (6);
// learning_rate (0.3); min_child_weight (1); subsample (1); colsample_bytree (1);
// colsample_bynode (1); reg_lambda (1); reg_alpha (0); gamma (0); max_bin (256);
// nthread (0 = every core; results do not depend on it).
// random_forest params: n_estimators (100) trees grown in one round with
// learning_rate 1; max_depth (6); subsample (0.8); colsample_bynode (0.8);
// min_child_weight (1); reg_lambda (1e-5); max_bin (256); nthread (0).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

const std::vector<ParamSpec>& GbdtParams();
const std::vector<ParamSpec>& RandomForestParams();
std::unique_ptr<Model> FitGbdt(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);
std::unique_ptr<Model> FitRandomForest(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);

// The XGBoost parameters cairn sets for a model (what a reference run must use too).
std::vector<std::pair<std::string, std::string>> XgboostBoosterParams(bool forest, const TrainingSet& data, const ModelParams& params);

}  // namespace cairn::learn
