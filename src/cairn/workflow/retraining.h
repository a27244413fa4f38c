// The retraining loop: a model's champion is retrained with the config its
// training run recorded, on newer data; the result is registered as the
// challenger, compared with the champion on the newest labelled data (the
// labelled traffic of the monitored window, or a dataset), and promoted only
// when it is significantly better on the primary metric. Every step is an
// audit event on the model, and lineage records alert -> run -> version.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/eval/promotion.h"
#include "cairn/learn/training_job.h"
#include "cairn/monitor/logged_traffic.h"
#include "cairn/monitor/policy.h"

namespace cairn::workflow {

// The alias a retrained version takes before the gate decides.
inline constexpr const char* kChallengerAlias = "challenger";

struct RetrainRequest {
  std::string model_name;
  std::string alias = "champion";  // the version retrained and challenged
  // Training data: a dataset ref; by default the newest version of the dataset
  // the champion was trained on (`retrain.data: latest`), or the labelled
  // traffic of `window` stored as a new dataset version (`retrain.data: window`).
  std::optional<std::string> data;
  // Comparison rows: a dataset ref or file; by default the labelled traffic of `window`.
  std::optional<std::string> compare_data;
  std::optional<monitor::TrafficWindow> window;
  std::vector<std::string> alert_ids;  // the alerts that triggered it; empty when run by hand
};

struct RetrainOutcome {
  std::string champion;  // "credit-risk@1"
  std::string dataset;   // what the challenger was trained on, "credit@2"
  std::string compared_on;
  learn::TrainingResult training;
  int64_t challenger_version = 0;
  eval::PromotionDecision decision;
};

// kInvalidInput before anything is written when there is nothing newer to train
// on, when the champion's run recorded no config, or when no labelled rows exist
// to compare on; the audit log then holds a `model.retrain.skip` event naming why.
RetrainOutcome Retrain(artifacts::Workspace& workspace, const RetrainRequest& request, const monitor::Policy& policy);

Json ToJson(const RetrainOutcome& outcome);

}  // namespace cairn::workflow
