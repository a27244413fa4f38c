#include "cairn/artifacts/run_tracking.h"

#include "cairn/artifacts/artifact_path.h"
#include "cairn/core/environment.h"
#include "cairn/core/error.h"
#include "cairn/core/source_info.h"

namespace cairn::artifacts {

namespace fs = std::filesystem;

Json CaptureRunEnvironment(Workspace& workspace) {
  EnvironmentInfo info = CaptureEnvironment();
  info.libraries["store"] = workspace.store().connection().driver_version();
  Json libraries = Json::object();
  for (const auto& [name, version] : info.libraries) libraries[name] = version;
  return Json{{"os", info.os},
              {"cpu", info.cpu},
              {"cpu_count", info.cpu_count},
              {"compiler", info.compiler},
              {"cairn_version", info.cairn_version},
              {"libraries", libraries}};
}

store::Run StartRun(Workspace& workspace, const StartRunOptions& options) {
  SourceInfo source = CaptureSource(options.source_dir.empty() ? fs::current_path() : options.source_dir);
  store::RunSource run_source{source.commit, source.branch, source.dirty};
  return workspace.store().tracking().CreateRun(options.experiment, options.name, run_source,
                                                CaptureRunEnvironment(workspace), options.parent_run);
}

std::vector<store::RunArtifact> LogArtifact(Workspace& workspace, const std::string& run_ref,
                                            const fs::path& source, const std::optional<std::string>& artifact_path) {
  std::error_code ec;
  if (!fs::exists(source, ec)) ThrowNotFound(source.string() + ": no such file or folder");
  auto& tracking = workspace.store().tracking();
  std::string run_id = tracking.ResolveRunId(run_ref);

  std::vector<std::pair<fs::path, std::string>> files;
  if (fs::is_directory(source)) {
    std::string prefix = artifact_path ? NormalizeArtifactPath(*artifact_path) + "/" : std::string();
    for (auto& [file, relative] : ListFilesInside(source)) files.emplace_back(file, prefix + relative);
    if (files.empty()) ThrowInvalidInput(source.string() + ": folder holds no files to log");
  } else {
    files.emplace_back(source, NormalizeArtifactPath(artifact_path ? *artifact_path : source.filename().string()));
  }

  std::vector<store::RunArtifact> logged;
  for (const auto& [file, path] : files) {
    BlobRef blob = workspace.artifacts().PutFile(file);
    tracking.RecordArtifact(run_id, path, blob.hash, static_cast<int64_t>(blob.size));
    logged.push_back({path, blob.hash, static_cast<int64_t>(blob.size), 0});
  }
  return logged;
}

std::vector<fs::path> DownloadArtifacts(Workspace& workspace, const std::string& run_ref,
                                        const std::optional<std::string>& artifact_path, const fs::path& destination) {
  auto artifacts = workspace.store().tracking().ListArtifacts(run_ref);
  std::string wanted = artifact_path ? NormalizeArtifactPath(*artifact_path) : std::string();
  std::vector<fs::path> written;
  std::error_code ec;
  fs::create_directories(destination, ec);
  if (ec) ThrowIo(destination.string() + ": cannot create: " + ec.message());
  for (const auto& artifact : artifacts) {
    if (!wanted.empty() && artifact.path != wanted && artifact.path.rfind(wanted + "/", 0) != 0) continue;
    fs::path target = ResolveInside(destination, artifact.path);
    fs::create_directories(target.parent_path(), ec);
    if (ec) ThrowIo(target.parent_path().string() + ": cannot create: " + ec.message());
    workspace.artifacts().CopyTo(artifact.blob_hash, target);
    written.push_back(target);
  }
  if (written.empty()) {
    ThrowNotFound("run " + run_ref + " has no artifact" + (wanted.empty() ? std::string() : " at '" + wanted + "'"));
  }
  return written;
}

}  // namespace cairn::artifacts
