// A model ready to score: resolved from a registry reference or an .onnx path,
// its bytes verified, its plan built, and what it predicts read from metadata.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/runtime/session.h"
#include "cairn/store/model.h"

namespace cairn::eval {

enum class ModelTask { kBinary, kMulticlass, kRegression };
std::string_view ModelTaskName(ModelTask task);

struct ModelSignature {
  ModelTask task = ModelTask::kRegression;
  std::string target;                    // the label column it was trained on; "" when unknown
  std::vector<std::string> class_names;  // classification: class values as text, in output order
};

class ScoringModel {
 public:
  // NAME@VERSION, NAME@ALIAS, NAME, run:ID, or a path ending in .onnx.
  static ScoringModel Open(artifacts::Workspace& workspace, const std::string& ref);
  static ScoringModel FromBytes(const std::string& bytes, const std::string& label);

  const runtime::Session& session() const { return *session_; }
  const ModelSignature& signature() const { return signature_; }
  // The registry version when the model came from the registry.
  const std::optional<store::ModelVersion>& version() const { return version_; }
  // "credit-risk@3" or the file path, for messages and reports.
  const std::string& label() const { return label_; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string label_;
  std::string bytes_;
  std::shared_ptr<runtime::Session> session_;
  ModelSignature signature_;
  std::optional<store::ModelVersion> version_;
};

// The verified bytes of a model reference (registry or .onnx path) and a label
// for messages ("credit-risk@3" or the path), without building a plan.
struct ModelBytes {
  std::string bytes;
  std::string label;
  std::optional<store::ModelVersion> version;
};
ModelBytes ReadModelBytes(artifacts::Workspace& workspace, const std::string& ref);
// As above for a path outside any workspace.
bool IsModelFileRef(const std::string& ref);

// What to record as registry metadata for a model file: its metadata_props,
// inputs and outputs, and the signature cairn reads from them.
Json DescribeModel(const runtime::Session& session);

// Reads task, target and classes from cairn's metadata ("cairn.task",
// "cairn.target", "cairn.classes"), else from the outputs: a probabilities
// output means classification, with classes from "classes" metadata or 0..K-1.
ModelSignature ReadSignature(const runtime::Session& session);

}  // namespace cairn::eval
