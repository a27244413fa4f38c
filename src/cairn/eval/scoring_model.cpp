#include "cairn/eval/scoring_model.h"

#include <filesystem>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/store/store.h"

namespace cairn::eval {

namespace {

std::optional<std::string> Metadata(const runtime::Model& model, const std::string& key) {
  for (const auto& [k, v] : model.metadata_props) {
    if (k == key) return v;
  }
  return std::nullopt;
}

// Class names from a JSON list or a comma-separated list.
std::vector<std::string> ParseNameList(const std::string& text) {
  std::vector<std::string> names;
  Json parsed = Json::parse(text, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& item : parsed) names.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    return names;
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    names.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

int64_t ProbabilityWidth(const runtime::Session& session) {
  for (const auto& output : session.outputs()) {
    if (output.name != "probabilities" && output.name != "output_probability") continue;
    const auto& dims = output.type.dims;
    if (dims.size() == 2 && dims[1].value) return *dims[1].value;
    return -1;
  }
  return 0;
}

}  // namespace

std::string_view ModelTaskName(ModelTask task) {
  switch (task) {
    case ModelTask::kBinary: return "binary";
    case ModelTask::kMulticlass: return "multiclass";
    case ModelTask::kRegression: return "regression";
  }
  return "regression";
}

ModelSignature ReadSignature(const runtime::Session& session) {
  const runtime::Model& model = session.model();
  ModelSignature signature;
  signature.target = Metadata(model, "cairn.target").value_or("");
  std::optional<std::string> classes = Metadata(model, "cairn.classes");
  if (!classes) classes = Metadata(model, "classes");
  if (classes) signature.class_names = ParseNameList(*classes);
  std::optional<std::string> task = Metadata(model, "cairn.task");
  if (task == "binary") {
    signature.task = ModelTask::kBinary;
  } else if (task == "multiclass") {
    signature.task = ModelTask::kMulticlass;
  } else if (task == "regression") {
    signature.task = ModelTask::kRegression;
  } else {
    int64_t width = ProbabilityWidth(session);
    if (width == 0) {
      signature.task = ModelTask::kRegression;
    } else {
      if (signature.class_names.empty() && width > 0) {
        for (int64_t k = 0; k < width; ++k) signature.class_names.push_back(std::to_string(k));
      }
      signature.task = signature.class_names.size() == 2 ? ModelTask::kBinary : ModelTask::kMulticlass;
    }
  }
  if (signature.task != ModelTask::kRegression && signature.class_names.empty()) {
    ThrowInvalidInput(session.model().source + ": a classifier without class names in its metadata; cairn cannot "
                      "tell which label each probability column belongs to");
  }
  return signature;
}

Json DescribeModel(const runtime::Session& session) {
  Json props = Json::object();
  for (const auto& [k, v] : session.model().metadata_props) props[k] = v;
  auto describe = [](const std::vector<runtime::ValueInfo>& values) {
    Json list = Json::array();
    for (const auto& v : values) {
      list.push_back({{"name", v.name}, {"type", v.type.ToString()}});
    }
    return list;
  };
  ModelSignature signature = ReadSignature(session);
  Json json{{"metadata_props", props},
            {"inputs", describe(session.inputs())},
            {"outputs", describe(session.outputs())},
            {"task", ModelTaskName(signature.task)}};
  if (!signature.target.empty()) json["target"] = signature.target;
  if (!signature.class_names.empty()) json["classes"] = signature.class_names;
  return json;
}

ScoringModel ScoringModel::FromBytes(const std::string& bytes, const std::string& label) {
  ScoringModel model;
  model.label_ = label;
  model.bytes_ = bytes;
  model.session_ = std::make_shared<runtime::Session>(runtime::Session::LoadFromBytes(bytes, label));
  model.signature_ = ReadSignature(*model.session_);
  return model;
}

bool IsModelFileRef(const std::string& ref) {
  return store::ParseModelRef(ref).kind == store::ModelRefKind::kFile;
}

ModelBytes ReadModelBytes(artifacts::Workspace& workspace, const std::string& ref) {
  store::ModelRef parsed = store::ParseModelRef(ref);
  if (parsed.kind == store::ModelRefKind::kFile) {
    if (!std::filesystem::exists(ref)) ThrowNotFound(ref + ": no such model file");
    return {ReadFile(ref), ref, std::nullopt};
  }
  store::ModelVersion version = workspace.store().models().Resolve(parsed);
  std::string label = version.name + "@" + std::to_string(version.version);
  return {workspace.artifacts().Get(version.blob_hash), label, version};
}

ScoringModel ScoringModel::Open(artifacts::Workspace& workspace, const std::string& ref) {
  ModelBytes loaded = ReadModelBytes(workspace, ref);
  ScoringModel model = FromBytes(loaded.bytes, loaded.label);
  model.version_ = loaded.version;
  return model;
}

}  // namespace cairn::eval
