// Loads served models by reference: registry references through the store and
// the artifact store, .onnx paths straight from disk. Personal-data features
// come from the caller's list and from the "pii" flags in the schema of the
// dataset the model's run was trained on. Use from one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/serve/loaded_model.h"
#include "cairn/store/model.h"

namespace cairn::serve {

class ModelLoader {
 public:
  // `workspace` is opened on first use, so file models need no workspace.
  ModelLoader(artifacts::WorkspaceOptions workspace, std::vector<std::string> pii);
  ~ModelLoader();

  // kNotFound for an unknown model, kIo/kCorrupt/kUnsupported when it cannot load.
  std::shared_ptr<const LoadedModel> Load(const std::string& ref_text);
  // Whether the reference can move under the server (an alias or "latest").
  static bool Follows(const std::string& ref_text);
  // The registry version `ref_text` points at now.
  store::ModelVersion Resolve(const std::string& ref_text);
  std::shared_ptr<const LoadedModel> LoadVersion(const store::ModelVersion& version, const std::string& ref_text);

  // The workspace, opening it when needed; nullptr when none can be found.
  artifacts::Workspace* workspace_or_null();

 private:
  artifacts::Workspace& workspace();
  std::set<std::string> SchemaPii(const store::ModelVersion& version);

  artifacts::WorkspaceOptions options_;
  std::vector<std::string> pii_;
  std::unique_ptr<artifacts::Workspace> workspace_;
};

}  // namespace cairn::serve
