// The model registry: named models with numbered ONNX versions, aliases such as
// champion and challenger, and recorded evaluations. Every change runs in one
// transaction together with the audit event that records it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/model.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

class Store;

struct NewModelVersion {
  std::string name;       // ValidateModelName
  std::string blob_hash;  // 64 lower-case hex digits
  int64_t size = 0;
  ModelSource source = ModelSource::kRun;
  std::optional<std::string> run_id;      // a run reference; required for kRun
  std::optional<int64_t> parent_version;  // required for kDerived, a version of the same model
  Json metadata = Json::object();
  std::string description;  // kept only when the model is new
};

struct CreatedModelVersion {
  ModelVersion version;
  bool created = false;  // false when the same file from the same origin was already registered
};

struct AliasChange {
  std::string name;
  std::string alias;
  int64_t version = 0;
  std::optional<int64_t> previous;  // the version the alias pointed at before, if any
  bool changed = false;             // false when it already pointed at `version`
};

struct NewEvaluation {
  std::string model_name;
  int64_t model_version = 0;
  std::string dataset_name;
  int64_t dataset_version = 0;
  Json metrics = Json::object();  // {"roc_auc": 0.91, ...}; any JSON object
  std::optional<std::string> run_id;
};

class ModelRegistry {
 public:
  // The connection must outlive the registry; the schema must be migrated.
  explicit ModelRegistry(sql::Connection& connection) : connection_(connection) {}

  // Records version N+1 of `spec.name`, creating the model when it is new, with a
  // lineage edge from the run (kRun) or the parent version (kDerived). The same
  // blob from the same run, parent and source again returns the existing version
  // with created = false and records nothing, so a retried registration is harmless.
  CreatedModelVersion CreateVersion(const NewModelVersion& spec);

  Model GetModel(std::string_view name);  // kNotFound with a "did you mean" hint
  ModelVersion GetVersion(std::string_view name, int64_t version);
  // NAME@VERSION, NAME@ALIAS, NAME (latest), or run:RUN_ID (the newest version
  // registered from that run). Unknown names, versions and aliases are kNotFound
  // naming them and listing what exists; a file reference is kInvalidInput, since
  // files are not in the registry.
  ModelVersion Resolve(const ModelRef& ref);
  ModelVersion Resolve(std::string_view text) { return Resolve(ParseModelRef(text)); }

  std::vector<ModelSummary> ListModels();                   // by name
  std::vector<ModelVersion> ListVersions(std::string_view name);  // oldest first
  std::vector<ModelAlias> ListAliases(std::string_view name);     // by alias

  // Points `alias` at `version`, moving it when it pointed elsewhere; the audit
  // payload records the previous version. Setting it where it already is records nothing.
  AliasChange SetAlias(std::string_view name, std::string_view alias, int64_t version);
  // Removes the alias and returns the version it pointed at; kNotFound when not set.
  int64_t DeleteAlias(std::string_view name, std::string_view alias);

  // The model version, dataset version and run must exist (kNotFound otherwise).
  Evaluation RecordEvaluation(const NewEvaluation& spec);
  // Oldest first; only one version's when given.
  std::vector<Evaluation> ListEvaluations(std::string_view name, std::optional<int64_t> version = std::nullopt);

 private:
  sql::Connection& connection_;
};

// Registers a tracked run's model file as the next version of `name`: the run
// must be FINISHED (kConflict otherwise) and must hold `artifact_path`
// (kNotFound naming the run and the path). `metadata` is stored as given; callers
// that can read ONNX pass its metadata_props and signature.
CreatedModelVersion RegisterRunModel(Store& store, std::string_view run_ref, std::string_view name,
                                     std::string_view artifact_path = "model.onnx",
                                     const Json& metadata = Json::object());

}  // namespace cairn::store
