// Bringing models into the registry: an ONNX file made elsewhere (for example
// scikit-learn through skl2onnx), an XGBoost JSON model converted to ONNX, or
// a finished run's model.onnx. Each is loaded and planned by cairn's engine
// first, so only a model cairn can run is registered, with its signature.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/store/model_registry.h"

namespace cairn::eval {

store::CreatedModelVersion ImportOnnxModel(artifacts::Workspace& workspace, const std::filesystem::path& file,
                                           const std::string& name, const std::string& description = "");

// `feature_names` fixes the input column order; empty keeps the model's own names.
store::CreatedModelVersion ImportXgboostModel(artifacts::Workspace& workspace, const std::filesystem::path& file,
                                              const std::string& name, const std::vector<std::string>& feature_names,
                                              const std::string& description = "");

store::CreatedModelVersion RegisterRunModel(artifacts::Workspace& workspace, const std::string& run_ref,
                                            const std::string& name, const std::string& artifact_path = "model.onnx");

}  // namespace cairn::eval
