#include "cairn/serve/model_loader.h"

#include <filesystem>

#include "cairn/core/error.h"
#include "cairn/core/sha256.h"
#include "cairn/store/dataset.h"

namespace cairn::serve {

ModelLoader::ModelLoader(artifacts::WorkspaceOptions workspace, std::vector<std::string> pii)
    : options_(std::move(workspace)), pii_(std::move(pii)) {}

ModelLoader::~ModelLoader() = default;

artifacts::Workspace& ModelLoader::workspace() {
  if (!workspace_) workspace_ = artifacts::Workspace::Open(options_);
  return *workspace_;
}

artifacts::Workspace* ModelLoader::workspace_or_null() {
  if (workspace_) return workspace_.get();
  try {
    return &workspace();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) return nullptr;
    throw;
  }
}

bool ModelLoader::Follows(const std::string& ref_text) {
  const auto kind = store::ParseModelRef(ref_text).kind;
  return kind == store::ModelRefKind::kAlias || kind == store::ModelRefKind::kLatest;
}

store::ModelVersion ModelLoader::Resolve(const std::string& ref_text) {
  return workspace().store().models().Resolve(ref_text);
}

std::set<std::string> ModelLoader::SchemaPii(const store::ModelVersion& version) {
  std::set<std::string> out;
  if (!version.run_id) return out;
  auto& store = workspace().store();
  for (const auto& edge : store.lineage().ListLineage("run", *version.run_id)) {
    if (edge.from_kind != "dataset" || edge.to_id != *version.run_id || edge.kind != "input") continue;
    try {
      const auto dataset = store.datasets().GetDatasetVersion(store::ParseDatasetRef(edge.from_id));
      if (!dataset.schema.contains("columns") || !dataset.schema["columns"].is_array()) continue;
      for (const auto& column : dataset.schema["columns"]) {
        if (column.is_object() && column.value("pii", false) && column.contains("name") && column["name"].is_string()) {
          out.insert(column["name"].get<std::string>());
        }
      }
    } catch (const Error&) {
      // A dataset that no longer resolves adds no flags; the explicit list still applies.
    }
  }
  return out;
}

std::shared_ptr<const LoadedModel> ModelLoader::LoadVersion(const store::ModelVersion& version,
                                                             const std::string& ref_text) {
  const std::string bytes = workspace().artifacts().Get(version.blob_hash);
  auto session = runtime::Session::LoadFromBytes(bytes, store::FormatModelRef(version.name, version.version));
  auto model = std::make_shared<LoadedModel>(std::move(session), version.name, version.version, ref_text,
                                             version.blob_hash);
  model->pii = SchemaPii(version);
  model->pii.insert(pii_.begin(), pii_.end());
  return model;
}

std::shared_ptr<const LoadedModel> ModelLoader::Load(const std::string& ref_text) {
  const store::ModelRef ref = store::ParseModelRef(ref_text);
  if (ref.kind != store::ModelRefKind::kFile) return LoadVersion(Resolve(ref_text), ref_text);
  const std::filesystem::path path(ref.path);
  if (!std::filesystem::exists(path)) ThrowNotFound("model file " + ref.path + " does not exist");
  auto session = runtime::Session::Load(ref.path);
  auto model = std::make_shared<LoadedModel>(std::move(session), path.stem().string(), 0, ref_text, Sha256File(path));
  model->pii.insert(pii_.begin(), pii_.end());
  return model;
}

}  // namespace cairn::serve
