// The fitted model of the linear and logistic trainers: weights per output,
// predictions, and LinearRegressor/LinearClassifier export.
#pragma once

#include <memory>

#include "cairn/learn/trainers/ridge_trainer.h"

namespace cairn::learn {

// Regression: one output. Binary: one output (the log-odds of class 1).
// Multiclass: one output per class, turned into probabilities by softmax.
std::unique_ptr<Model> MakeLinearModel(LinearCoefficients coefficients, Task task);

}  // namespace cairn::learn
