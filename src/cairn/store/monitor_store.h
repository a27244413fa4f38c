// Monitoring records: stored drift reports, the alerts they raised with their
// webhook delivery status, and per-model check schedules. Every change commits
// together with its audit event (monitor.report.create, alert.create,
// alert.delivery, monitor.schedule.set, monitor.schedule.delete, monitor.schedule.run).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

struct NewAlert {
  std::string rule;
  std::string severity;  // info, warning, critical
  std::string message;
  Json details = Json::object();
};

struct NewMonitorReport {
  std::string model_name;                  // a model, or any label when monitoring without one
  std::optional<int64_t> model_version;    // empty when no registered model is involved
  std::optional<int64_t> window_from;      // UTC microseconds, for log windows
  std::optional<int64_t> window_to;
  std::string data_ref;       // "credit@2", a file name, or "log"
  std::string reference_ref;  // "credit@1" or "credit-risk@3/reference.json"
  Json report = Json::object();
  bool dataset_drift = false;
  double drift_share = 0.0;
  std::vector<NewAlert> alerts;  // recorded in the same transaction
};

struct MonitorReportRecord {
  std::string id;
  std::string model_name;
  std::optional<int64_t> model_version;
  std::optional<int64_t> window_from;
  std::optional<int64_t> window_to;
  std::string data_ref;
  std::string reference_ref;
  Json report = Json::object();
  bool dataset_drift = false;
  double drift_share = 0.0;
  int64_t created_at = 0;
};

struct AlertRecord {
  std::string id;
  std::string report_id;
  std::string model_name;
  std::string rule;
  std::string severity;
  std::string message;
  Json details = Json::object();
  int64_t created_at = 0;
  bool delivered = false;
  int64_t attempts = 0;
  std::string delivery_error;  // last failure when not delivered
};

struct MonitorSchedule {
  std::string model_name;
  int64_t every_seconds = 0;
  std::string data_ref;       // dataset name whose newest version is checked; "log" later
  std::string reference_ref;  // dataset ref for the reference, "" to use the model's
  std::optional<int64_t> last_run_at;
  int64_t next_due_at = 0;
  int64_t created_at = 0;
};

struct RecordedReport {
  MonitorReportRecord report;
  std::vector<AlertRecord> alerts;
};

class MonitorStore {
 public:
  explicit MonitorStore(sql::Connection& connection) : connection_(connection) {}

  // The report and its alerts, with one audit event each, in one transaction.
  RecordedReport RecordReport(const NewMonitorReport& spec);
  // kNotFound naming the id (a unique prefix of at least 6 characters is accepted).
  MonitorReportRecord GetReport(std::string_view id);
  // Newest first; `limit` 0 for all.
  std::vector<MonitorReportRecord> ListReports(std::string_view model_name, int64_t limit = 0);
  std::vector<AlertRecord> ListAlerts(std::string_view model_name, int64_t limit = 0);
  std::vector<AlertRecord> ListReportAlerts(std::string_view report_id);
  void RecordAlertDelivery(std::string_view alert_id, bool delivered, int64_t attempts, std::string_view error);

  // Creates or replaces the model's schedule; the first check is due at once.
  MonitorSchedule SetSchedule(const MonitorSchedule& schedule);
  // kNotFound when the model has no schedule.
  void DeleteSchedule(std::string_view model_name);
  std::vector<MonitorSchedule> ListSchedules();  // by model name
  std::vector<MonitorSchedule> DueSchedules(int64_t now);
  // Records a check that started at `ran_at` and moves next_due_at past it.
  MonitorSchedule MarkScheduleRun(std::string_view model_name, int64_t ran_at);

 private:
  sql::Connection& connection_;
};

Json ToJson(const MonitorReportRecord& record, bool with_report = true);
Json ToJson(const AlertRecord& alert);
Json ToJson(const MonitorSchedule& schedule);

}  // namespace cairn::store
