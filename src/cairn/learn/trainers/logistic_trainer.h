// `logistic`: L2-regularised logistic regression, binary or multinomial (full
// softmax, one weight vector per class), minimising scikit-learn's objective
// 0.5 * |W|^2 + C * sum of log-losses (intercepts not penalised) by Newton's
// method with a backtracking line search, to a tight gradient tolerance so
// the coefficients agree with other exact solvers.
//
// Params (default): C (1.0) inverse penalty; max_iter (100) Newton steps;
// tol (1e-10) stop when the largest gradient entry is below tol * max(1, C * rows).
#pragma once

#include <vector>

#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

const std::vector<ParamSpec>& LogisticParams();
std::unique_ptr<Model> FitLogistic(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);

}  // namespace cairn::learn
