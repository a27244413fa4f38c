#include "cairn/store/tracking_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"
#include "cairn/core/text.h"
#include "cairn/store/audit_log.h"
#include "cairn/store/run_filter.h"
#include "cairn/store/run_sort.h"

namespace cairn::store {
namespace {

constexpr size_t kMaxKeyLength = 250;
constexpr size_t kMinPrefixLength = 6;
constexpr size_t kIdLength = 32;

constexpr char kRunColumns[] =
    "r.id, r.experiment_id, e.name, r.name, r.status, r.start_time, r.end_time, r.source_commit, "
    "r.source_branch, r.source_dirty, r.environment, r.parent_run_id";

void ValidateName(std::string_view name, std::string_view what) {
  if (name.empty()) ThrowInvalidInput(std::string(what) + " is empty");
  if (name.size() > kMaxKeyLength) {
    ThrowInvalidInput(std::string(what) + " '" + std::string(name.substr(0, 40)) + "...' is longer than " +
                      std::to_string(kMaxKeyLength) + " characters");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) ThrowInvalidInput(std::string(what) + " '" + std::string(name) + "' holds a control character");
  }
}

bool IsHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Run ReadRun(const sql::Statement& row, const std::string& location) {
  Run run;
  run.id = row.ColumnText(0);
  run.experiment_id = row.ColumnText(1);
  run.experiment_name = row.ColumnText(2);
  run.name = row.ColumnText(3);
  const std::string status = row.ColumnText(4);
  const auto parsed = ParseRunStatus(status);
  if (!parsed) ThrowCorrupt("store " + location + ": run " + run.id + " has unknown status '" + status + "'");
  run.status = *parsed;
  run.start_time = row.ColumnInt64(5);
  run.end_time = row.ColumnOptionalInt64(6);
  run.source.commit = row.ColumnText(7);
  run.source.branch = row.ColumnText(8);
  run.source.dirty = row.ColumnInt64(9) != 0;
  run.environment = Json::parse(row.ColumnText(10), nullptr, /*allow_exceptions=*/false);
  if (run.environment.is_discarded()) {
    ThrowCorrupt("store " + location + ": run " + run.id + " has an environment that is not JSON");
  }
  run.parent_run_id = row.ColumnOptionalText(11);
  return run;
}

// Loads runs chosen by `where` (over runs r and experiments e, with at most one
// text parameter) together with their params, tags and latest metrics.
std::vector<Run> LoadRuns(sql::Connection& connection, const std::string& where,
                          const std::optional<std::string>& value) {
  const std::string from = " FROM runs r JOIN experiments e ON e.id = r.experiment_id " + where;
  std::vector<Run> runs;
  std::unordered_map<std::string, size_t> index;
  {
    auto statement = connection.Prepare("SELECT " + std::string(kRunColumns) + from, "read runs");
    if (value) statement->BindText(*value);
    while (statement->Step()) {
      runs.push_back(ReadRun(*statement, connection.location()));
      index.emplace(runs.back().id, runs.size() - 1);
    }
  }
  if (runs.empty()) return runs;
  auto for_each_row = [&](const std::string& sql, std::string_view purpose, auto&& handle) {
    auto statement = connection.Prepare(sql, purpose);
    if (value) statement->BindText(*value);
    while (statement->Step()) {
      const auto found = index.find(statement->ColumnText(0));
      if (found != index.end()) handle(runs[found->second], *statement);
    }
  };
  for_each_row("SELECT p.run_id, p.key, p.value FROM params p WHERE p.run_id IN (SELECT r.id" + from + ")",
               "read run params", [](Run& run, const sql::Statement& row) {
                 run.params.emplace(row.ColumnText(1), row.ColumnText(2));
               });
  for_each_row("SELECT t.run_id, t.key, t.value FROM tags t WHERE t.run_id IN (SELECT r.id" + from + ")",
               "read run tags", [](Run& run, const sql::Statement& row) {
                 run.tags.emplace(row.ColumnText(1), row.ColumnText(2));
               });
  for_each_row(
      "SELECT m.run_id, m.key, m.value, m.step, m.timestamp FROM latest_metrics m WHERE m.run_id IN (SELECT r.id" +
          from + ")",
      "read run metrics", [](Run& run, const sql::Statement& row) {
        Metric metric{row.ColumnText(1), row.ColumnDouble(2), row.ColumnInt64(3), row.ColumnInt64(4)};
        run.metrics.emplace(metric.key, metric);
      });
  return runs;
}

std::string ResolveRunIdIn(sql::Connection& connection, std::string_view run_ref) {
  const std::string ref = ToLower(Trim(run_ref));
  if (ref.empty()) ThrowInvalidInput("run id is empty");
  if (!IsHex(ref) || ref.size() > kIdLength) ThrowNotFound("no run '" + std::string(run_ref) + "'");
  if (ref.size() < kMinPrefixLength) {
    ThrowInvalidInput("run id prefix '" + ref + "' is too short; give at least " + std::to_string(kMinPrefixLength) +
                      " characters");
  }
  // Ids are lower-case hex, so every id starting with the prefix sorts between
  // the prefix and the prefix followed by 'g': a range an index can serve.
  auto statement = connection.Prepare("SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                                      "look up a run id");
  statement->BindText(ref).BindText(ref + "g");
  std::vector<std::string> ids;
  while (statement->Step()) ids.push_back(statement->ColumnText(0));
  if (ids.empty()) ThrowNotFound("no run '" + std::string(run_ref) + "'");
  if (ids.size() > 1) {
    ThrowInvalidInput("run id prefix '" + ref + "' matches several runs (" + ids[0] + ", " + ids[1] +
                      "...); give more characters");
  }
  return ids[0];
}

RunStatus ReadStatus(sql::Connection& connection, const std::string& run_id) {
  auto statement = connection.Prepare("SELECT status FROM runs WHERE id = ?", "read a run's status");
  statement->BindText(run_id);
  if (!statement->Step()) ThrowNotFound("no run '" + run_id + "'");
  const auto status = ParseRunStatus(statement->ColumnText(0));
  if (!status) ThrowCorrupt("store " + connection.location() + ": run " + run_id + " has an unknown status");
  return *status;
}

void RequireRunning(sql::Connection& connection, const std::string& run_id, std::string_view what) {
  const RunStatus status = ReadStatus(connection, run_id);
  if (status != RunStatus::kRunning) {
    ThrowConflict("run " + run_id + " has ended (" + std::string(RunStatusName(status)) + "); cannot " +
                  std::string(what));
  }
}

std::optional<Experiment> FindExperiment(sql::Connection& connection, std::string_view name) {
  auto statement =
      connection.Prepare("SELECT id, name, created_at FROM experiments WHERE name = ?", "look up an experiment");
  statement->BindText(name);
  if (!statement->Step()) return std::nullopt;
  return Experiment{statement->ColumnText(0), statement->ColumnText(1), statement->ColumnInt64(2)};
}

// Inside the caller's write transaction.
Experiment InsertExperiment(sql::Connection& connection, std::string_view name) {
  Experiment experiment{NewId(), std::string(name), NowMicros()};
  connection.Prepare("INSERT INTO experiments (id, name, created_at) VALUES (?, ?, ?)", "create an experiment")
      ->BindText(experiment.id)
      .BindText(experiment.name)
      .BindInt64(experiment.created_at)
      .Execute();
  AppendAuditEvent(connection, "experiment.create", "experiment:" + experiment.name,
                   Json{{"id", experiment.id}, {"name", experiment.name}});
  return experiment;
}

// The point of each key that becomes its latest value: highest step, then newest
// timestamp, then logged last.
std::vector<const Metric*> LatestPerKey(const std::vector<Metric>& metrics) {
  std::map<std::string_view, const Metric*> latest;
  for (const Metric& metric : metrics) {
    const Metric*& slot = latest[metric.key];
    if (slot == nullptr || metric.step > slot->step ||
        (metric.step == slot->step && metric.timestamp >= slot->timestamp)) {
      slot = &metric;
    }
  }
  std::vector<const Metric*> result;
  for (const auto& [key, metric] : latest) result.push_back(metric);
  return result;
}

}  // namespace

void ValidateKey(std::string_view key, std::string_view what) {
  if (key.empty()) ThrowInvalidInput(std::string(what) + " is empty");
  if (key.size() > kMaxKeyLength) {
    ThrowInvalidInput(std::string(what) + " '" + std::string(key.substr(0, 40)) + "...' is longer than " +
                      std::to_string(kMaxKeyLength) + " characters");
  }
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                         c == '.' || c == '-' || c == '/' || c == ' ';
    if (!allowed) {
      ThrowInvalidInput(std::string(what) + " '" + std::string(key) + "' has '" + std::string(1, c) +
                        "' at character " + std::to_string(i + 1) +
                        "; keys use letters, digits, '_', '.', '-', '/' and spaces");
    }
  }
}

Experiment TrackingStore::CreateExperiment(std::string_view name) {
  ValidateName(name, "experiment name");
  sql::Transaction transaction(connection_);
  if (FindExperiment(connection_, name)) ThrowConflict("experiment '" + std::string(name) + "' already exists");
  Experiment experiment = InsertExperiment(connection_, name);
  transaction.Commit();
  return experiment;
}

Experiment TrackingStore::GetExperimentByName(std::string_view name) {
  auto experiment = FindExperiment(connection_, name);
  if (!experiment) {
    std::vector<std::string> names;
    for (const Experiment& known : ListExperiments()) names.push_back(known.name);
    const std::string hint = ClosestMatch(name, names);
    ThrowNotFound("no experiment '" + std::string(name) + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  return *experiment;
}

Experiment TrackingStore::GetOrCreateExperiment(std::string_view name) {
  ValidateName(name, "experiment name");
  if (auto existing = FindExperiment(connection_, name)) return *existing;
  sql::Transaction transaction(connection_);
  // Looked up again under the write lock: another writer may have created it meanwhile.
  if (auto existing = FindExperiment(connection_, name)) return *existing;
  Experiment experiment = InsertExperiment(connection_, name);
  transaction.Commit();
  return experiment;
}

std::vector<Experiment> TrackingStore::ListExperiments() {
  auto statement =
      connection_.Prepare("SELECT id, name, created_at FROM experiments ORDER BY name", "list experiments");
  std::vector<Experiment> experiments;
  while (statement->Step()) {
    experiments.push_back({statement->ColumnText(0), statement->ColumnText(1), statement->ColumnInt64(2)});
  }
  return experiments;
}

Run TrackingStore::CreateRun(std::string_view experiment_name, std::string_view run_name, const RunSource& source,
                             const Json& environment, const std::optional<std::string>& parent_run_ref) {
  ValidateName(experiment_name, "experiment name");
  if (!run_name.empty()) ValidateName(run_name, "run name");
  sql::Transaction transaction(connection_);
  std::optional<Experiment> experiment = FindExperiment(connection_, experiment_name);
  if (!experiment) experiment = InsertExperiment(connection_, experiment_name);

  Run run;
  run.id = NewId();
  run.experiment_id = experiment->id;
  run.experiment_name = experiment->name;
  run.name = run_name.empty() ? "run-" + run.id.substr(0, 8) : std::string(run_name);
  run.status = RunStatus::kRunning;
  run.start_time = NowMicros();
  run.source = source;
  run.environment = environment;
  if (parent_run_ref) run.parent_run_id = ResolveRunIdIn(connection_, *parent_run_ref);

  connection_
      .Prepare(
          "INSERT INTO runs (id, experiment_id, name, status, start_time, end_time, source_commit, source_branch, "
          "source_dirty, environment, parent_run_id) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
          "create a run")
      ->BindText(run.id)
      .BindText(run.experiment_id)
      .BindText(run.name)
      .BindText(RunStatusName(run.status))
      .BindInt64(run.start_time)
      .BindText(run.source.commit)
      .BindText(run.source.branch)
      .BindInt64(run.source.dirty ? 1 : 0)
      .BindText(run.environment.dump(-1, ' ', false, Json::error_handler_t::replace))
      .BindOptionalText(run.parent_run_id)
      .Execute();
  Json payload{{"experiment", run.experiment_name}, {"name", run.name}, {"source", ToJson(run.source)}};
  if (run.parent_run_id) payload["parent_run_id"] = *run.parent_run_id;
  AppendAuditEvent(connection_, "run.create", "run:" + run.id, payload);
  transaction.Commit();
  return run;
}

std::string TrackingStore::ResolveRunId(std::string_view run_ref) { return ResolveRunIdIn(connection_, run_ref); }

Run TrackingStore::GetRun(std::string_view run_ref) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const std::string id = ResolveRunIdIn(connection_, run_ref);
  std::vector<Run> runs = LoadRuns(connection_, "WHERE r.id = ?", id);
  if (runs.empty()) ThrowNotFound("no run '" + std::string(run_ref) + "'");
  snapshot.Commit();
  return std::move(runs.front());
}

Run TrackingStore::EndRun(std::string_view run_ref, RunStatus status) {
  if (status == RunStatus::kRunning) ThrowInvalidInput("a run ends as FINISHED, FAILED or KILLED, not RUNNING");
  std::string id;
  {
    sql::Transaction transaction(connection_);
    id = ResolveRunIdIn(connection_, run_ref);
    const RunStatus current = ReadStatus(connection_, id);
    if (current != RunStatus::kRunning) {
      ThrowConflict("run " + id + " already ended as " + std::string(RunStatusName(current)));
    }
    const int64_t end_time = NowMicros();
    connection_.Prepare("UPDATE runs SET status = ?, end_time = ? WHERE id = ?", "end a run")
        ->BindText(RunStatusName(status))
        .BindInt64(end_time)
        .BindText(id)
        .Execute();
    AppendAuditEvent(connection_, "run.end", "run:" + id,
                     Json{{"status", RunStatusName(status)}, {"end_time", FormatUtc(end_time)}});
    transaction.Commit();
  }
  return GetRun(id);
}

void TrackingStore::LogBatch(std::string_view run_ref, const std::vector<Param>& params,
                             const std::vector<Metric>& metrics, const std::vector<Tag>& tags) {
  // Everything is checked before the write lock is taken.
  std::map<std::string, std::string> batch_params;
  for (const Param& param : params) {
    ValidateKey(param.key, "param key");
    const auto [it, inserted] = batch_params.emplace(param.key, param.value);
    if (!inserted && it->second != param.value) {
      ThrowConflict("param '" + param.key + "' is given twice in one batch, as '" + it->second + "' and '" +
                    param.value + "'");
    }
  }
  for (const Metric& metric : metrics) ValidateKey(metric.key, "metric key");
  for (const Tag& tag : tags) ValidateKey(tag.key, "tag key");
  const int64_t now = NowMicros();
  std::vector<Metric> points = metrics;
  for (Metric& point : points) {
    if (point.timestamp == 0) point.timestamp = now;
  }

  sql::Transaction transaction(connection_);
  const std::string id = ResolveRunIdIn(connection_, run_ref);
  if (!params.empty() || !metrics.empty()) RequireRunning(connection_, id, "log params or metrics to it");

  Json logged_params = Json::object();
  if (!batch_params.empty()) {
    auto existing = connection_.Prepare("SELECT value FROM params WHERE run_id = ? AND key = ?", "read a param");
    auto insert = connection_.Prepare("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", "log a param");
    for (const auto& [key, value] : batch_params) {
      existing->Reset();
      existing->BindText(id).BindText(key);
      if (existing->Step()) {
        const std::string old_value = existing->ColumnText(0);
        if (old_value == value) continue;
        ThrowConflict("param '" + key + "' of run " + id + " is already '" + old_value + "'; cannot change it to '" +
                      value + "' (params are immutable)");
      }
      insert->Reset();
      insert->BindText(id).BindText(key).BindText(value).Execute();
      logged_params[key] = value;
    }
  }

  Json logged_metrics = Json::array();
  if (!points.empty()) {
    auto insert = connection_.Prepare("INSERT INTO metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)",
                                      "log a metric");
    for (const Metric& point : points) {
      insert->Reset();
      insert->BindText(id).BindText(point.key).BindDouble(point.value).BindInt64(point.step).BindInt64(point.timestamp);
      insert->Execute();
      Json entry = ToJson(point);
      entry["timestamp"] = point.timestamp;
      logged_metrics.push_back(std::move(entry));
    }
    auto latest = connection_.Prepare(
        "INSERT INTO latest_metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, "
        "timestamp = excluded.timestamp WHERE excluded.step > latest_metrics.step OR "
        "(excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)",
        "update a run's latest metric");
    for (const Metric* point : LatestPerKey(points)) {
      latest->Reset();
      latest->BindText(id).BindText(point->key).BindDouble(point->value).BindInt64(point->step).BindInt64(
          point->timestamp);
      latest->Execute();
    }
  }

  Json logged_tags = Json::object();
  if (!tags.empty()) {
    auto existing = connection_.Prepare("SELECT value FROM tags WHERE run_id = ? AND key = ?", "read a tag");
    auto upsert = connection_.Prepare(
        "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = "
        "excluded.value",
        "set a tag");
    for (const Tag& tag : tags) {
      existing->Reset();
      existing->BindText(id).BindText(tag.key);
      if (existing->Step() && existing->ColumnText(0) == tag.value && !logged_tags.contains(tag.key)) continue;
      upsert->Reset();
      upsert->BindText(id).BindText(tag.key).BindText(tag.value).Execute();
      logged_tags[tag.key] = tag.value;
    }
  }

  if (logged_params.empty() && logged_metrics.empty() && logged_tags.empty()) return;  // nothing changed
  Json payload{{"run", id}};
  if (!logged_params.empty()) payload["params"] = std::move(logged_params);
  if (!logged_metrics.empty()) payload["metrics"] = std::move(logged_metrics);
  if (!logged_tags.empty()) payload["tags"] = std::move(logged_tags);
  AppendAuditEvent(connection_, "run.log", "run:" + id, payload);
  transaction.Commit();
}

void TrackingStore::LogParam(std::string_view run_ref, std::string_view key, std::string_view value) {
  LogBatch(run_ref, {Param{std::string(key), std::string(value)}}, {}, {});
}

void TrackingStore::LogMetric(std::string_view run_ref, std::string_view key, double value, int64_t step,
                              int64_t timestamp) {
  LogBatch(run_ref, {}, {Metric{std::string(key), value, step, timestamp}}, {});
}

void TrackingStore::SetTag(std::string_view run_ref, std::string_view key, std::string_view value) {
  LogBatch(run_ref, {}, {}, {Tag{std::string(key), std::string(value)}});
}

void TrackingStore::RecordArtifact(std::string_view run_ref, std::string_view path, std::string_view blob_hash,
                                   int64_t size) {
  if (path.empty() || path.front() == '/') {
    ThrowInvalidInput("artifact path '" + std::string(path) + "' must be a relative path inside the run");
  }
  if (!IsSha256Hex(blob_hash)) {
    ThrowInvalidInput("artifact '" + std::string(path) + "' has blob hash '" + std::string(blob_hash) +
                      "'; expected 64 lower-case hex digits");
  }
  if (size < 0) ThrowInvalidInput("artifact '" + std::string(path) + "' has negative size " + std::to_string(size));

  sql::Transaction transaction(connection_);
  const std::string id = ResolveRunIdIn(connection_, run_ref);
  RequireRunning(connection_, id, "record artifacts in it");
  auto existing = connection_.Prepare("SELECT blob_hash FROM artifacts WHERE run_id = ? AND path = ?",
                                      "look up a run artifact");
  existing->BindText(id).BindText(path);
  if (existing->Step()) {
    const std::string old_hash = existing->ColumnText(0);
    if (old_hash == blob_hash) return;
    ThrowConflict("artifact '" + std::string(path) + "' of run " + id + " is already blob " + old_hash.substr(0, 12) +
                  "; cannot record blob " + std::string(blob_hash.substr(0, 12)) + " at the same path");
  }
  connection_
      .Prepare("INSERT INTO artifacts (run_id, path, blob_hash, size, created_at) VALUES (?, ?, ?, ?, ?)",
               "record a run artifact")
      ->BindText(id)
      .BindText(path)
      .BindText(blob_hash)
      .BindInt64(size)
      .BindInt64(NowMicros())
      .Execute();
  AppendAuditEvent(connection_, "run.artifact", "run:" + id,
                   Json{{"run", id}, {"path", path}, {"blob_hash", blob_hash}, {"size", size}});
  transaction.Commit();
}

std::vector<RunArtifact> TrackingStore::ListArtifacts(std::string_view run_ref) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const std::string id = ResolveRunIdIn(connection_, run_ref);
  auto statement = connection_.Prepare(
      "SELECT path, blob_hash, size, created_at FROM artifacts WHERE run_id = ? ORDER BY path", "list run artifacts");
  statement->BindText(id);
  std::vector<RunArtifact> artifacts;
  while (statement->Step()) {
    artifacts.push_back(
        {statement->ColumnText(0), statement->ColumnText(1), statement->ColumnInt64(2), statement->ColumnInt64(3)});
  }
  snapshot.Commit();
  return artifacts;
}

std::vector<Run> TrackingStore::ListRuns(const RunQuery& query) {
  const RunFilter filter = RunFilter::Parse(query.filter);
  const std::vector<RunSortKey> sort = ParseRunSortKeys(query.sort);
  if (query.limit < 0) ThrowInvalidInput("run limit " + std::to_string(query.limit) + " is negative");

  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  std::vector<Run> runs;
  if (query.experiment) {
    const Experiment experiment = GetExperimentByName(*query.experiment);
    runs = LoadRuns(connection_, "WHERE r.experiment_id = ?", experiment.id);
  } else {
    runs = LoadRuns(connection_, "", std::nullopt);
  }
  snapshot.Commit();

  if (!filter.matches_all()) {
    std::erase_if(runs, [&filter](const Run& run) { return !filter.Matches(run); });
  }
  SortRuns(runs, sort);
  if (query.limit > 0 && runs.size() > static_cast<size_t>(query.limit)) runs.resize(static_cast<size_t>(query.limit));
  return runs;
}

std::vector<Metric> TrackingStore::GetMetricHistory(std::string_view run_ref, std::string_view key) {
  ValidateKey(key, "metric key");
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const std::string id = ResolveRunIdIn(connection_, run_ref);
  auto statement = connection_.Prepare(
      "SELECT key, value, step, timestamp FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, timestamp",
      "read a metric's history");
  statement->BindText(id).BindText(key);
  std::vector<Metric> history;
  while (statement->Step()) {
    history.push_back(
        {statement->ColumnText(0), statement->ColumnDouble(1), statement->ColumnInt64(2), statement->ColumnInt64(3)});
  }
  if (history.empty()) {
    auto keys = connection_.Prepare("SELECT key FROM latest_metrics WHERE run_id = ? ORDER BY key", "list metric keys");
    keys->BindText(id);
    std::vector<std::string> known;
    while (keys->Step()) known.push_back(keys->ColumnText(0));
    const std::string hint = ClosestMatch(key, known);
    ThrowNotFound("run " + id + " has no metric '" + std::string(key) + "'" +
                  (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  snapshot.Commit();
  return history;
}

}  // namespace cairn::store
