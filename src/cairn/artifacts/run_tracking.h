// Tracking operations that touch both the store and the object store: starting
// a run with its source and environment captured, and logging or fetching files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/store/run.h"

namespace cairn::artifacts {

struct StartRunOptions {
  std::string experiment = "default";
  std::string name;
  std::optional<std::string> parent_run;
  // Folder whose git state is recorded as the run's source; the current directory when empty.
  std::filesystem::path source_dir;
};

// Creates a RUNNING run with the git commit, branch and dirty flag of
// `source_dir` and the environment (OS, CPU, compiler, cairn and library versions).
store::Run StartRun(Workspace& workspace, const StartRunOptions& options);

// The environment as recorded on runs, including the store driver's version.
Json CaptureRunEnvironment(Workspace& workspace);

// Stores a file (or every file under a folder) as blobs and maps them into the
// run under `artifact_path` (default: the file's name, or the folder's contents
// at the top of the run). Blobs are written before the store records them, so
// a crash leaves at worst an unreferenced blob, never a dangling reference.
std::vector<store::RunArtifact> LogArtifact(Workspace& workspace, const std::string& run_ref,
                                            const std::filesystem::path& source,
                                            const std::optional<std::string>& artifact_path);

// Copies the run's artifacts (all, or those at or under `artifact_path`) into
// `destination`, verifying every blob and refusing paths that would leave it.
std::vector<std::filesystem::path> DownloadArtifacts(Workspace& workspace, const std::string& run_ref,
                                                     const std::optional<std::string>& artifact_path,
                                                     const std::filesystem::path& destination);

}  // namespace cairn::artifacts
