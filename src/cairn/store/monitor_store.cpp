#include "cairn/store/monitor_store.h"

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/store/audit_log.h"

namespace cairn::store {
namespace {

constexpr char kReportColumns[] =
    "id, model_name, model_version, window_from, window_to, data_ref, reference_ref, report, dataset_drift, "
    "drift_share, created_at";
constexpr char kAlertColumns[] =
    "id, report_id, model_name, rule, severity, message, details, created_at, delivered, attempts, delivery_error";
constexpr char kScheduleColumns[] =
    "model_name, every_seconds, data_ref, reference_ref, last_run_at, next_due_at, created_at";

std::string Dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json ParseStored(const std::string& text, const std::string& what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) ThrowCorrupt("store: " + what + " is not JSON");
  return value;
}

MonitorReportRecord ReadReport(const sql::Statement& row) {
  MonitorReportRecord r;
  r.id = row.ColumnText(0);
  r.model_name = row.ColumnText(1);
  r.model_version = row.ColumnOptionalInt64(2);
  r.window_from = row.ColumnOptionalInt64(3);
  r.window_to = row.ColumnOptionalInt64(4);
  r.data_ref = row.ColumnText(5);
  r.reference_ref = row.ColumnText(6);
  r.report = ParseStored(row.ColumnText(7), "monitor report " + r.id);
  r.dataset_drift = row.ColumnInt64(8) != 0;
  r.drift_share = row.ColumnDouble(9);
  r.created_at = row.ColumnInt64(10);
  return r;
}

AlertRecord ReadAlert(const sql::Statement& row) {
  AlertRecord a;
  a.id = row.ColumnText(0);
  a.report_id = row.ColumnText(1);
  a.model_name = row.ColumnText(2);
  a.rule = row.ColumnText(3);
  a.severity = row.ColumnText(4);
  a.message = row.ColumnText(5);
  a.details = ParseStored(row.ColumnText(6), "alert " + a.id);
  a.created_at = row.ColumnInt64(7);
  a.delivered = row.ColumnInt64(8) != 0;
  a.attempts = row.ColumnInt64(9);
  a.delivery_error = row.ColumnText(10);
  return a;
}

MonitorSchedule ReadSchedule(const sql::Statement& row) {
  MonitorSchedule s;
  s.model_name = row.ColumnText(0);
  s.every_seconds = row.ColumnInt64(1);
  s.data_ref = row.ColumnText(2);
  s.reference_ref = row.ColumnText(3);
  s.last_run_at = row.ColumnOptionalInt64(4);
  s.next_due_at = row.ColumnInt64(5);
  s.created_at = row.ColumnInt64(6);
  return s;
}

std::optional<MonitorSchedule> FindSchedule(sql::Connection& connection, std::string_view model_name) {
  auto statement = connection.Prepare(
      "SELECT " + std::string(kScheduleColumns) + " FROM monitor_schedules WHERE model_name = ?", "read a schedule");
  statement->BindText(model_name);
  if (!statement->Step()) return std::nullopt;
  return ReadSchedule(*statement);
}

}  // namespace

RecordedReport MonitorStore::RecordReport(const NewMonitorReport& spec) {
  if (spec.model_name.empty()) ThrowInvalidInput("a monitor report needs a model name or label");
  for (const auto& alert : spec.alerts) {
    if (alert.severity != "info" && alert.severity != "warning" && alert.severity != "critical")
      ThrowInvalidInput("alert severity '" + alert.severity + "' is not info, warning or critical");
  }
  RecordedReport out;
  MonitorReportRecord& r = out.report;
  r.id = NewId();
  r.model_name = spec.model_name;
  r.model_version = spec.model_version;
  r.window_from = spec.window_from;
  r.window_to = spec.window_to;
  r.data_ref = spec.data_ref;
  r.reference_ref = spec.reference_ref;
  r.report = spec.report;
  r.dataset_drift = spec.dataset_drift;
  r.drift_share = spec.drift_share;
  r.created_at = NowMicros();

  sql::Transaction transaction(connection_);
  connection_
      .Prepare("INSERT INTO monitor_reports (" + std::string(kReportColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               "record a monitor report")
      ->BindText(r.id)
      .BindText(r.model_name)
      .BindOptionalInt64(r.model_version)
      .BindOptionalInt64(r.window_from)
      .BindOptionalInt64(r.window_to)
      .BindText(r.data_ref)
      .BindText(r.reference_ref)
      .BindText(Dump(r.report))
      .BindInt64(r.dataset_drift ? 1 : 0)
      .BindDouble(r.drift_share)
      .BindInt64(r.created_at)
      .Execute();
  Json payload{{"id", r.id},
               {"model", r.model_name},
               {"data", r.data_ref},
               {"reference", r.reference_ref},
               {"dataset_drift", r.dataset_drift},
               {"drift_share", r.drift_share}};
  if (r.model_version) payload["version"] = *r.model_version;
  AppendAuditEvent(connection_, "monitor.report.create", "model:" + r.model_name, payload);

  auto insert = connection_.Prepare(
      "INSERT INTO alerts (" + std::string(kAlertColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '')",
      "record an alert");
  for (const NewAlert& spec_alert : spec.alerts) {
    AlertRecord a;
    a.id = NewId();
    a.report_id = r.id;
    a.model_name = r.model_name;
    a.rule = spec_alert.rule;
    a.severity = spec_alert.severity;
    a.message = spec_alert.message;
    a.details = spec_alert.details;
    a.created_at = r.created_at;
    insert->Reset();
    insert->BindText(a.id)
        .BindText(a.report_id)
        .BindText(a.model_name)
        .BindText(a.rule)
        .BindText(a.severity)
        .BindText(a.message)
        .BindText(Dump(a.details))
        .BindInt64(a.created_at)
        .Execute();
    AppendAuditEvent(connection_, "alert.create", "model:" + r.model_name,
                     Json{{"id", a.id}, {"report", r.id}, {"rule", a.rule}, {"severity", a.severity},
                          {"message", a.message}});
    out.alerts.push_back(std::move(a));
  }
  transaction.Commit();
  return out;
}

MonitorReportRecord MonitorStore::GetReport(std::string_view id) {
  if (id.size() < 6) ThrowInvalidInput("report id '" + std::string(id) + "' is too short; give at least 6 characters");
  auto statement = connection_.Prepare(
      "SELECT " + std::string(kReportColumns) + " FROM monitor_reports WHERE id = ? OR id LIKE ? ORDER BY id LIMIT 2",
      "read a monitor report");
  statement->BindText(id).BindText(std::string(id) + "%");
  if (!statement->Step()) ThrowNotFound("no monitor report '" + std::string(id) + "'");
  MonitorReportRecord first = ReadReport(*statement);
  if (first.id != id && statement->Step())
    ThrowInvalidInput("report id prefix '" + std::string(id) + "' matches several reports; give more characters");
  return first;
}

std::vector<MonitorReportRecord> MonitorStore::ListReports(std::string_view model_name, int64_t limit) {
  auto statement = connection_.Prepare("SELECT " + std::string(kReportColumns) +
                                           " FROM monitor_reports WHERE model_name = ? ORDER BY created_at DESC, id" +
                                           (limit > 0 ? " LIMIT " + std::to_string(limit) : std::string()),
                                       "list monitor reports");
  statement->BindText(model_name);
  std::vector<MonitorReportRecord> out;
  while (statement->Step()) out.push_back(ReadReport(*statement));
  return out;
}

std::vector<AlertRecord> MonitorStore::ListAlerts(std::string_view model_name, int64_t limit) {
  auto statement = connection_.Prepare("SELECT " + std::string(kAlertColumns) +
                                           " FROM alerts WHERE model_name = ? ORDER BY created_at DESC, id" +
                                           (limit > 0 ? " LIMIT " + std::to_string(limit) : std::string()),
                                       "list alerts");
  statement->BindText(model_name);
  std::vector<AlertRecord> out;
  while (statement->Step()) out.push_back(ReadAlert(*statement));
  return out;
}

std::vector<AlertRecord> MonitorStore::ListReportAlerts(std::string_view report_id) {
  auto statement = connection_.Prepare(
      "SELECT " + std::string(kAlertColumns) + " FROM alerts WHERE report_id = ? ORDER BY created_at, id",
      "list a report's alerts");
  statement->BindText(report_id);
  std::vector<AlertRecord> out;
  while (statement->Step()) out.push_back(ReadAlert(*statement));
  return out;
}

void MonitorStore::RecordAlertDelivery(std::string_view alert_id, bool delivered, int64_t attempts,
                                       std::string_view error) {
  sql::Transaction transaction(connection_);
  auto update = connection_.Prepare("UPDATE alerts SET delivered = ?, attempts = ?, delivery_error = ? WHERE id = ?",
                                    "record an alert's delivery");
  update->BindInt64(delivered ? 1 : 0).BindInt64(attempts).BindText(error).BindText(alert_id);
  if (update->Execute() == 0) ThrowNotFound("no alert '" + std::string(alert_id) + "'");
  Json payload{{"id", alert_id}, {"delivered", delivered}, {"attempts", attempts}};
  if (!error.empty()) payload["error"] = error;
  AppendAuditEvent(connection_, "alert.delivery", "alert:" + std::string(alert_id), payload);
  transaction.Commit();
}

MonitorSchedule MonitorStore::SetSchedule(const MonitorSchedule& spec) {
  if (spec.model_name.empty()) ThrowInvalidInput("a schedule needs a model name");
  if (spec.every_seconds < 60) ThrowInvalidInput("a schedule runs at most once a minute");
  if (spec.data_ref.empty()) ThrowInvalidInput("a schedule needs the data to check");
  MonitorSchedule s = spec;
  s.created_at = NowMicros();
  s.last_run_at.reset();
  s.next_due_at = s.created_at;
  sql::Transaction transaction(connection_);
  connection_.Prepare("DELETE FROM monitor_schedules WHERE model_name = ?", "replace a schedule")
      ->BindText(s.model_name)
      .Execute();
  connection_
      .Prepare("INSERT INTO monitor_schedules (" + std::string(kScheduleColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
               "record a schedule")
      ->BindText(s.model_name)
      .BindInt64(s.every_seconds)
      .BindText(s.data_ref)
      .BindText(s.reference_ref)
      .BindNull()
      .BindInt64(s.next_due_at)
      .BindInt64(s.created_at)
      .Execute();
  AppendAuditEvent(connection_, "monitor.schedule.set", "model:" + s.model_name,
                   Json{{"every_seconds", s.every_seconds}, {"data", s.data_ref}, {"reference", s.reference_ref}});
  transaction.Commit();
  return s;
}

void MonitorStore::DeleteSchedule(std::string_view model_name) {
  sql::Transaction transaction(connection_);
  auto statement = connection_.Prepare("DELETE FROM monitor_schedules WHERE model_name = ?", "delete a schedule");
  statement->BindText(model_name);
  if (statement->Execute() == 0) ThrowNotFound("no monitoring schedule for '" + std::string(model_name) + "'");
  AppendAuditEvent(connection_, "monitor.schedule.delete", "model:" + std::string(model_name), Json::object());
  transaction.Commit();
}

std::vector<MonitorSchedule> MonitorStore::ListSchedules() {
  auto statement = connection_.Prepare(
      "SELECT " + std::string(kScheduleColumns) + " FROM monitor_schedules ORDER BY model_name", "list schedules");
  std::vector<MonitorSchedule> out;
  while (statement->Step()) out.push_back(ReadSchedule(*statement));
  return out;
}

std::vector<MonitorSchedule> MonitorStore::DueSchedules(int64_t now) {
  auto statement = connection_.Prepare("SELECT " + std::string(kScheduleColumns) +
                                           " FROM monitor_schedules WHERE last_run_at IS NULL OR next_due_at <= ? "
                                           "ORDER BY next_due_at, model_name",
                                       "list due schedules");
  statement->BindInt64(now);
  std::vector<MonitorSchedule> out;
  while (statement->Step()) out.push_back(ReadSchedule(*statement));
  return out;
}

MonitorSchedule MonitorStore::MarkScheduleRun(std::string_view model_name, int64_t ran_at) {
  sql::Transaction transaction(connection_);
  auto found = FindSchedule(connection_, model_name);
  if (!found) ThrowNotFound("no monitoring schedule for '" + std::string(model_name) + "'");
  MonitorSchedule s = *found;
  // Skip intervals missed while nothing ran, so a backlog runs once.
  const int64_t step = s.every_seconds * 1'000'000;
  int64_t next = s.next_due_at + step;
  if (next <= ran_at) next += ((ran_at - next) / step + 1) * step;
  s.last_run_at = ran_at;
  s.next_due_at = next;
  connection_.Prepare("UPDATE monitor_schedules SET last_run_at = ?, next_due_at = ? WHERE model_name = ?",
                      "record a scheduled check")
      ->BindInt64(ran_at)
      .BindInt64(next)
      .BindText(model_name)
      .Execute();
  AppendAuditEvent(connection_, "monitor.schedule.run", "model:" + s.model_name,
                   Json{{"ran_at", ran_at}, {"next_due_at", next}});
  transaction.Commit();
  return s;
}

Json ToJson(const MonitorReportRecord& r, bool with_report) {
  Json json{{"id", r.id},
            {"model", r.model_name},
            {"version", r.model_version ? Json(*r.model_version) : Json(nullptr)},
            {"data", r.data_ref},
            {"reference", r.reference_ref},
            {"dataset_drift", r.dataset_drift},
            {"drift_share", r.drift_share},
            {"created_at", FormatUtc(r.created_at)}};
  if (r.window_from) json["window_from"] = FormatUtc(*r.window_from);
  if (r.window_to) json["window_to"] = FormatUtc(*r.window_to);
  if (with_report) json["report"] = r.report;
  return json;
}

Json ToJson(const AlertRecord& a) {
  return Json{{"id", a.id},
              {"report", a.report_id},
              {"model", a.model_name},
              {"rule", a.rule},
              {"severity", a.severity},
              {"message", a.message},
              {"details", a.details},
              {"created_at", FormatUtc(a.created_at)},
              {"delivered", a.delivered},
              {"attempts", a.attempts},
              {"delivery_error", a.delivery_error}};
}

Json ToJson(const MonitorSchedule& s) {
  return Json{{"model", s.model_name},
              {"every_seconds", s.every_seconds},
              {"data", s.data_ref},
              {"reference", s.reference_ref},
              {"last_run_at", s.last_run_at ? Json(FormatUtc(*s.last_run_at)) : Json(nullptr)},
              {"next_due_at", FormatUtc(s.next_due_at)},
              {"created_at", FormatUtc(s.created_at)}};
}

}  // namespace cairn::store
