// The monitoring service the CLI (and later the server) calls: resolves the
// model and its reference, reads current data, computes the drift report,
// stores it with the alerts its rules raise, delivers them to the webhook,
// and runs scheduled checks when they are due.
//
// Reference: the model version's run artifact `reference.json` (logged by the
// training job), or `--reference DATASET|FILE`, which also works with no
// registered model (NAME is then only a label). Current data: `--data
// DATASET|FILE`; windows of the prediction log (`--window`, `--from/--to`)
// are refused with kUnsupported until the log is wired in.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/monitor/drift_engine.h"
#include "cairn/monitor/policy.h"
#include "cairn/monitor/webhook.h"
#include "cairn/stats/reference_data.h"
#include "cairn/store/monitor_store.h"

namespace cairn::monitor {

// The artifact path under which training runs log a model's reference.
inline constexpr const char* kReferenceArtifact = "reference.json";

struct MonitorRunRequest {
  std::string name;  // a model name (champion, else latest), a model ref, or a label with `reference`
  std::optional<std::string> data;
  std::optional<std::string> reference;
  std::optional<std::string> window;  // "24h"
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::vector<std::string> exclude;  // columns left out, besides the policy's
};

struct ResolvedReference {
  stats::ReferenceData reference;
  std::string ref;                         // "credit@1", "credit-risk@3:reference.json"
  std::optional<store::ModelVersion> model;  // when NAME named a registered model
};

// The model NAME names (champion alias, else latest; or the ref as given);
// nullopt when no model of that name exists and `allow_missing` is set.
std::optional<store::ModelVersion> ResolveMonitoredModel(store::Store& store, const std::string& name,
                                                         bool allow_missing);

// A dataset ref ("credit@2") or a file path; `label` receives the form shown in reports.
data::Table LoadTableRef(artifacts::Workspace& workspace, const std::string& ref, std::string* label);

ResolvedReference ResolveReference(artifacts::Workspace& workspace, const MonitorRunRequest& request,
                                   const Policy& policy);

struct MonitorRunResult {
  DriftReport report;
  store::RecordedReport recorded;
  std::string model_label;  // "credit-risk@3", or the label used without a model
};

MonitorRunResult RunMonitor(artifacts::Workspace& workspace, const MonitorRunRequest& request, const Policy& policy);

// POSTs each alert to the policy's webhook from a background thread and records
// the outcome of those finished within `wait`; nothing when the policy has no webhook.
std::vector<DeliveryResult> DeliverAlerts(artifacts::Workspace& workspace, const Policy& policy,
                                          const std::vector<store::AlertRecord>& alerts,
                                          std::chrono::milliseconds wait = std::chrono::seconds(10),
                                          const WebhookOptions& options = {});

struct ScheduledCheck {
  store::MonitorSchedule schedule;
  std::optional<MonitorRunResult> result;
  std::string error;  // why the check failed; the schedule still moves on
};

// Runs every schedule due at `now`, each on the newest version of its dataset.
std::vector<ScheduledCheck> RunDueSchedules(artifacts::Workspace& workspace, const Policy& policy, int64_t now);

}  // namespace cairn::monitor
