#include "cairn/eval/model_import.h"

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/eval/scoring_model.h"
#include "cairn/learn/xgboost_import.h"
#include "cairn/store/store.h"

namespace cairn::eval {

namespace {

store::CreatedModelVersion RegisterBytes(artifacts::Workspace& workspace, const std::string& bytes,
                                         const std::string& label, const std::string& name,
                                         const std::string& description, Json origin) {
  store::ValidateModelName(name);
  ScoringModel model = ScoringModel::FromBytes(bytes, label);
  artifacts::BlobRef blob = workspace.artifacts().Put(bytes);
  store::NewModelVersion spec;
  spec.name = name;
  spec.blob_hash = blob.hash;
  spec.size = static_cast<int64_t>(blob.size);
  spec.source = store::ModelSource::kImport;
  spec.metadata = DescribeModel(model.session());
  spec.metadata["origin"] = std::move(origin);
  spec.description = description;
  return workspace.store().models().CreateVersion(spec);
}

}  // namespace

store::CreatedModelVersion ImportOnnxModel(artifacts::Workspace& workspace, const std::filesystem::path& file,
                                           const std::string& name, const std::string& description) {
  if (!std::filesystem::is_regular_file(file)) ThrowNotFound(file.string() + ": no such model file");
  return RegisterBytes(workspace, ReadFile(file), file.string(), name, description,
                       Json{{"format", "onnx"}, {"file", std::filesystem::absolute(file).string()}});
}

store::CreatedModelVersion ImportXgboostModel(artifacts::Workspace& workspace, const std::filesystem::path& file,
                                              const std::string& name, const std::vector<std::string>& feature_names,
                                              const std::string& description) {
  if (!std::filesystem::is_regular_file(file)) ThrowNotFound(file.string() + ": no such XGBoost model file");
  std::string onnx = learn::ImportXgboostJson(ReadFile(file), feature_names);
  return RegisterBytes(workspace, onnx, file.string(), name, description,
                       Json{{"format", "xgboost-json"}, {"file", std::filesystem::absolute(file).string()}});
}

store::CreatedModelVersion RegisterRunModel(artifacts::Workspace& workspace, const std::string& run_ref,
                                            const std::string& name, const std::string& artifact_path) {
  auto& tracking = workspace.store().tracking();
  std::string run_id = tracking.ResolveRunId(run_ref);
  for (const auto& artifact : tracking.ListArtifacts(run_id)) {
    if (artifact.path != artifact_path) continue;
    ScoringModel model = ScoringModel::FromBytes(workspace.artifacts().Get(artifact.blob_hash),
                                                 "run " + run_id.substr(0, 8) + ": " + artifact_path);
    return store::RegisterRunModel(workspace.store(), run_id, name, artifact_path, DescribeModel(model.session()));
  }
  // The store's own check names the run and path precisely.
  return store::RegisterRunModel(workspace.store(), run_id, name, artifact_path);
}

}  // namespace cairn::eval
