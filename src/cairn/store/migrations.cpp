#include "cairn/store/migrations.h"

#include <string>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"

namespace cairn::store {
namespace {

// Portable DDL only: TEXT, BIGINT, DOUBLE PRECISION, standard constraints.
// Times are BIGINT UTC microseconds; JSON documents are TEXT.
const char kTrackingAndAudit[] = R"sql(
CREATE TABLE experiments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  experiment_id TEXT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
  start_time BIGINT NOT NULL,
  end_time BIGINT,
  source_commit TEXT NOT NULL,
  source_branch TEXT NOT NULL,
  source_dirty BIGINT NOT NULL,
  environment TEXT NOT NULL,
  parent_run_id TEXT REFERENCES runs(id)
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);
CREATE INDEX runs_by_parent ON runs (parent_run_id);
CREATE TABLE params (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE metrics (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  step BIGINT NOT NULL,
  timestamp BIGINT NOT NULL
);
CREATE INDEX metrics_by_run_key ON metrics (run_id, key, step);
CREATE TABLE latest_metrics (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  step BIGINT NOT NULL,
  timestamp BIGINT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE tags (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE artifacts (
  run_id TEXT NOT NULL REFERENCES runs(id),
  path TEXT NOT NULL,
  blob_hash TEXT NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, path)
);
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_by_subject ON audit_events (subject, seq);
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql";

const char kDatasetsAndLineage[] = R"sql(
CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE dataset_versions (
  dataset_id TEXT NOT NULL REFERENCES datasets(id),
  version BIGINT NOT NULL,
  blob_hash TEXT NOT NULL,
  format TEXT NOT NULL,
  source_path TEXT NOT NULL,
  rows BIGINT NOT NULL,
  columns BIGINT NOT NULL,
  schema TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (dataset_id, version)
);
CREATE TABLE lineage_edges (
  from_kind TEXT NOT NULL,
  from_id TEXT NOT NULL,
  to_kind TEXT NOT NULL,
  to_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (from_kind, from_id, to_kind, to_id, kind)
);
CREATE INDEX lineage_by_target ON lineage_edges (to_kind, to_id);
)sql";

const char kModelRegistry[] = R"sql(
CREATE TABLE models (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE model_versions (
  model_id TEXT NOT NULL REFERENCES models(id),
  version BIGINT NOT NULL,
  blob_hash TEXT NOT NULL,
  size BIGINT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('run', 'import', 'derived')),
  run_id TEXT REFERENCES runs(id),
  parent_version BIGINT,
  metadata TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (model_id, version)
);
CREATE INDEX model_versions_by_run ON model_versions (run_id);
CREATE TABLE aliases (
  model_id TEXT NOT NULL REFERENCES models(id),
  alias TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (model_id, alias),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
);
CREATE TABLE evaluations (
  id TEXT PRIMARY KEY,
  model_name TEXT NOT NULL,
  model_version BIGINT NOT NULL,
  dataset_name TEXT NOT NULL,
  dataset_version BIGINT NOT NULL,
  metrics TEXT NOT NULL,
  run_id TEXT REFERENCES runs(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX evaluations_by_model ON evaluations (model_name, model_version, created_at);
)sql";

// The serving log: one row per answered request and variant, ground truth
// attached later by request id, and per-window feature summaries for monitoring.
const char kPredictionLog[] = R"sql(
CREATE TABLE predictions (
  request_id TEXT NOT NULL,
  variant TEXT NOT NULL,
  model_name TEXT NOT NULL,
  model_version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  latency_us BIGINT NOT NULL,
  row_count BIGINT NOT NULL,
  sample_weight DOUBLE PRECISION NOT NULL,
  inputs TEXT NOT NULL,
  outputs TEXT NOT NULL,
  labels TEXT NOT NULL,
  PRIMARY KEY (request_id, variant)
);
CREATE INDEX predictions_by_model ON predictions (model_name, created_at);
CREATE TABLE prediction_feedback (
  request_id TEXT PRIMARY KEY,
  labels TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE prediction_windows (
  id TEXT PRIMARY KEY,
  model_name TEXT NOT NULL,
  model_version BIGINT NOT NULL,
  variant TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  predictions BIGINT NOT NULL,
  dropped BIGINT NOT NULL,
  features TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX prediction_windows_by_model ON prediction_windows (model_name, window_start);
)sql";

// Monitoring: stored drift reports, the alerts they raised with their webhook
// delivery status, and per-model check schedules.
const char kMonitoring[] = R"sql(
CREATE TABLE monitor_reports (
  id TEXT PRIMARY KEY,
  model_name TEXT NOT NULL,
  model_version BIGINT,
  window_from BIGINT,
  window_to BIGINT,
  data_ref TEXT NOT NULL,
  reference_ref TEXT NOT NULL,
  report TEXT NOT NULL,
  dataset_drift BIGINT NOT NULL,
  drift_share DOUBLE PRECISION NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX monitor_reports_by_model ON monitor_reports (model_name, created_at);
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES monitor_reports(id),
  model_name TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  delivered BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  delivery_error TEXT NOT NULL
);
CREATE INDEX alerts_by_model ON alerts (model_name, created_at);
CREATE INDEX alerts_by_report ON alerts (report_id);
CREATE TABLE monitor_schedules (
  model_name TEXT PRIMARY KEY,
  every_seconds BIGINT NOT NULL,
  data_ref TEXT NOT NULL,
  reference_ref TEXT NOT NULL,
  last_run_at BIGINT,
  next_due_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
)sql";

bool HasSchemaVersionTable(sql::Connection& connection) {
  // information_schema is standard but SQLite lacks it; its catalog is sqlite_master.
  const char* sql = connection.dialect() == sql::Dialect::kSqlite
                        ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
                        : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_version'";
  auto statement = connection.Prepare(sql, "look for the schema_version table");
  return statement->Step() && statement->ColumnInt64(0) > 0;
}

int ReadVersion(sql::Connection& connection) {
  if (!HasSchemaVersionTable(connection)) return 0;
  auto statement = connection.Prepare("SELECT MAX(version) FROM schema_version", "read the schema version");
  if (!statement->Step() || statement->IsNull(0)) return 0;
  return static_cast<int>(statement->ColumnInt64(0));
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, "experiments, runs, params, metrics, tags, artifacts and the audit chain", kTrackingAndAudit},
      {2, "datasets, dataset versions and lineage", kDatasetsAndLineage},
      {3, "models, model versions, aliases and evaluations", kModelRegistry},
      {4, "prediction log, feedback and prediction windows", kPredictionLog},
      {5, "monitor reports, alerts and monitoring schedules", kMonitoring},
  };
  return migrations;
}

int LatestSchemaVersion() { return Migrations().back().version; }

int CurrentSchemaVersion(sql::Connection& connection) { return ReadVersion(connection); }

MigrationResult Migrate(sql::Connection& connection, const std::vector<Migration>& migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  // Checked before taking the write lock so that the common case, an up-to-date
  // store, never waits for another writer.
  const int seen = ReadVersion(connection);
  if (seen > latest) {
    ThrowUnsupported("store schema version " + std::to_string(seen) + " is newer than this cairn supports (" +
                     std::to_string(latest) + "); upgrade cairn");
  }
  if (seen == latest) return {seen, seen};

  sql::Transaction transaction(connection);
  // Read again under the lock: another process may have migrated meanwhile.
  const int from = ReadVersion(connection);
  if (from > latest) {
    ThrowUnsupported("store schema version " + std::to_string(from) + " is newer than this cairn supports (" +
                     std::to_string(latest) + "); upgrade cairn");
  }
  if (from == 0) {
    connection.Execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL)",
        "create the schema_version table");
  }
  auto record = connection.Prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                                   "record a schema version");
  for (const Migration& migration : migrations) {
    if (migration.version <= from) continue;
    connection.Execute(migration.sql, "migrate the store to schema version " + std::to_string(migration.version));
    record->Reset();
    record->BindInt64(migration.version).BindText(migration.description).BindInt64(NowMicros()).Execute();
  }
  transaction.Commit();
  return {from, latest};
}

}  // namespace cairn::store
