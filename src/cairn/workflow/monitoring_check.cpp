#include "cairn/workflow/monitoring_check.h"

#include "cairn/core/clock.h"
#include "cairn/core/error.h"

namespace cairn::workflow {

MonitoringCheck RunMonitoringCheck(artifacts::Workspace& workspace, const monitor::MonitorRunRequest& request,
                                   const monitor::Policy& policy) {
  MonitoringCheck check;
  check.run = monitor::RunMonitor(workspace, request, policy);
  check.deliveries = monitor::DeliverAlerts(workspace, policy, check.run.recorded.alerts);
  if (check.run.recorded.alerts.empty() || policy.retrain.mode != monitor::RetrainMode::kOnAlert) return check;
  if (!check.run.model) {
    check.retrain_skipped = "'" + request.name + "' is not a registered model";
    return check;
  }
  RetrainRequest retrain;
  retrain.model_name = check.run.model->name;
  for (const auto& alert : check.run.recorded.alerts) retrain.alert_ids.push_back(alert.id);
  if (request.data) {
    // Batch data with labels is the newest labelled data there is.
    retrain.compare_data = *request.data;
  } else {
    retrain.window = check.run.window;
  }
  try {
    check.retrain = Retrain(workspace, retrain, policy);
  } catch (const Error& e) {
    // A skipped retraining is a finding of the check (already in the audit log), not its failure.
    if (e.code() != ErrorCode::kInvalidInput) throw;
    check.retrain_skipped = e.what();
  }
  return check;
}

std::vector<ScheduledMonitoringCheck> RunDueChecks(artifacts::Workspace& workspace, const monitor::Policy& policy,
                                                   int64_t now) {
  std::vector<ScheduledMonitoringCheck> checks;
  store::MonitorStore monitoring = workspace.store().monitoring();
  for (const store::MonitorSchedule& schedule : monitoring.DueSchedules(now)) {
    ScheduledMonitoringCheck scheduled;
    try {
      scheduled.check = RunMonitoringCheck(workspace, monitor::RequestForSchedule(schedule), policy);
    } catch (const Error& e) {
      scheduled.error = e.what();
    }
    scheduled.schedule = monitoring.MarkScheduleRun(schedule.model_name, now);
    checks.push_back(std::move(scheduled));
  }
  return checks;
}

}  // namespace cairn::workflow
