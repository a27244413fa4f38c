#include "cairn/store/dataset_store.h"

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"
#include "cairn/core/text.h"
#include "cairn/store/audit_log.h"

namespace cairn::store {
namespace {

constexpr size_t kMaxNameLength = 128;

constexpr char kVersionColumns[] =
    "v.dataset_id, d.name, v.version, v.blob_hash, v.format, v.source_path, v.rows, v.columns, v.schema, "
    "v.profile, v.created_at";

Json ParseStoredJson(const std::string& text, const std::string& location, const std::string& what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) ThrowCorrupt("store " + location + ": " + what + " is not JSON");
  return value;
}

DatasetVersion ReadVersion(const sql::Statement& row, const std::string& location) {
  DatasetVersion version;
  version.dataset_id = row.ColumnText(0);
  version.name = row.ColumnText(1);
  version.version = row.ColumnInt64(2);
  version.blob_hash = row.ColumnText(3);
  version.format = row.ColumnText(4);
  version.source_path = row.ColumnText(5);
  version.rows = row.ColumnInt64(6);
  version.columns = row.ColumnInt64(7);
  const std::string ref = FormatDatasetRef(version.name, version.version);
  version.schema = ParseStoredJson(row.ColumnText(8), location, "the schema of " + ref);
  version.profile = ParseStoredJson(row.ColumnText(9), location, "the profile of " + ref);
  version.created_at = row.ColumnInt64(10);
  return version;
}

std::optional<Dataset> FindDataset(sql::Connection& connection, std::string_view name) {
  auto statement = connection.Prepare("SELECT id, name, created_at FROM datasets WHERE name = ?", "look up a dataset");
  statement->BindText(name);
  if (!statement->Step()) return std::nullopt;
  return Dataset{statement->ColumnText(0), statement->ColumnText(1), statement->ColumnInt64(2)};
}

// The given version, or the newest when `version` is empty; nullopt when absent.
std::optional<DatasetVersion> FindVersion(sql::Connection& connection, const Dataset& dataset,
                                          std::optional<int64_t> version) {
  const std::string from = " FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.dataset_id = ?";
  auto statement = connection.Prepare(
      "SELECT " + std::string(kVersionColumns) + from + (version ? " AND v.version = ?" : " ORDER BY v.version DESC LIMIT 1"),
      "read a dataset version");
  statement->BindText(dataset.id);
  if (version) statement->BindInt64(*version);
  if (!statement->Step()) return std::nullopt;
  return ReadVersion(*statement, connection.location());
}

std::vector<std::string> DatasetNames(sql::Connection& connection) {
  auto statement = connection.Prepare("SELECT name FROM datasets ORDER BY name", "list dataset names");
  std::vector<std::string> names;
  while (statement->Step()) names.push_back(statement->ColumnText(0));
  return names;
}

[[noreturn]] void ThrowNoDataset(sql::Connection& connection, std::string_view name) {
  const std::string hint = ClosestMatch(name, DatasetNames(connection));
  ThrowNotFound("no dataset '" + std::string(name) + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
}

}  // namespace

void ValidateDatasetName(std::string_view name) {
  if (name.empty()) ThrowInvalidInput("dataset name is empty");
  if (name.size() > kMaxNameLength) {
    ThrowInvalidInput("dataset name '" + std::string(name.substr(0, 40)) + "...' is longer than " +
                      std::to_string(kMaxNameLength) + " characters");
  }
  if (name.front() == '.' || name.front() == '-') {
    ThrowInvalidInput("dataset name '" + std::string(name) + "' must not start with '" + std::string(1, name.front()) +
                      "'");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                         c == '.' || c == '-';
    if (!allowed) {
      ThrowInvalidInput("dataset name '" + std::string(name) + "' has '" + std::string(1, c) + "' at character " +
                        std::to_string(i + 1) + "; names use letters, digits, '_', '.' and '-'");
    }
  }
}

AddedDatasetVersion DatasetStore::AddDatasetVersion(const NewDatasetVersion& spec) {
  ValidateDatasetName(spec.name);
  if (!IsSha256Hex(spec.blob_hash)) {
    ThrowInvalidInput("dataset '" + spec.name + "' has blob hash '" + spec.blob_hash +
                      "'; expected 64 lower-case hex digits");
  }
  if (spec.format.empty()) ThrowInvalidInput("dataset '" + spec.name + "' has no format");
  if (spec.rows < 0 || spec.columns < 0) {
    ThrowInvalidInput("dataset '" + spec.name + "' has a negative row or column count");
  }

  sql::Transaction transaction(connection_);
  std::optional<Dataset> dataset = FindDataset(connection_, spec.name);
  bool new_dataset = false;
  int64_t next_version = 1;
  if (dataset) {
    if (auto latest = FindVersion(connection_, *dataset, std::nullopt)) {
      if (latest->blob_hash == spec.blob_hash) return {*latest, false};
      next_version = latest->version + 1;
    }
  } else {
    dataset = Dataset{NewId(), spec.name, NowMicros()};
    connection_.Prepare("INSERT INTO datasets (id, name, created_at) VALUES (?, ?, ?)", "create a dataset")
        ->BindText(dataset->id)
        .BindText(dataset->name)
        .BindInt64(dataset->created_at)
        .Execute();
    new_dataset = true;
  }

  DatasetVersion version;
  version.dataset_id = dataset->id;
  version.name = dataset->name;
  version.version = next_version;
  version.blob_hash = spec.blob_hash;
  version.format = spec.format;
  version.source_path = spec.source_path;
  version.rows = spec.rows;
  version.columns = spec.columns;
  version.schema = spec.schema;
  version.profile = spec.profile;
  version.created_at = NowMicros();
  const auto dump = [](const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); };
  connection_
      .Prepare(
          "INSERT INTO dataset_versions (dataset_id, version, blob_hash, format, source_path, rows, columns, schema, "
          "profile, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          "record a dataset version")
      ->BindText(version.dataset_id)
      .BindInt64(version.version)
      .BindText(version.blob_hash)
      .BindText(version.format)
      .BindText(version.source_path)
      .BindInt64(version.rows)
      .BindInt64(version.columns)
      .BindText(dump(version.schema))
      .BindText(dump(version.profile))
      .BindInt64(version.created_at)
      .Execute();
  Json payload{{"name", version.name},     {"version", version.version},      {"blob_hash", version.blob_hash},
               {"format", version.format}, {"source_path", version.source_path}, {"rows", version.rows},
               {"columns", version.columns}};
  if (new_dataset) payload["new_dataset"] = true;
  AppendAuditEvent(connection_, "dataset.version", "dataset:" + version.name, payload);
  transaction.Commit();
  return {version, true};
}

std::vector<DatasetSummary> DatasetStore::ListDatasets() {
  auto statement = connection_.Prepare(
      "SELECT d.name, v.version, v.rows, v.columns, v.blob_hash, v.created_at FROM datasets d "
      "JOIN dataset_versions v ON v.dataset_id = d.id "
      "WHERE v.version = (SELECT MAX(w.version) FROM dataset_versions w WHERE w.dataset_id = d.id) ORDER BY d.name",
      "list datasets");
  std::vector<DatasetSummary> summaries;
  while (statement->Step()) {
    summaries.push_back({statement->ColumnText(0), statement->ColumnInt64(1), statement->ColumnInt64(2),
                         statement->ColumnInt64(3), statement->ColumnText(4), statement->ColumnInt64(5)});
  }
  return summaries;
}

DatasetVersion DatasetStore::GetDatasetVersion(std::string_view name, std::optional<int64_t> version) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const auto dataset = FindDataset(connection_, name);
  if (!dataset) ThrowNoDataset(connection_, name);
  if (auto found = FindVersion(connection_, *dataset, version)) {
    snapshot.Commit();
    return *found;
  }
  const auto latest = FindVersion(connection_, *dataset, std::nullopt);
  if (!latest) ThrowNotFound("dataset '" + std::string(name) + "' has no versions");
  ThrowNotFound("dataset '" + std::string(name) + "' has no version " + std::to_string(version.value_or(0)) +
                "; latest is " + std::to_string(latest->version));
}

std::vector<DatasetVersion> DatasetStore::ListDatasetVersions(std::string_view name) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const auto dataset = FindDataset(connection_, name);
  if (!dataset) ThrowNoDataset(connection_, name);
  auto statement = connection_.Prepare("SELECT " + std::string(kVersionColumns) +
                                           " FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
                                           "WHERE v.dataset_id = ? ORDER BY v.version",
                                       "list dataset versions");
  statement->BindText(dataset->id);
  std::vector<DatasetVersion> versions;
  while (statement->Step()) versions.push_back(ReadVersion(*statement, connection_.location()));
  snapshot.Commit();
  return versions;
}

}  // namespace cairn::store
