#include "cairn/store/prediction_log_store.h"

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/store/audit_log.h"

namespace cairn::store {
namespace {

constexpr char kPredictionColumns[] =
    "request_id, variant, model_name, model_version, created_at, latency_us, row_count, sample_weight, inputs, "
    "outputs, labels";

PredictionRecord ReadPrediction(const sql::Statement& row) {
  PredictionRecord record;
  record.request_id = row.ColumnText(0);
  record.variant = row.ColumnText(1);
  record.model_name = row.ColumnText(2);
  record.model_version = row.ColumnInt64(3);
  record.created_at = row.ColumnInt64(4);
  record.latency_us = row.ColumnInt64(5);
  record.row_count = row.ColumnInt64(6);
  record.sample_weight = row.ColumnDouble(7);
  record.inputs = row.ColumnText(8);
  record.outputs = row.ColumnText(9);
  record.labels = row.ColumnText(10);
  return record;
}

Json ParseStored(const std::string& text, const sql::Connection& connection, const std::string& what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) ThrowCorrupt("store " + connection.location() + ": " + what + " is not JSON");
  return value;
}

}  // namespace

void PredictionLogStore::AppendPredictions(std::span<const PredictionRecord> records) {
  if (records.empty()) return;
  sql::Transaction transaction(connection_);
  auto insert = connection_.Prepare(std::string("INSERT INTO predictions (") + kPredictionColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                        "ON CONFLICT (request_id, variant) DO NOTHING",
                                    "log a prediction");
  for (const auto& record : records) {
    insert->BindText(record.request_id)
        .BindText(record.variant)
        .BindText(record.model_name)
        .BindInt64(record.model_version)
        .BindInt64(record.created_at)
        .BindInt64(record.latency_us)
        .BindInt64(record.row_count)
        .BindDouble(record.sample_weight)
        .BindText(record.inputs)
        .BindText(record.outputs)
        .BindText(record.labels)
        .Execute();
    insert->Reset();
  }
  transaction.Commit();
}

void PredictionLogStore::RecordFeedback(std::span<const FeedbackRecord> records) {
  if (records.empty()) return;
  sql::Transaction transaction(connection_);
  auto upsert = connection_.Prepare(
      "INSERT INTO prediction_feedback (request_id, labels, created_at) VALUES (?, ?, ?) "
      "ON CONFLICT (request_id) DO UPDATE SET labels = excluded.labels, created_at = excluded.created_at",
      "record feedback");
  for (const auto& record : records) {
    upsert->BindText(record.request_id).BindText(record.labels).BindInt64(record.created_at).Execute();
    upsert->Reset();
  }
  transaction.Commit();
}

void PredictionLogStore::RecordWindow(const PredictionWindow& window) {
  sql::Transaction transaction(connection_);
  const int64_t created_at = window.created_at != 0 ? window.created_at : NowMicros();
  connection_
      .Prepare(
          "INSERT INTO prediction_windows (id, model_name, model_version, variant, window_start, window_end, "
          "predictions, dropped, features, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          "record a prediction window")
      ->BindText(window.id)
      .BindText(window.model_name)
      .BindInt64(window.model_version)
      .BindText(window.variant)
      .BindInt64(window.window_start)
      .BindInt64(window.window_end)
      .BindInt64(window.predictions)
      .BindInt64(window.dropped)
      .BindText(window.features.dump(-1, ' ', false, Json::error_handler_t::replace))
      .BindInt64(created_at)
      .Execute();
  AppendAuditEvent(connection_, "predictions.window", "model:" + window.model_name,
                   Json{{"id", window.id},
                        {"model_version", window.model_version},
                        {"variant", window.variant},
                        {"window_start", window.window_start},
                        {"window_end", window.window_end},
                        {"predictions", window.predictions},
                        {"dropped", window.dropped}});
  transaction.Commit();
}

int64_t PredictionLogStore::CountPredictions(std::string_view model_name, std::optional<std::string_view> variant) {
  std::string sql = "SELECT COUNT(*) FROM predictions WHERE model_name = ?";
  if (variant) sql += " AND variant = ?";
  auto statement = connection_.Prepare(sql, "count logged predictions");
  statement->BindText(model_name);
  if (variant) statement->BindText(*variant);
  return statement->Step() ? statement->ColumnInt64(0) : 0;
}

std::vector<PredictionRecord> PredictionLogStore::ListPredictions(std::string_view model_name, int64_t limit) {
  std::string sql = std::string("SELECT ") + kPredictionColumns + " FROM predictions";
  if (!model_name.empty()) sql += " WHERE model_name = ?";
  sql += " ORDER BY created_at DESC, request_id";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  auto statement = connection_.Prepare(sql, "list logged predictions");
  if (!model_name.empty()) statement->BindText(model_name);
  std::vector<PredictionRecord> out;
  while (statement->Step()) out.push_back(ReadPrediction(*statement));
  return out;
}

std::optional<PredictionRecord> PredictionLogStore::FindPrediction(std::string_view request_id,
                                                                   std::string_view variant) {
  auto statement = connection_.Prepare(
      std::string("SELECT ") + kPredictionColumns + " FROM predictions WHERE request_id = ? AND variant = ?",
      "read a logged prediction");
  statement->BindText(request_id).BindText(variant);
  if (!statement->Step()) return std::nullopt;
  return ReadPrediction(*statement);
}

std::vector<FeedbackRecord> PredictionLogStore::ListFeedback() {
  auto statement = connection_.Prepare(
      "SELECT request_id, labels, created_at FROM prediction_feedback ORDER BY created_at, request_id",
      "list feedback");
  std::vector<FeedbackRecord> out;
  while (statement->Step()) {
    out.push_back({statement->ColumnText(0), statement->ColumnText(1), statement->ColumnInt64(2)});
  }
  return out;
}

std::vector<LabeledPrediction> PredictionLogStore::ListLabeledPredictions(std::string_view model_name) {
  auto statement = connection_.Prepare(
      "SELECT p.request_id, p.variant, p.model_version, p.labels, f.labels FROM predictions p "
      "JOIN prediction_feedback f ON f.request_id = p.request_id WHERE p.model_name = ? "
      "ORDER BY p.created_at, p.request_id, p.variant",
      "list predictions with feedback");
  statement->BindText(model_name);
  std::vector<LabeledPrediction> out;
  while (statement->Step()) {
    LabeledPrediction row;
    row.request_id = statement->ColumnText(0);
    row.variant = statement->ColumnText(1);
    row.model_version = statement->ColumnInt64(2);
    row.predicted = ParseStored(statement->ColumnText(3), connection_, "the labels of prediction " + row.request_id);
    row.truth = ParseStored(statement->ColumnText(4), connection_, "the feedback for " + row.request_id);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<PredictionWindow> PredictionLogStore::ListWindows(std::string_view model_name) {
  auto statement = connection_.Prepare(
      "SELECT id, model_name, model_version, variant, window_start, window_end, predictions, dropped, features, "
      "created_at FROM prediction_windows WHERE model_name = ? ORDER BY window_start, variant",
      "list prediction windows");
  statement->BindText(model_name);
  std::vector<PredictionWindow> out;
  while (statement->Step()) {
    PredictionWindow window;
    window.id = statement->ColumnText(0);
    window.model_name = statement->ColumnText(1);
    window.model_version = statement->ColumnInt64(2);
    window.variant = statement->ColumnText(3);
    window.window_start = statement->ColumnInt64(4);
    window.window_end = statement->ColumnInt64(5);
    window.predictions = statement->ColumnInt64(6);
    window.dropped = statement->ColumnInt64(7);
    window.features = ParseStored(statement->ColumnText(8), connection_, "prediction window " + window.id);
    window.created_at = statement->ColumnInt64(9);
    out.push_back(std::move(window));
  }
  return out;
}

void PredictionLogStore::ScanPredictions(const PredictionScan& scan,
                                         const std::function<void(const LoggedPrediction&)>& visit) {
  std::string sql = "SELECT p.request_id, p.variant, p.model_name, p.model_version, p.created_at, p.latency_us, "
                    "p.row_count, p.sample_weight, p.inputs, p.outputs, p.labels, f.labels FROM predictions p "
                    "LEFT JOIN prediction_feedback f ON f.request_id = p.request_id "
                    "WHERE p.model_name = ? AND p.created_at >= ? AND p.created_at < ?";
  if (scan.variant) sql += " AND p.variant = ?";
  sql += " AND (p.created_at > ? OR (p.created_at = ? AND (p.request_id > ? OR (p.request_id = ? AND p.variant > ?))))"
         " ORDER BY p.created_at, p.request_id, p.variant LIMIT ?";
  auto statement = connection_.Prepare(sql, "scan logged predictions");
  // The keyset starts just before the window: no row has created_at below `from`.
  int64_t last_at = scan.from - 1;
  std::string last_id, last_variant;
  const int64_t page = scan.page_size > 0 ? scan.page_size : 2000;
  while (true) {
    statement->Reset();
    statement->BindText(scan.model_name).BindInt64(scan.from).BindInt64(scan.to);
    if (scan.variant) statement->BindText(*scan.variant);
    statement->BindInt64(last_at).BindInt64(last_at).BindText(last_id).BindText(last_id).BindText(last_variant);
    statement->BindInt64(page);
    int64_t rows = 0;
    while (statement->Step()) {
      LoggedPrediction row;
      row.record = ReadPrediction(*statement);
      if (!statement->IsNull(11)) row.feedback = statement->ColumnText(11);
      last_at = row.record.created_at;
      last_id = row.record.request_id;
      last_variant = row.record.variant;
      ++rows;
      visit(row);
    }
    if (rows < page) break;
  }
}

}  // namespace cairn::store
