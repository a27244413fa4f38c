// Registered models as plain values: named models, their numbered versions (each
// an ONNX blob), aliases pointing at versions, recorded evaluations, and the
// model references users type (`credit-risk@3`, `credit-risk@champion`, ...).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"

namespace cairn::store {

// Where a version's ONNX file came from.
enum class ModelSource {
  kRun,      // a tracked run's artifact
  kImport,   // a file trained elsewhere
  kDerived,  // computed from another version (a quantized copy, for example)
};

std::string_view ModelSourceName(ModelSource source);  // "run", "import", "derived"
std::optional<ModelSource> ParseModelSource(std::string_view text);

struct Model {
  std::string id;
  std::string name;
  std::string description;
  int64_t created_at = 0;
};

struct ModelVersion {
  std::string model_id;
  std::string name;
  int64_t version = 0;    // 1, 2, 3...
  std::string blob_hash;  // SHA-256 of the ONNX file in the artifact store
  int64_t size = 0;
  ModelSource source = ModelSource::kRun;
  std::optional<std::string> run_id;
  std::optional<int64_t> parent_version;  // the version this one was derived from
  Json metadata = Json::object();         // ONNX metadata_props, signature
  int64_t created_at = 0;
  std::vector<std::string> aliases;  // filled by reads: the aliases pointing here, sorted
};

struct ModelAlias {
  std::string name;  // the model's
  std::string alias;
  int64_t version = 0;
  int64_t updated_at = 0;
};

// One line of `cairn models list`.
struct ModelSummary {
  std::string name;
  std::string description;
  int64_t latest_version = 0;
  int64_t versions = 0;
  std::map<std::string, int64_t> aliases;  // alias -> version
  int64_t created_at = 0;
  int64_t updated_at = 0;  // when the latest version was registered
};

struct Evaluation {
  std::string id;
  std::string model_name;
  int64_t model_version = 0;
  std::string dataset_name;
  int64_t dataset_version = 0;
  Json metrics = Json::object();
  std::optional<std::string> run_id;
  int64_t created_at = 0;
};

enum class ModelRefKind {
  kVersion,  // NAME@3
  kAlias,    // NAME@champion
  kLatest,   // NAME or NAME@latest
  kRun,      // run:RUN_ID (a full id or a unique prefix)
  kFile,     // a path ending in .onnx
};

struct ModelRef {
  ModelRefKind kind = ModelRefKind::kLatest;
  std::string name;      // kVersion, kAlias, kLatest
  int64_t version = 0;   // kVersion
  std::string alias;     // kAlias
  std::string run;       // kRun
  std::string path;      // kFile
};

// kInvalidInput naming the text when it is none of the forms of ModelRefKind, or
// when its name or alias breaks the rules below. A path is recognised by its
// .onnx ending (any case) before anything else, so "models/a@2.onnx" is a file.
ModelRef ParseModelRef(std::string_view text);
// The text ParseModelRef reads back: "credit-risk@3", "run:ab12...", the path.
std::string FormatModelRef(const ModelRef& ref);
std::string FormatModelRef(std::string_view name, int64_t version);  // "credit-risk@3"

// Model names: 1 to 128 characters from [A-Za-z0-9_.-], not starting with '.'
// or '-', not ending in ".onnx" (that reads as a file). kInvalidInput otherwise.
void ValidateModelName(std::string_view name);
// Aliases: 1 to 64 characters from [a-z0-9_-], not purely digits (that reads as
// a version) and not "latest" (that reads as the newest version).
void ValidateAliasName(std::string_view alias);

Json ToJson(const Model& model);
Json ToJson(const ModelVersion& version);
Json ToJson(const ModelAlias& alias);
Json ToJson(const ModelSummary& summary);
Json ToJson(const Evaluation& evaluation);
Json ToJson(const ModelRef& ref);

}  // namespace cairn::store
