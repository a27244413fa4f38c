#include "cairn/artifacts/workspace.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/version.h"
#include "cairn/store/audit_log.h"

namespace cairn::artifacts {

namespace fs = std::filesystem;

namespace {

constexpr const char* kConfigFile = "config.yaml";
constexpr const char* kDefaultDatabase = "cairn.db";
constexpr const char* kObjectsFolder = "objects";

struct WorkspaceConfig {
  std::string store_uri;  // empty: the embedded database in the .cairn folder
  std::string objects = kObjectsFolder;
};

WorkspaceConfig ReadConfig(const fs::path& folder) {
  fs::path path = folder / kConfigFile;
  WorkspaceConfig config;
  try {
    YAML::Node node = YAML::LoadFile(path.string());
    if (node["store"] && node["store"].as<std::string>() != "embedded") config.store_uri = node["store"].as<std::string>();
    if (node["artifacts"]) config.objects = node["artifacts"].as<std::string>();
  } catch (const YAML::BadFile&) {
    ThrowIo(path.string() + ": cannot read the workspace configuration");
  } catch (const YAML::Exception& e) {
    ThrowCorrupt(path.string() + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return config;
}

// "/a/b/./" -> "/a/b": folders are named the same way however they were typed.
fs::path NormalizedAbsolute(const fs::path& path) {
  fs::path normal = fs::absolute(path).lexically_normal();
  if (!normal.has_filename() && normal != normal.root_path()) normal = normal.parent_path();
  return normal;
}

std::string EmbeddedUri(const fs::path& folder) { return "sqlite://" + (fs::absolute(folder) / kDefaultDatabase).string(); }

}  // namespace

WorkspaceOptions WorkspaceOptionsFromEnvironment(std::optional<std::string> store_flag) {
  WorkspaceOptions options;
  if (store_flag && !store_flag->empty()) {
    options.store_uri = std::move(store_flag);
  } else if (const char* env = std::getenv("CAIRN_STORE"); env != nullptr && *env != '\0') {
    options.store_uri = env;
  }
  if (const char* env = std::getenv("CAIRN_ARTIFACTS"); env != nullptr && *env != '\0') {
    options.artifacts_dir = fs::path(env);
  }
  return options;
}

std::optional<fs::path> FindWorkspaceRoot(const fs::path& start) {
  std::error_code ec;
  fs::path dir = NormalizedAbsolute(start);
  while (true) {
    if (fs::is_directory(dir / kWorkspaceFolder, ec)) return dir;
    fs::path parent = dir.parent_path();
    if (parent == dir) return std::nullopt;
    dir = parent;
  }
}

InitResult Workspace::Init(const fs::path& dir, const std::optional<std::string>& store_uri) {
  fs::path root = NormalizedAbsolute(dir);
  fs::path folder = root / kWorkspaceFolder;
  InitResult result{folder, "", false};
  if (fs::exists(folder / kConfigFile)) {
    WorkspaceConfig config = ReadConfig(folder);
    result.store_uri = config.store_uri.empty() ? EmbeddedUri(folder) : config.store_uri;
    return result;
  }
  std::error_code ec;
  fs::create_directories(folder / kObjectsFolder, ec);
  if (ec) ThrowIo(folder.string() + ": cannot create the workspace: " + ec.message());
  result.store_uri = store_uri.value_or(EmbeddedUri(folder));

  // The store opens (and migrates) before config.yaml appears, so a failure leaves no half workspace behind.
  try {
    store::Store store(result.store_uri);
    sql::Transaction transaction(store.connection());
    store::AppendAuditEvent(store.connection(), "workspace.init", "workspace:" + root.string(),
                            Json{{"store", store_uri ? *store_uri : std::string("embedded")},
                                 {"cairn_version", kVersion}});
    transaction.Commit();
  } catch (...) {
    fs::remove_all(folder, ec);
    throw;
  }
  YAML::Emitter out;
  out << YAML::Comment("cairn workspace configuration") << YAML::BeginMap;
  out << YAML::Key << "store" << YAML::Value << (store_uri ? *store_uri : std::string("embedded"));
  out << YAML::Key << "artifacts" << YAML::Value << kObjectsFolder;
  out << YAML::Key << "created_at" << YAML::Value << FormatUtc(NowMicros());
  out << YAML::Key << "cairn_version" << YAML::Value << kVersion;
  out << YAML::EndMap;
  WriteFileAtomic(folder / kConfigFile, std::string(out.c_str()) + "\n");
  result.created = true;
  return result;
}

std::unique_ptr<Workspace> Workspace::Open(const WorkspaceOptions& options) {
  fs::path start = options.start_dir.empty() ? fs::current_path() : options.start_dir;
  std::optional<fs::path> root = FindWorkspaceRoot(start);
  if (!root) {
    if (!options.store_uri) {
      ThrowNotFound("no cairn workspace in " + fs::absolute(start).string() +
                    " or any parent folder; run 'cairn init' or pass --store");
    }
    if (!options.artifacts_dir) {
      ThrowInvalidInput("--store " + *options.store_uri +
                        " is given outside a workspace; set CAIRN_ARTIFACTS to the shared object store folder");
    }
    return std::unique_ptr<Workspace>(new Workspace(fs::path(), *options.store_uri, *options.artifacts_dir));
  }
  fs::path folder = *root / kWorkspaceFolder;
  WorkspaceConfig config = ReadConfig(folder);
  std::string uri = options.store_uri ? *options.store_uri
                                      : (config.store_uri.empty() ? EmbeddedUri(folder) : config.store_uri);
  fs::path objects = options.artifacts_dir ? *options.artifacts_dir : folder / config.objects;
  return std::unique_ptr<Workspace>(new Workspace(*root, uri, objects));
}

Workspace::Workspace(fs::path root, std::string store_uri, fs::path objects)
    : root_(std::move(root)),
      store_uri_(std::move(store_uri)),
      store_(std::make_unique<store::Store>(store_uri_)),
      artifacts_(std::move(objects)) {}

}  // namespace cairn::artifacts
