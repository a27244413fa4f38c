// The HTML evaluation report: headline metrics, the full metric table and the
// charts people read first (ROC, precision-recall, calibration, confusion
// matrix; predicted-vs-actual and residuals for regression).
#pragma once

#include <string>

#include "cairn/eval/evaluation.h"
#include "cairn/eval/prediction_set.h"

namespace cairn::eval {

std::string RenderEvaluationReport(const EvaluationResult& result, const PredictionSet& predictions,
                                   const TargetValues& truth);

}  // namespace cairn::eval
