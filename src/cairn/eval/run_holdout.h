// The holdout of a registered model: the test split that the training run
// behind it scored, rebuilt from what the run recorded (its dataset version and
// the row numbers in predictions.csv), so the same rows come back even if the
// split code changes later.
#pragma once

#include <string>

#include "cairn/artifacts/workspace.h"
#include "cairn/eval/evaluation.h"
#include "cairn/store/model.h"

namespace cairn::eval {

// A derived version (a quantized copy, say) uses the run of the version it was
// derived from. kInvalidInput, naming the version and suggesting --data, when
// no run trained it or the run recorded no test split; kCorrupt when the
// recorded rows do not fit the recorded dataset.
EvaluationData LoadRunHoldout(artifacts::Workspace& workspace, const store::ModelVersion& version);

}  // namespace cairn::eval
