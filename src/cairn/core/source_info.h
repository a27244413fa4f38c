// Where a run's code came from: the git commit, branch and whether the work
// tree had uncommitted changes, when the run starts inside a git work tree.
#pragma once

#include <filesystem>
#include <string>

namespace cairn {

struct SourceInfo {
  bool in_git = false;
  std::string commit;  // full hash, empty outside git or before the first commit
  std::string branch;  // empty when detached
  bool dirty = false;
};

SourceInfo CaptureSource(const std::filesystem::path& dir);

}  // namespace cairn
