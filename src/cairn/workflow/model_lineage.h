// Where each version of a model came from and what happened to it: per
// version the run and datasets that produced it, the version it was retrained
// from and the alerts that triggered that; and one timeline of registrations,
// alerts, retraining, comparisons and alias moves, read from the registry,
// the lineage edges, the monitor store and the audit log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/store/model.h"

namespace cairn::workflow {

struct VersionLineage {
  store::ModelVersion version;
  std::vector<std::string> aliases;
  std::optional<std::string> run_name;
  std::vector<std::string> datasets;          // the run's inputs, "credit@2"
  std::optional<std::string> retrained_from;  // "credit-risk@1"
  std::vector<std::string> triggered_by;      // alert ids
};

struct LineageEvent {
  int64_t at = 0;
  std::string action;  // the audit action, or "alert"
  std::string text;
};

struct ModelLineage {
  std::string name;
  std::vector<VersionLineage> versions;  // oldest first
  std::vector<LineageEvent> history;     // oldest first
};

// kNotFound (with a "did you mean") for an unknown model.
ModelLineage BuildModelLineage(artifacts::Workspace& workspace, const std::string& name);

Json ToJson(const ModelLineage& lineage);

}  // namespace cairn::workflow
