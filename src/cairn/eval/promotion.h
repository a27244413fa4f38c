// Gated promotion: an alias (champion by default) moves to a version only when
// that version is not significantly worse than the alias's current holder on
// the comparison data; every decision, either way, is an audit event.
#pragma once

#include <optional>
#include <string>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/eval/model_comparison.h"

namespace cairn::eval {

// What the candidate must show against the alias's holder on the comparison rows.
enum class PromotionGate {
  kNotWorse,  // not significantly worse on the primary metric (a manual promotion)
  kBetter,    // significantly better on the primary metric (an automatic one, e.g. after retraining)
};
std::string_view PromotionGateName(PromotionGate gate);  // "not_worse", "better"

struct PromotionOptions {
  std::string alias = "champion";
  std::string data;  // the rows both models are scored on (required when the alias is held)
  std::string target;
  // Rows already loaded (labelled traffic from the prediction log); used instead of `data` when set.
  std::optional<EvaluationData> rows;
  PromotionGate gate = PromotionGate::kNotWorse;
};

struct PromotionDecision {
  std::string model;
  int64_t version = 0;
  std::string alias;
  std::optional<int64_t> previous;  // the version that held the alias before
  bool promoted = false;
  std::string reason;
  std::optional<ModelComparison> comparison;  // previous holder (A) against the candidate (B)
  PromotionGate gate = PromotionGate::kNotWorse;
};

PromotionDecision PromoteModel(artifacts::Workspace& workspace, const std::string& name, int64_t version,
                               const PromotionOptions& options);

Json ToJson(const PromotionDecision& decision);

}  // namespace cairn::eval
