// `logistic`: L2-regularised logistic regression, binary or multinomial (full
// softmax, one weight vector per class), minimising scikit-learn's objective
// 0.5 * |W|^2 + C * sum of log-losses (intercepts not penalised) by L-BFGS, to
// a tight gradient tolerance so the coefficients agree with other exact
// solvers. Each iteration costs a few passes over the N x F matrix, never the
// (F K)^2 Hessian a Newton step needs, so wide one-hot inputs stay quick.
//
// Params (default): C (1.0) inverse penalty; max_iter (1000) L-BFGS iterations;
// tol (1e-10) stop when the largest gradient entry is below tol * max(1, C * rows).
#pragma once

#include <vector>

#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

const std::vector<ParamSpec>& LogisticParams();
std::unique_ptr<Model> FitLogistic(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);

}  // namespace cairn::learn
