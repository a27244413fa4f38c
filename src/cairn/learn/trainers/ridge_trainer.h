// `linear`: ridge regression in closed form, as scikit-learn's Ridge solves it
// (the intercept is not penalised: features and target are centred first).
//
// Params (default): alpha (1.0) L2 penalty; fit_intercept (true).
#pragma once

#include <vector>

#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

const std::vector<ParamSpec>& RidgeParams();
std::unique_ptr<Model> FitRidge(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);

// Fitted weights, for parity checks against a reference implementation.
struct LinearCoefficients {
  size_t outputs = 1;                  // rows of `weights`
  std::vector<double> weights;         // outputs x features, row-major
  std::vector<double> intercepts;      // one per output
  int iterations = 0;
};
// Non-null for models of the linear and logistic trainers.
const LinearCoefficients* CoefficientsOf(const Model& model);

}  // namespace cairn::learn
