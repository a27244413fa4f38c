#include "cairn/store/model_registry.h"

#include <algorithm>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"
#include "cairn/core/text.h"
#include "cairn/store/audit_log.h"
#include "cairn/store/dataset_store.h"
#include "cairn/store/lineage_store.h"
#include "cairn/store/store.h"
#include "cairn/store/tracking_store.h"

namespace cairn::store {
namespace {

constexpr char kVersionColumns[] =
    "v.model_id, m.name, v.version, v.blob_hash, v.size, v.source, v.run_id, v.parent_version, v.metadata, "
    "v.created_at";
constexpr char kVersionFrom[] = " FROM model_versions v JOIN models m ON m.id = v.model_id ";
constexpr char kEvaluationColumns[] =
    "id, model_name, model_version, dataset_name, dataset_version, metrics, run_id, created_at";

std::string Subject(std::string_view name) { return "model:" + std::string(name); }

std::string Dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json ParseStoredJson(const std::string& text, const std::string& location, const std::string& what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) ThrowCorrupt("store " + location + ": " + what + " is not JSON");
  return value;
}

ModelVersion ReadVersion(const sql::Statement& row, const std::string& location) {
  ModelVersion version;
  version.model_id = row.ColumnText(0);
  version.name = row.ColumnText(1);
  version.version = row.ColumnInt64(2);
  version.blob_hash = row.ColumnText(3);
  version.size = row.ColumnInt64(4);
  const std::string ref = FormatModelRef(version.name, version.version);
  const auto source = ParseModelSource(row.ColumnText(5));
  if (!source) ThrowCorrupt("store " + location + ": " + ref + " has an unknown source");
  version.source = *source;
  version.run_id = row.ColumnOptionalText(6);
  version.parent_version = row.ColumnOptionalInt64(7);
  version.metadata = ParseStoredJson(row.ColumnText(8), location, "the metadata of " + ref);
  version.created_at = row.ColumnInt64(9);
  return version;
}

Evaluation ReadEvaluation(const sql::Statement& row, const std::string& location) {
  Evaluation evaluation;
  evaluation.id = row.ColumnText(0);
  evaluation.model_name = row.ColumnText(1);
  evaluation.model_version = row.ColumnInt64(2);
  evaluation.dataset_name = row.ColumnText(3);
  evaluation.dataset_version = row.ColumnInt64(4);
  evaluation.metrics = ParseStoredJson(row.ColumnText(5), location, "the metrics of evaluation " + evaluation.id);
  evaluation.run_id = row.ColumnOptionalText(6);
  evaluation.created_at = row.ColumnInt64(7);
  return evaluation;
}

std::optional<Model> FindModel(sql::Connection& connection, std::string_view name) {
  auto statement =
      connection.Prepare("SELECT id, name, description, created_at FROM models WHERE name = ?", "look up a model");
  statement->BindText(name);
  if (!statement->Step()) return std::nullopt;
  return Model{statement->ColumnText(0), statement->ColumnText(1), statement->ColumnText(2),
               statement->ColumnInt64(3)};
}

[[noreturn]] void ThrowNoModel(sql::Connection& connection, std::string_view name) {
  auto statement = connection.Prepare("SELECT name FROM models ORDER BY name", "list model names");
  std::vector<std::string> names;
  while (statement->Step()) names.push_back(statement->ColumnText(0));
  const std::string hint = ClosestMatch(name, names);
  ThrowNotFound("no model '" + std::string(name) + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
}

Model RequireModel(sql::Connection& connection, std::string_view name) {
  auto model = FindModel(connection, name);
  if (!model) ThrowNoModel(connection, name);
  return *model;
}

std::vector<ModelAlias> AliasesOf(sql::Connection& connection, const Model& model) {
  auto statement = connection.Prepare(
      "SELECT alias, version, updated_at FROM aliases WHERE model_id = ? ORDER BY alias", "list model aliases");
  statement->BindText(model.id);
  std::vector<ModelAlias> aliases;
  while (statement->Step()) {
    aliases.push_back({model.name, statement->ColumnText(0), statement->ColumnInt64(1), statement->ColumnInt64(2)});
  }
  return aliases;
}

void AttachAliases(sql::Connection& connection, const Model& model, std::vector<ModelVersion>& versions) {
  const auto aliases = AliasesOf(connection, model);
  for (auto& version : versions) {
    version.aliases.clear();
    for (const auto& alias : aliases) {
      if (alias.version == version.version) version.aliases.push_back(alias.alias);
    }
  }
}

// The given version, or the newest when `version` is empty; nullopt when absent.
std::optional<ModelVersion> FindVersion(sql::Connection& connection, const Model& model,
                                        std::optional<int64_t> version) {
  auto statement = connection.Prepare(std::string("SELECT ") + kVersionColumns + kVersionFrom + "WHERE v.model_id = ?" +
                                          (version ? " AND v.version = ?" : " ORDER BY v.version DESC LIMIT 1"),
                                      "read a model version");
  statement->BindText(model.id);
  if (version) statement->BindInt64(*version);
  if (!statement->Step()) return std::nullopt;
  std::vector<ModelVersion> found{ReadVersion(*statement, connection.location())};
  statement.reset();
  AttachAliases(connection, model, found);
  return std::move(found.front());
}

ModelVersion RequireVersion(sql::Connection& connection, const Model& model, int64_t version) {
  if (auto found = FindVersion(connection, model, version)) return *found;
  const auto latest = FindVersion(connection, model, std::nullopt);
  if (!latest) ThrowNotFound("model '" + model.name + "' has no versions");
  ThrowNotFound("model '" + model.name + "' has no version " + std::to_string(version) + "; its versions are 1 to " +
                std::to_string(latest->version));
}

std::string DescribeAliases(const std::vector<ModelAlias>& aliases) {
  std::vector<std::string> parts;
  for (const auto& alias : aliases) parts.push_back(alias.alias + " (" + std::to_string(alias.version) + ")");
  return Join(parts, ", ");
}

Json OptionalJson(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }
Json OptionalJson(const std::optional<int64_t>& value) { return value ? Json(*value) : Json(nullptr); }

}  // namespace

CreatedModelVersion ModelRegistry::CreateVersion(const NewModelVersion& spec) {
  ValidateModelName(spec.name);
  if (!IsSha256Hex(spec.blob_hash)) {
    ThrowInvalidInput("model '" + spec.name + "' has blob hash '" + spec.blob_hash +
                      "'; expected 64 lower-case hex digits");
  }
  if (spec.size < 0) ThrowInvalidInput("model '" + spec.name + "' has a negative size");
  if (!spec.metadata.is_object()) ThrowInvalidInput("model '" + spec.name + "' metadata is not a JSON object");
  if (spec.source == ModelSource::kRun && !spec.run_id) {
    ThrowInvalidInput("model '" + spec.name + "' comes from a run but names none");
  }
  if (spec.source == ModelSource::kDerived && !spec.parent_version) {
    ThrowInvalidInput("model '" + spec.name + "' is derived but names no parent version");
  }

  sql::Transaction transaction(connection_);
  std::optional<std::string> run_id;
  if (spec.run_id) run_id = TrackingStore(connection_).ResolveRunId(*spec.run_id);

  std::optional<Model> model = FindModel(connection_, spec.name);
  bool new_model = false;
  int64_t next_version = 1;
  if (model) {
    if (spec.parent_version) RequireVersion(connection_, *model, *spec.parent_version);
    // A retried registration of the same file from the same origin finds its earlier version.
    auto same = connection_.Prepare(std::string("SELECT ") + kVersionColumns + kVersionFrom +
                                        "WHERE v.model_id = ? AND v.blob_hash = ? ORDER BY v.version",
                                    "look for an identical model version");
    same->BindText(model->id).BindText(spec.blob_hash);
    while (same->Step()) {
      ModelVersion existing = ReadVersion(*same, connection_.location());
      if (existing.source == spec.source && existing.run_id == run_id &&
          existing.parent_version == spec.parent_version) {
        same.reset();
        CreatedModelVersion found{RequireVersion(connection_, *model, existing.version), false};
        transaction.Commit();
        return found;
      }
    }
    same.reset();
    if (auto latest = FindVersion(connection_, *model, std::nullopt)) next_version = latest->version + 1;
  } else {
    if (spec.parent_version) {
      ThrowNotFound("model '" + spec.name + "' has no version " + std::to_string(*spec.parent_version) +
                    " to derive from; the model does not exist yet");
    }
    model = Model{NewId(), spec.name, spec.description, NowMicros()};
    connection_.Prepare("INSERT INTO models (id, name, description, created_at) VALUES (?, ?, ?, ?)", "create a model")
        ->BindText(model->id)
        .BindText(model->name)
        .BindText(model->description)
        .BindInt64(model->created_at)
        .Execute();
    new_model = true;
  }

  ModelVersion version;
  version.model_id = model->id;
  version.name = model->name;
  version.version = next_version;
  version.blob_hash = spec.blob_hash;
  version.size = spec.size;
  version.source = spec.source;
  version.run_id = run_id;
  version.parent_version = spec.parent_version;
  version.metadata = spec.metadata;
  version.created_at = NowMicros();
  connection_
      .Prepare(
          "INSERT INTO model_versions (model_id, version, blob_hash, size, source, run_id, parent_version, metadata, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          "record a model version")
      ->BindText(version.model_id)
      .BindInt64(version.version)
      .BindText(version.blob_hash)
      .BindInt64(version.size)
      .BindText(ModelSourceName(version.source))
      .BindOptionalText(version.run_id)
      .BindOptionalInt64(version.parent_version)
      .BindText(Dump(version.metadata))
      .BindInt64(version.created_at)
      .Execute();

  const std::string ref = FormatModelRef(version.name, version.version);
  Json payload{{"name", version.name},
               {"version", version.version},
               {"blob_hash", version.blob_hash},
               {"size", version.size},
               {"source", ModelSourceName(version.source)},
               {"run_id", OptionalJson(version.run_id)},
               {"parent_version", OptionalJson(version.parent_version)}};
  if (new_model) payload["new_model"] = true;
  AppendAuditEvent(connection_, "model.version.create", Subject(version.name), payload);

  LineageStore lineage(connection_);
  if (version.run_id) lineage.AddLineageEdge({"run", *version.run_id, "model", ref, "output", 0});
  if (version.parent_version) {
    lineage.AddLineageEdge(
        {"model", FormatModelRef(version.name, *version.parent_version), "model", ref, "derived_from", 0});
  }
  transaction.Commit();
  return {version, true};
}

Model ModelRegistry::GetModel(std::string_view name) { return RequireModel(connection_, name); }

ModelVersion ModelRegistry::GetVersion(std::string_view name, int64_t version) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  ModelVersion found = RequireVersion(connection_, RequireModel(connection_, name), version);
  snapshot.Commit();
  return found;
}

ModelVersion ModelRegistry::Resolve(const ModelRef& ref) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  std::optional<ModelVersion> found;
  switch (ref.kind) {
    case ModelRefKind::kFile:
      ThrowInvalidInput("model reference '" + ref.path + "' names a file, not a registered model version");
    case ModelRefKind::kRun: {
      const std::string run_id = TrackingStore(connection_).ResolveRunId(ref.run);
      auto statement = connection_.Prepare(std::string("SELECT ") + kVersionColumns + kVersionFrom +
                                               "WHERE v.run_id = ? ORDER BY v.created_at DESC, v.version DESC LIMIT 1",
                                           "find the model version of a run");
      statement->BindText(run_id);
      if (!statement->Step()) {
        ThrowNotFound("run " + run_id + " has no registered model version; register it with 'cairn models register " +
                      run_id + " --name NAME'");
      }
      const ModelVersion version = ReadVersion(*statement, connection_.location());
      statement.reset();
      found = RequireVersion(connection_, RequireModel(connection_, version.name), version.version);
      break;
    }
    case ModelRefKind::kLatest: {
      const Model model = RequireModel(connection_, ref.name);
      found = FindVersion(connection_, model, std::nullopt);
      if (!found) ThrowNotFound("model '" + ref.name + "' has no versions");
      break;
    }
    case ModelRefKind::kVersion:
      found = RequireVersion(connection_, RequireModel(connection_, ref.name), ref.version);
      break;
    case ModelRefKind::kAlias: {
      const Model model = RequireModel(connection_, ref.name);
      const auto aliases = AliasesOf(connection_, model);
      const auto it = std::find_if(aliases.begin(), aliases.end(),
                                   [&](const ModelAlias& alias) { return alias.alias == ref.alias; });
      if (it == aliases.end()) {
        if (aliases.empty()) ThrowNotFound("model '" + ref.name + "' has no alias '" + ref.alias + "'; it has no aliases");
        ThrowNotFound("model '" + ref.name + "' has no alias '" + ref.alias + "'; its aliases are " +
                      DescribeAliases(aliases));
      }
      found = RequireVersion(connection_, model, it->version);
      break;
    }
  }
  snapshot.Commit();
  return *found;
}

std::vector<ModelSummary> ModelRegistry::ListModels() {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  std::vector<ModelSummary> summaries;
  {
    auto statement = connection_.Prepare(
        "SELECT m.name, m.description, m.created_at, MAX(v.version), COUNT(*), MAX(v.created_at) FROM models m "
        "JOIN model_versions v ON v.model_id = m.id GROUP BY m.id, m.name, m.description, m.created_at ORDER BY m.name",
        "list models");
    while (statement->Step()) {
      ModelSummary summary;
      summary.name = statement->ColumnText(0);
      summary.description = statement->ColumnText(1);
      summary.created_at = statement->ColumnInt64(2);
      summary.latest_version = statement->ColumnInt64(3);
      summary.versions = statement->ColumnInt64(4);
      summary.updated_at = statement->ColumnInt64(5);
      summaries.push_back(std::move(summary));
    }
  }
  auto aliases = connection_.Prepare(
      "SELECT m.name, a.alias, a.version FROM aliases a JOIN models m ON m.id = a.model_id ORDER BY m.name, a.alias",
      "list every model alias");
  while (aliases->Step()) {
    const std::string name = aliases->ColumnText(0);
    const auto it = std::lower_bound(summaries.begin(), summaries.end(), name,
                                     [](const ModelSummary& summary, const std::string& key) { return summary.name < key; });
    if (it != summaries.end() && it->name == name) it->aliases[aliases->ColumnText(1)] = aliases->ColumnInt64(2);
  }
  aliases.reset();
  snapshot.Commit();
  return summaries;
}

std::vector<ModelVersion> ModelRegistry::ListVersions(std::string_view name) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const Model model = RequireModel(connection_, name);
  std::vector<ModelVersion> versions;
  {
    auto statement = connection_.Prepare(
        std::string("SELECT ") + kVersionColumns + kVersionFrom + "WHERE v.model_id = ? ORDER BY v.version",
        "list model versions");
    statement->BindText(model.id);
    while (statement->Step()) versions.push_back(ReadVersion(*statement, connection_.location()));
  }
  AttachAliases(connection_, model, versions);
  snapshot.Commit();
  return versions;
}

std::vector<ModelAlias> ModelRegistry::ListAliases(std::string_view name) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  auto aliases = AliasesOf(connection_, RequireModel(connection_, name));
  snapshot.Commit();
  return aliases;
}

AliasChange ModelRegistry::SetAlias(std::string_view name, std::string_view alias, int64_t version) {
  ValidateAliasName(alias);
  sql::Transaction transaction(connection_);
  const Model model = RequireModel(connection_, name);
  RequireVersion(connection_, model, version);

  AliasChange change{model.name, std::string(alias), version, std::nullopt, false};
  {
    auto current = connection_.Prepare("SELECT version FROM aliases WHERE model_id = ? AND alias = ?",
                                       "read a model alias");
    current->BindText(model.id).BindText(alias);
    if (current->Step()) change.previous = current->ColumnInt64(0);
  }
  if (change.previous == version) {
    transaction.Commit();
    return change;
  }
  const int64_t now = NowMicros();
  if (change.previous) {
    connection_.Prepare("UPDATE aliases SET version = ?, updated_at = ? WHERE model_id = ? AND alias = ?",
                        "move a model alias")
        ->BindInt64(version)
        .BindInt64(now)
        .BindText(model.id)
        .BindText(alias)
        .Execute();
  } else {
    connection_.Prepare("INSERT INTO aliases (model_id, alias, version, updated_at) VALUES (?, ?, ?, ?)",
                        "set a model alias")
        ->BindText(model.id)
        .BindText(alias)
        .BindInt64(version)
        .BindInt64(now)
        .Execute();
  }
  AppendAuditEvent(connection_, "model.alias.set", Subject(model.name),
                   Json{{"name", model.name},
                        {"alias", change.alias},
                        {"version", version},
                        {"previous", OptionalJson(change.previous)}});
  transaction.Commit();
  change.changed = true;
  return change;
}

int64_t ModelRegistry::DeleteAlias(std::string_view name, std::string_view alias) {
  sql::Transaction transaction(connection_);
  const Model model = RequireModel(connection_, name);
  const auto aliases = AliasesOf(connection_, model);
  const auto it =
      std::find_if(aliases.begin(), aliases.end(), [&](const ModelAlias& known) { return known.alias == alias; });
  if (it == aliases.end()) {
    ThrowNotFound("model '" + model.name + "' has no alias '" + std::string(alias) + "'" +
                  (aliases.empty() ? "; it has no aliases" : "; its aliases are " + DescribeAliases(aliases)));
  }
  connection_.Prepare("DELETE FROM aliases WHERE model_id = ? AND alias = ?", "delete a model alias")
      ->BindText(model.id)
      .BindText(alias)
      .Execute();
  AppendAuditEvent(connection_, "model.alias.delete", Subject(model.name),
                   Json{{"name", model.name}, {"alias", it->alias}, {"version", it->version}});
  transaction.Commit();
  return it->version;
}

Evaluation ModelRegistry::RecordEvaluation(const NewEvaluation& spec) {
  if (!spec.metrics.is_object()) {
    ThrowInvalidInput("evaluation of " + FormatModelRef(spec.model_name, spec.model_version) +
                      " has metrics that are not a JSON object");
  }
  sql::Transaction transaction(connection_);
  const Model model = RequireModel(connection_, spec.model_name);
  RequireVersion(connection_, model, spec.model_version);
  const DatasetVersion dataset = DatasetStore(connection_).GetDatasetVersion(spec.dataset_name, spec.dataset_version);

  Evaluation evaluation;
  evaluation.id = NewId();
  evaluation.model_name = model.name;
  evaluation.model_version = spec.model_version;
  evaluation.dataset_name = dataset.name;
  evaluation.dataset_version = dataset.version;
  evaluation.metrics = spec.metrics;
  if (spec.run_id) evaluation.run_id = TrackingStore(connection_).ResolveRunId(*spec.run_id);
  evaluation.created_at = NowMicros();
  connection_
      .Prepare("INSERT INTO evaluations (" + std::string(kEvaluationColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               "record an evaluation")
      ->BindText(evaluation.id)
      .BindText(evaluation.model_name)
      .BindInt64(evaluation.model_version)
      .BindText(evaluation.dataset_name)
      .BindInt64(evaluation.dataset_version)
      .BindText(Dump(evaluation.metrics))
      .BindOptionalText(evaluation.run_id)
      .BindInt64(evaluation.created_at)
      .Execute();
  AppendAuditEvent(connection_, "evaluation.create", Subject(model.name),
                   Json{{"id", evaluation.id},
                        {"model", FormatModelRef(evaluation.model_name, evaluation.model_version)},
                        {"dataset", FormatDatasetRef(evaluation.dataset_name, evaluation.dataset_version)},
                        {"run_id", OptionalJson(evaluation.run_id)},
                        {"metrics", evaluation.metrics}});
  transaction.Commit();
  return evaluation;
}

std::vector<Evaluation> ModelRegistry::ListEvaluations(std::string_view name, std::optional<int64_t> version) {
  sql::Transaction snapshot(connection_, sql::TransactionMode::kRead);
  const Model model = RequireModel(connection_, name);
  if (version) RequireVersion(connection_, model, *version);
  std::vector<Evaluation> evaluations;
  {
    auto statement = connection_.Prepare("SELECT " + std::string(kEvaluationColumns) +
                                             " FROM evaluations WHERE model_name = ?" +
                                             (version ? " AND model_version = ?" : "") + " ORDER BY created_at, id",
                                         "list evaluations");
    statement->BindText(model.name);
    if (version) statement->BindInt64(*version);
    while (statement->Step()) evaluations.push_back(ReadEvaluation(*statement, connection_.location()));
  }
  snapshot.Commit();
  return evaluations;
}

CreatedModelVersion RegisterRunModel(Store& store, std::string_view run_ref, std::string_view name,
                                     std::string_view artifact_path, const Json& metadata) {
  ValidateModelName(name);
  // One write transaction, so the run's state and the new version are read and written together.
  sql::Transaction transaction(store.connection());
  const Run run = store.tracking().GetRun(run_ref);
  if (run.status != RunStatus::kFinished) {
    ThrowConflict("run " + run.id + " is " + std::string(RunStatusName(run.status)) +
                  "; only a FINISHED run's model can be registered");
  }
  const auto artifacts = store.tracking().ListArtifacts(run.id);
  const auto artifact = std::find_if(artifacts.begin(), artifacts.end(),
                                     [&](const RunArtifact& candidate) { return candidate.path == artifact_path; });
  if (artifact == artifacts.end()) {
    std::vector<std::string> paths;
    for (const auto& candidate : artifacts) paths.push_back(candidate.path);
    ThrowNotFound("run " + run.id + " has no artifact '" + std::string(artifact_path) + "'" +
                  (paths.empty() ? "; it has no artifacts" : "; its artifacts are " + Join(paths, ", ")));
  }
  NewModelVersion spec;
  spec.name = std::string(name);
  spec.blob_hash = artifact->blob_hash;
  spec.size = artifact->size;
  spec.source = ModelSource::kRun;
  spec.run_id = run.id;
  spec.metadata = metadata;
  CreatedModelVersion created = store.models().CreateVersion(spec);
  transaction.Commit();
  return created;
}

}  // namespace cairn::store
