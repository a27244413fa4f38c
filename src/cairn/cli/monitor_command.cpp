// cairn monitor: drift checks of a model's (or a dataset's) current data
// against its reference, stored reports, HTML pages, alerts and schedules.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/monitor/drift_html.h"
#include "cairn/monitor/monitor_service.h"
#include "cairn/monitor/schedule.h"
#include "cairn/workflow/monitoring_check.h"

namespace cairn::cli {
namespace {

struct RunOptions {
  monitor::MonitorRunRequest request;
  std::string data, reference, window, from, to, policy;
  bool fail_on_drift = false;
};

struct ReportOptions {
  std::string name;
  std::string output;
  std::string id;
};

struct AlertsOptions {
  std::string name;
  int64_t limit = 20;
};

struct ScheduleOptions {
  std::string name;
  std::string every;
  std::string data;
  std::string reference;
  bool remove = false;
};

struct DaemonOptions {
  std::string policy;
  bool once = false;
  double interval = 60;
};

std::optional<std::string> NonEmpty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

monitor::Policy LoadProjectPolicy(Context& context, const std::string& flag) {
  return monitor::LoadProjectPolicy(context.workspace().root(), flag);
}

std::string Number(double value) {
  if (std::isnan(value)) return "-";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return FormatNumber(value);
}

std::string Percent(double share) { return FormatNumber(100.0 * share, 3) + "%"; }

std::string RenderReport(const monitor::DriftReport& report) {
  TextTable table({"feature", "kind", "method", "statistic", "p-value", "threshold", "verdict", "psi", "missing",
                   "new categories"});
  for (const auto& f : report.features) {
    const std::string verdict = f.method == "none" ? "not tested (" + f.note + ")" : f.drift ? "DRIFT" : "ok";
    table.AddRow({f.role == "output" ? f.feature + " (output)" : f.feature, f.kind, f.method, Number(f.statistic),
                  Number(f.p_value), Number(f.threshold), verdict, Number(f.psi),
                  Percent(f.reference_missing_rate) + " -> " + Percent(f.current_missing_rate),
                  f.new_categories.empty() ? "" : Percent(f.new_category_rate)});
  }
  std::string out = table.Render();
  out += std::string(report.dataset_drift ? "Dataset drift" : "No dataset drift") + ": " +
         std::to_string(report.features_drifted) + " of " + std::to_string(report.features_tested) +
         " features drifted (share " + Number(report.drift_share) + ", threshold " +
         Number(report.drift_share_threshold) + ")\n";
  if (const auto& p = report.performance) {
    out += std::string(p->degraded ? "Performance drop" : "Performance holds") + ": " + p->metric + " " +
           Number(p->current) + " on " + std::to_string(p->rows) + " labelled rows against " + Number(p->baseline) +
           " on the holdout (tolerance " + Number(p->tolerance) + ")\n";
  }
  return out;
}

void PrintAlerts(const std::vector<store::AlertRecord>& alerts, std::string& out) {
  for (const auto& a : alerts) out += "ALERT [" + a.severity + "] " + a.message + "\n";
}

Json CheckJson(const workflow::MonitoringCheck& check) {
  Json json = store::ToJson(check.run.recorded.report, false);
  json["report"] = check.run.report.ToJson();
  Json alerts = Json::array();
  for (const auto& a : check.run.recorded.alerts) alerts.push_back(store::ToJson(a));
  json["alerts"] = alerts;
  Json delivered = Json::array();
  for (const auto& d : check.deliveries)
    delivered.push_back(Json{{"alert", d.id}, {"delivered", d.delivered}, {"attempts", d.attempts}, {"error", d.error}});
  json["deliveries"] = delivered;
  if (check.retrain) json["retrain"] = workflow::ToJson(*check.retrain);
  if (!check.retrain_skipped.empty()) json["retrain_skipped"] = check.retrain_skipped;
  return json;
}

std::string RenderRetrain(const workflow::RetrainOutcome& r) {
  std::string out = "Retrained " + r.champion + " on " + r.dataset + ": run " + r.training.run_id.substr(0, 12) +
                    ", registered " + r.decision.model + "@" + std::to_string(r.challenger_version) + " as " +
                    workflow::kChallengerAlias + "\n";
  out += std::string(r.decision.promoted ? "Promoted " : "Kept ") +
         (r.decision.promoted ? r.decision.model + "@" + std::to_string(r.challenger_version) + " to " + r.decision.alias
                              : r.champion + " as " + r.decision.alias) +
         ": " + r.decision.reason + "\n";
  return out;
}

std::string RenderCheck(const workflow::MonitoringCheck& check) {
  const auto& result = check.run;
  std::string out = "Drift of " + result.model_label + ": reference " + result.report.reference_source + " (" +
                    std::to_string(result.report.reference_rows) + " rows), current " + result.report.current_source +
                    " (" + std::to_string(result.report.current_rows) + " rows)\n\n";
  out += RenderReport(result.report);
  PrintAlerts(result.recorded.alerts, out);
  for (const auto& d : check.deliveries)
    out += d.delivered ? "Delivered alert " + d.id.substr(0, 12) + " to the webhook\n"
                       : "Webhook delivery of alert " + d.id.substr(0, 12) + " failed after " +
                             std::to_string(d.attempts) + " attempts: " + d.error + "\n";
  out += "Stored report " + result.recorded.report.id.substr(0, 12) + "\n";
  if (check.retrain) out += RenderRetrain(*check.retrain);
  if (!check.retrain_skipped.empty()) out += "Retraining skipped: " + check.retrain_skipped + "\n";
  return out;
}

void RunRun(RunOptions& options, Context& context) {
  auto& request = options.request;
  request.data = NonEmpty(options.data);
  request.reference = NonEmpty(options.reference);
  request.window = NonEmpty(options.window);
  request.from = NonEmpty(options.from);
  request.to = NonEmpty(options.to);
  const monitor::Policy policy = LoadProjectPolicy(context, options.policy);
  workflow::MonitoringCheck check = workflow::RunMonitoringCheck(context.workspace(), request, policy);
  const monitor::MonitorRunResult& result = check.run;
  context.Emit(CheckJson(check), [&] { return RenderCheck(check); });
  // Drift is a finding, not a failure: only --fail-on-drift turns it into exit status 1.
  if (options.fail_on_drift && result.report.dataset_drift) throw CLI::RuntimeError(1);
}

void RunReport(const ReportOptions& options, Context& context) {
  auto monitoring = context.workspace().store().monitoring();
  store::MonitorReportRecord record;
  if (!options.id.empty()) {
    record = monitoring.GetReport(options.id);
    if (record.model_name != options.name)
      ThrowInvalidInput("report " + options.id + " belongs to '" + record.model_name + "', not '" + options.name + "'");
  } else {
    auto latest = monitoring.ListReports(options.name, 1);
    if (latest.empty()) ThrowNotFound("no monitor reports for '" + options.name + "'; run cairn monitor run first");
    record = latest.front();
  }
  const std::string where = "monitor report " + record.id;
  monitor::DriftReport report = monitor::DriftReport::FromJson(record.report, where);
  if (!options.output.empty()) {
    std::vector<monitor::DriftReport> history;
    for (const auto& past : monitoring.ListReports(options.name, 100)) {
      if (past.id == record.id || past.created_at > record.created_at) continue;
      history.push_back(monitor::DriftReport::FromJson(past.report, "monitor report " + past.id));
    }
    monitor::DriftPageInfo info;
    const std::string model = record.model_version ? store::FormatModelRef(record.model_name, *record.model_version)
                                                   : record.model_name;
    info.title = "Drift of " + model;
    info.model = model;
    info.report_id = record.id;
    for (const auto& a : monitoring.ListReportAlerts(record.id)) info.alerts.push_back(a.message);
    WriteFileAtomic(options.output, monitor::RenderDriftHtml(report, info, history));
  }
  Json json = store::ToJson(record, !context.global.json || options.output.empty());
  if (!options.output.empty()) json["html"] = options.output;
  context.Emit(json, [&] {
    std::string out = "Report " + record.id.substr(0, 12) + " of " + record.model_name + " at " +
                      FormatUtc(record.created_at).substr(0, 19) + ": reference " + record.reference_ref +
                      ", current " + record.data_ref + "\n\n" + RenderReport(report);
    if (!options.output.empty()) out += "Wrote " + options.output + "\n";
    return out;
  });
}

void RunAlerts(const AlertsOptions& options, Context& context) {
  auto alerts = context.workspace().store().monitoring().ListAlerts(options.name, options.limit);
  Json json = Json::array();
  for (const auto& a : alerts) json.push_back(store::ToJson(a));
  context.Emit(json, [&] {
    if (alerts.empty()) return "No alerts for " + options.name + "\n";
    TextTable table({"created", "severity", "rule", "message", "delivered"});
    for (const auto& a : alerts) {
      std::string delivery = a.delivered ? "yes" : a.attempts > 0 ? "failed (" + std::to_string(a.attempts) + ")" : "-";
      table.AddRow({FormatUtc(a.created_at).substr(0, 19), a.severity, a.rule, a.message, delivery});
    }
    return table.Render();
  });
}

std::string RenderSchedules(const std::vector<store::MonitorSchedule>& schedules) {
  if (schedules.empty()) return "No monitoring schedules\n";
  TextTable table({"model", "every", "data", "reference", "last run", "next due"});
  for (const auto& s : schedules) {
    table.AddRow({s.model_name, monitor::FormatEvery(s.every_seconds), s.data_ref,
                  s.reference_ref.empty() ? "(model's)" : s.reference_ref,
                  s.last_run_at ? FormatUtc(*s.last_run_at).substr(0, 19) : "never",
                  FormatUtc(s.next_due_at).substr(0, 19)});
  }
  return table.Render();
}

void RunSchedule(const ScheduleOptions& options, Context& context) {
  auto monitoring = context.workspace().store().monitoring();
  if (options.name.empty()) {
    auto schedules = monitoring.ListSchedules();
    Json json = Json::array();
    for (const auto& s : schedules) json.push_back(store::ToJson(s));
    context.Emit(json, [&] { return RenderSchedules(schedules); });
    return;
  }
  if (options.remove) {
    monitoring.DeleteSchedule(options.name);
    context.Emit(Json{{"model", options.name}, {"deleted", true}},
                 [&] { return "Deleted the monitoring schedule of " + options.name + "\n"; });
    return;
  }
  if (options.every.empty()) ThrowInvalidInput("monitor schedule " + options.name + ": give --every (e.g. 1d)");
  store::MonitorSchedule schedule = monitor::ScheduleMonitor(context.workspace(), options.name,
                                                             monitor::ParseEvery(options.every), options.data,
                                                             options.reference);
  context.Emit(store::ToJson(schedule), [&] {
    return "Scheduled a drift check of " + options.name + " every " + monitor::FormatEvery(schedule.every_seconds) +
           (schedule.data_ref == monitor::kLogData ? std::string(" on the prediction log since the last check")
                                                   : " on the newest version of " + schedule.data_ref) +
           "\n";
  });
}

void RunDaemon(const DaemonOptions& options, Context& context) {
  if (!(options.interval >= 1)) ThrowInvalidInput("monitor daemon: --interval must be at least 1 second");
  const monitor::Policy policy = LoadProjectPolicy(context, options.policy);
  auto& workspace = context.workspace();
  while (true) {
    auto checks = workflow::RunDueChecks(workspace, policy, NowMicros());
    Json json = Json::array();
    std::string text;
    for (const auto& c : checks) {
      Json entry = store::ToJson(c.schedule);
      if (c.check) {
        entry["check"] = CheckJson(*c.check);
        text += RenderCheck(*c.check);
      } else {
        entry["error"] = c.error;
        text += "Check of " + c.schedule.model_name + " failed: " + c.error + "\n";
      }
      json.push_back(entry);
    }
    if (options.once) {
      context.Emit(json, [&] { return checks.empty() ? std::string("No checks due\n") : text; });
      return;
    }
    if (!checks.empty()) context.Emit(json, [&] { return text; });
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(options.interval * 1000)));
  }
}

}  // namespace

void AddMonitorCommands(CLI::App& app, Context& context) {
  auto* monitor_cmd = app.add_subcommand("monitor", "Drift checks, monitor reports, alerts and schedules");
  monitor_cmd->require_subcommand(1);

  auto run = std::make_shared<RunOptions>();
  auto* cmd = monitor_cmd->add_subcommand("run", "Check current data for drift against the reference");
  cmd->add_option("name", run->request.name, "Model name or ref (champion, else latest), or a label with --reference")
      ->required();
  cmd->add_option("--data", run->data, "Current data: a dataset ref (credit@2) or a file");
  cmd->add_option("--reference", run->reference,
                  "Reference data: a dataset ref or a file (default: the model's reference.json)");
  cmd->add_option("--policy", run->policy, "Policy file (default: policy.yaml at the workspace root)");
  cmd->add_option("--window", run->window, "Prediction-log window ending now, e.g. 24h");
  cmd->add_option("--from", run->from, "Prediction-log window start (UTC)");
  cmd->add_option("--to", run->to, "Prediction-log window end (UTC)");
  cmd->add_option("--exclude", run->request.exclude, "Columns not to test (besides the policy's)");
  cmd->add_flag("--fail-on-drift", run->fail_on_drift, "Exit with status 1 when the dataset drifts");
  cmd->callback([run, &context] { RunRun(*run, context); });

  auto report = std::make_shared<ReportOptions>();
  cmd = monitor_cmd->add_subcommand("report", "Show a stored monitor report, or write it as HTML");
  cmd->add_option("name", report->name, "Model name or label")->required();
  cmd->add_option("-o,--output", report->output, "Write a self-contained HTML page here");
  cmd->add_option("--id", report->id, "Report id or prefix (default: the newest)");
  cmd->callback([report, &context] { RunReport(*report, context); });

  auto alerts = std::make_shared<AlertsOptions>();
  cmd = monitor_cmd->add_subcommand("alerts", "List the alerts raised for a model, newest first");
  cmd->add_option("name", alerts->name, "Model name or label")->required();
  cmd->add_option("--limit", alerts->limit, "How many (0 for all)");
  cmd->callback([alerts, &context] { RunAlerts(*alerts, context); });

  auto schedule = std::make_shared<ScheduleOptions>();
  cmd = monitor_cmd->add_subcommand("schedule", "Schedule a model's drift check, or list schedules");
  cmd->add_option("name", schedule->name, "Model name or label (none: list schedules)");
  cmd->add_option("--every", schedule->every, "Interval: 30m, 12h, 1d, 1w");
  cmd->add_option("--data", schedule->data, "Dataset whose newest version is checked (default: the prediction log)");
  cmd->add_option("--reference", schedule->reference, "Reference dataset (default: the model's reference.json)");
  cmd->add_flag("--delete", schedule->remove, "Remove the schedule");
  cmd->callback([schedule, &context] { RunSchedule(*schedule, context); });

  auto daemon = std::make_shared<DaemonOptions>();
  cmd = monitor_cmd->add_subcommand("daemon", "Run scheduled checks when they are due");
  cmd->add_flag("--once", daemon->once, "Run the due checks once and exit");
  cmd->add_option("--interval", daemon->interval, "Seconds between looks at the schedules (default 60)");
  cmd->add_option("--policy", daemon->policy, "Policy file (default: policy.yaml at the workspace root)");
  cmd->callback([daemon, &context] { RunDaemon(*daemon, context); });
}

}  // namespace cairn::cli
