// `mlp`: a fully connected network with 1 to 3 ReLU hidden layers trained by
// Adam on shuffled minibatches, with early stopping on a held-out part of the
// training rows; softmax cross-entropy for classification, squared error on a
// standardised target for regression. Deterministic for a seed.
//
// Params (default): hidden_layers ([64]) units per hidden layer; learning_rate
// (0.001); batch_size (64); max_epochs (200); alpha (0.0001) L2 penalty;
// validation_fraction (0.1) rows held out for early stopping (none when under
// 20 rows); patience (10) epochs without an improvement above tol (1e-4) before stopping.
#pragma once

#include <vector>

#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

const std::vector<ParamSpec>& MlpParams();
std::unique_ptr<Model> FitMlp(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress);

}  // namespace cairn::learn
