#include "cairn/store/model.h"

#include <charconv>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::store {
namespace {

constexpr size_t kMaxModelNameLength = 128;
constexpr size_t kMaxAliasLength = 64;
constexpr std::string_view kFileSuffix = ".onnx";
constexpr std::string_view kRunPrefix = "run:";
constexpr char kRefForms[] = "write NAME, NAME@VERSION, NAME@ALIAS, run:RUN_ID or a path ending in .onnx";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return !text.empty();
}

bool EndsWithOnnx(std::string_view text) {
  return text.size() >= kFileSuffix.size() && ToLower(text.substr(text.size() - kFileSuffix.size())) == kFileSuffix;
}

[[noreturn]] void ThrowBadRef(std::string_view text, const std::string& problem) {
  ThrowInvalidInput("model reference '" + std::string(text) + "' " + problem + "; " + kRefForms);
}

}  // namespace

std::string_view ModelSourceName(ModelSource source) {
  switch (source) {
    case ModelSource::kRun: return "run";
    case ModelSource::kImport: return "import";
    case ModelSource::kDerived: return "derived";
  }
  return "run";
}

std::optional<ModelSource> ParseModelSource(std::string_view text) {
  const std::string lower = ToLower(text);
  if (lower == "run") return ModelSource::kRun;
  if (lower == "import") return ModelSource::kImport;
  if (lower == "derived") return ModelSource::kDerived;
  return std::nullopt;
}

void ValidateModelName(std::string_view name) {
  if (name.empty()) ThrowInvalidInput("model name is empty");
  if (name.size() > kMaxModelNameLength) {
    ThrowInvalidInput("model name '" + std::string(name.substr(0, 40)) + "...' is longer than " +
                      std::to_string(kMaxModelNameLength) + " characters");
  }
  if (name.front() == '.' || name.front() == '-') {
    ThrowInvalidInput("model name '" + std::string(name) + "' must not start with '" + std::string(1, name.front()) +
                      "'");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '.' ||
                         c == '-';
    if (!allowed) {
      ThrowInvalidInput("model name '" + std::string(name) + "' has '" + std::string(1, c) + "' at character " +
                        std::to_string(i + 1) + "; names use letters, digits, '_', '.' and '-'");
    }
  }
  if (EndsWithOnnx(name)) {
    ThrowInvalidInput("model name '" + std::string(name) + "' must not end in .onnx, which reads as a file path");
  }
}

void ValidateAliasName(std::string_view alias) {
  if (alias.empty()) ThrowInvalidInput("model alias is empty");
  if (alias.size() > kMaxAliasLength) {
    ThrowInvalidInput("model alias '" + std::string(alias.substr(0, 40)) + "...' is longer than " +
                      std::to_string(kMaxAliasLength) + " characters");
  }
  for (size_t i = 0; i < alias.size(); ++i) {
    const char c = alias[i];
    if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '-')) {
      ThrowInvalidInput("model alias '" + std::string(alias) + "' has '" + std::string(1, c) + "' at character " +
                        std::to_string(i + 1) + "; aliases use lower-case letters, digits, '_' and '-'");
    }
  }
  if (AllDigits(alias)) {
    ThrowInvalidInput("model alias '" + std::string(alias) + "' is a number, which reads as a version");
  }
  if (alias == "latest") ThrowInvalidInput("model alias 'latest' is reserved for the newest version");
}

ModelRef ParseModelRef(std::string_view text) {
  if (text.empty()) ThrowInvalidInput(std::string("model reference is empty; ") + kRefForms);
  ModelRef ref;
  if (EndsWithOnnx(text)) {
    ref.kind = ModelRefKind::kFile;
    ref.path = std::string(text);
    return ref;
  }
  if (StartsWith(text, kRunPrefix)) {
    const std::string_view id = text.substr(kRunPrefix.size());
    if (id.empty()) ThrowBadRef(text, "has no run id after 'run:'");
    for (char c : id) {
      const bool hex = IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) ThrowBadRef(text, "has run id '" + std::string(id) + "', which is not hexadecimal");
    }
    ref.kind = ModelRefKind::kRun;
    ref.run = ToLower(id);
    return ref;
  }
  if (text.find('/') != std::string_view::npos) ThrowBadRef(text, "looks like a path but does not end in .onnx");

  const size_t at = text.find('@');
  const std::string_view name = text.substr(0, at);
  if (name.empty()) ThrowBadRef(text, "has no model name");
  try {
    ValidateModelName(name);
  } catch (const Error& error) {
    ThrowBadRef(text, std::string("is not valid: ") + error.what());
  }
  ref.name = std::string(name);
  if (at == std::string_view::npos) return ref;

  const std::string_view suffix = text.substr(at + 1);
  if (suffix.empty()) ThrowBadRef(text, "has nothing after '@'");
  if (ToLower(suffix) == "latest") return ref;
  if (AllDigits(suffix)) {
    int64_t number = 0;
    const auto [end, ec] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), number);
    if (ec != std::errc() || end != suffix.data() + suffix.size() || number < 1) {
      ThrowBadRef(text, "has version '" + std::string(suffix) + "'; versions are numbered from 1");
    }
    ref.kind = ModelRefKind::kVersion;
    ref.version = number;
    return ref;
  }
  try {
    ValidateAliasName(suffix);
  } catch (const Error& error) {
    ThrowBadRef(text, std::string("is not valid: ") + error.what());
  }
  ref.kind = ModelRefKind::kAlias;
  ref.alias = std::string(suffix);
  return ref;
}

std::string FormatModelRef(std::string_view name, int64_t version) {
  return std::string(name) + "@" + std::to_string(version);
}

std::string FormatModelRef(const ModelRef& ref) {
  switch (ref.kind) {
    case ModelRefKind::kVersion: return FormatModelRef(ref.name, ref.version);
    case ModelRefKind::kAlias: return ref.name + "@" + ref.alias;
    case ModelRefKind::kLatest: return ref.name;
    case ModelRefKind::kRun: return std::string(kRunPrefix) + ref.run;
    case ModelRefKind::kFile: return ref.path;
  }
  return ref.name;
}

Json ToJson(const Model& model) {
  return Json{{"id", model.id},
              {"name", model.name},
              {"description", model.description},
              {"created_at", FormatUtc(model.created_at)}};
}

Json ToJson(const ModelVersion& version) {
  Json json{{"name", version.name},
            {"version", version.version},
            {"ref", FormatModelRef(version.name, version.version)},
            {"blob_hash", version.blob_hash},
            {"size", version.size},
            {"source", ModelSourceName(version.source)},
            {"run_id", version.run_id ? Json(*version.run_id) : Json(nullptr)},
            {"parent_version", version.parent_version ? Json(*version.parent_version) : Json(nullptr)},
            {"aliases", version.aliases},
            {"created_at", FormatUtc(version.created_at)},
            {"metadata", version.metadata}};
  return json;
}

Json ToJson(const ModelAlias& alias) {
  return Json{{"name", alias.name},
              {"alias", alias.alias},
              {"version", alias.version},
              {"updated_at", FormatUtc(alias.updated_at)}};
}

Json ToJson(const ModelSummary& summary) {
  Json aliases = Json::object();
  for (const auto& [alias, version] : summary.aliases) aliases[alias] = version;
  return Json{{"name", summary.name},
              {"description", summary.description},
              {"latest_version", summary.latest_version},
              {"versions", summary.versions},
              {"aliases", aliases},
              {"created_at", FormatUtc(summary.created_at)},
              {"updated_at", FormatUtc(summary.updated_at)}};
}

Json ToJson(const Evaluation& evaluation) {
  return Json{{"id", evaluation.id},
              {"model", FormatModelRef(evaluation.model_name, evaluation.model_version)},
              {"model_name", evaluation.model_name},
              {"model_version", evaluation.model_version},
              {"dataset", evaluation.dataset_name + "@" + std::to_string(evaluation.dataset_version)},
              {"dataset_name", evaluation.dataset_name},
              {"dataset_version", evaluation.dataset_version},
              {"metrics", evaluation.metrics},
              {"run_id", evaluation.run_id ? Json(*evaluation.run_id) : Json(nullptr)},
              {"created_at", FormatUtc(evaluation.created_at)}};
}

Json ToJson(const ModelRef& ref) {
  static constexpr const char* kKinds[] = {"version", "alias", "latest", "run", "file"};
  Json json{{"kind", kKinds[static_cast<int>(ref.kind)]}, {"ref", FormatModelRef(ref)}};
  if (!ref.name.empty()) json["name"] = ref.name;
  if (ref.kind == ModelRefKind::kVersion) json["version"] = ref.version;
  if (ref.kind == ModelRefKind::kAlias) json["alias"] = ref.alias;
  if (ref.kind == ModelRefKind::kRun) json["run"] = ref.run;
  if (ref.kind == ModelRefKind::kFile) json["path"] = ref.path;
  return json;
}

}  // namespace cairn::store
