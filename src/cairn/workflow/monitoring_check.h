// One monitoring check as the policy runs it: the drift report with its
// alerts, their delivery to the webhook, and, with `retrain: on_alert`, the
// retraining loop when the check raised an alert. The CLI's `monitor run`
// and the daemon's scheduled checks both come through here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/monitor/monitor_service.h"
#include "cairn/workflow/retraining.h"

namespace cairn::workflow {

struct MonitoringCheck {
  monitor::MonitorRunResult run;
  std::vector<monitor::DeliveryResult> deliveries;
  std::optional<RetrainOutcome> retrain;
  std::string retrain_skipped;  // why alerts led to no retraining, when they did not
};

MonitoringCheck RunMonitoringCheck(artifacts::Workspace& workspace, const monitor::MonitorRunRequest& request,
                                   const monitor::Policy& policy);

struct ScheduledMonitoringCheck {
  store::MonitorSchedule schedule;
  std::optional<MonitoringCheck> check;
  std::string error;  // why the check failed; the schedule still moves on
};

// Every schedule due at `now`, each checked as above.
std::vector<ScheduledMonitoringCheck> RunDueChecks(artifacts::Workspace& workspace, const monitor::Policy& policy,
                                                   int64_t now);

}  // namespace cairn::workflow
