// A cairn workspace: the `.cairn/` folder holding the store database, the object
// store and config.yaml, found from the current directory upward as git does.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cairn/artifacts/artifact_store.h"
#include "cairn/store/store.h"

namespace cairn::artifacts {

inline constexpr const char* kWorkspaceFolder = ".cairn";

struct WorkspaceOptions {
  // Directory to search upward from; the current directory when empty.
  std::filesystem::path start_dir;
  // Overrides the workspace's database: the --store flag, else CAIRN_STORE.
  std::optional<std::string> store_uri;
  // Overrides the object store folder: CAIRN_ARTIFACTS.
  std::optional<std::filesystem::path> artifacts_dir;
};

// The flag value when given, else the environment variables CAIRN_STORE and CAIRN_ARTIFACTS.
WorkspaceOptions WorkspaceOptionsFromEnvironment(std::optional<std::string> store_flag);

struct InitResult {
  std::filesystem::path folder;  // the .cairn folder
  std::string store_uri;
  bool created = false;  // false when the folder already was a workspace
};

class Workspace {
 public:
  // Creates DIR/.cairn with a SQLite database in WAL mode (or records `store_uri`),
  // the object store and config.yaml, and audits the creation. An existing
  // workspace is left as it is and reported with created = false.
  static InitResult Init(const std::filesystem::path& dir, const std::optional<std::string>& store_uri);

  // Finds and opens the workspace; kNotFound naming the start folder when none exists
  // and no store override is given.
  static std::unique_ptr<Workspace> Open(const WorkspaceOptions& options);

  store::Store& store() { return *store_; }
  ArtifactStore& artifacts() { return artifacts_; }
  // The folder that holds `.cairn` (empty when opened from a store URI alone).
  const std::filesystem::path& root() const { return root_; }
  const std::string& store_uri() const { return store_uri_; }

 private:
  Workspace(std::filesystem::path root, std::string store_uri, std::filesystem::path objects);

  std::filesystem::path root_;
  std::string store_uri_;
  std::unique_ptr<store::Store> store_;
  ArtifactStore artifacts_;
};

// The folder holding `.cairn`, searching `start` and its parents; nullopt when none.
std::optional<std::filesystem::path> FindWorkspaceRoot(const std::filesystem::path& start);

}  // namespace cairn::artifacts
