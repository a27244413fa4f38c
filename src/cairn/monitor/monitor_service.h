// The monitoring service the CLI and the workflow layer call: resolves the
// model and its reference, reads current data, computes the drift report,
// stores it with the alerts its rules raise, delivers them to the webhook,
// and keeps the schedules of checks.
//
// Reference: the model version's run artifact `reference.json` (logged by the
// training job), or `--reference DATASET|FILE`, which also works with no
// registered model (NAME is then only a label). Current data: `--data
// DATASET|FILE`, else the server's prediction log for `--window` (24h by
// default) or `--from/--to`, with performance on the rows that received
// feedback against the training run's holdout value of the policy's metric.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/monitor/drift_engine.h"
#include "cairn/monitor/logged_traffic.h"
#include "cairn/monitor/policy.h"
#include "cairn/monitor/webhook.h"
#include "cairn/stats/reference_data.h"
#include "cairn/store/monitor_store.h"

namespace cairn::monitor {

// The artifact path under which training runs log a model's reference.
inline constexpr const char* kReferenceArtifact = "reference.json";
// The prediction-log window checked when neither --data nor a window is given.
inline constexpr const char* kDefaultWindow = "24h";

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

// The model's holdout value of `metric`: its training run's, else its first recorded evaluation's.
std::optional<double> HoldoutMetric(store::Store& store, const store::ModelVersion& model, const std::string& metric);

ResolvedReference ResolveReference(artifacts::Workspace& workspace, const MonitorRunRequest& request,
                                   const Policy& policy);

struct MonitorRunResult {
  DriftReport report;
  store::RecordedReport recorded;
  std::vector<Alert> alerts;  // as the rules raised them; `recorded.alerts` holds their stored form
  std::optional<store::ModelVersion> model;  // the monitored version, when NAME is a registered model
  std::optional<TrafficWindow> window;       // the prediction-log window read, when the log was the data
  std::string model_label;  // "credit-risk@3", or the label used without a model
};

MonitorRunResult RunMonitor(artifacts::Workspace& workspace, const MonitorRunRequest& request, const Policy& policy);

// POSTs each alert to the policy's webhook from a background thread and records
// the outcome of those finished within `wait`; nothing when the policy has no webhook.
std::vector<DeliveryResult> DeliverAlerts(artifacts::Workspace& workspace, const Policy& policy,
                                          const std::vector<store::AlertRecord>& alerts,
                                          std::chrono::milliseconds wait = std::chrono::seconds(10),
                                          const WebhookOptions& options = {});

// The data a schedule names when it checks the prediction log.
inline constexpr const char* kLogData = "log";

// Stores (or replaces) NAME's schedule after checking what it names, so a typo
// fails now and not in the daemon at night. `data` empty or "log": the
// prediction log of the interval before each check; else a dataset whose
// newest version is checked.
store::MonitorSchedule ScheduleMonitor(artifacts::Workspace& workspace, const std::string& name, int64_t every_seconds,
                                       const std::string& data, const std::string& reference);

// The check a schedule stands for: its dataset's newest version, or the log of
// its interval. workflow::RunDueChecks runs the due ones.
MonitorRunRequest RequestForSchedule(const store::MonitorSchedule& schedule);

}  // namespace cairn::monitor
