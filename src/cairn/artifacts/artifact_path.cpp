#include "cairn/artifacts/artifact_path.h"

#include <algorithm>

#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::artifacts {

namespace fs = std::filesystem;

namespace {

bool IsInside(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin(), c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (r->empty()) continue;
    if (c == candidate.end() || *r != *c) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeArtifactPath(std::string_view path) {
  std::string shown(path);
  if (path.empty()) ThrowInvalidInput("artifact path is empty");
  if (path.find('\0') != std::string_view::npos) ThrowInvalidInput("artifact path contains a NUL byte");
  if (path.find('\\') != std::string_view::npos) {
    ThrowInvalidInput("artifact path '" + shown + "' contains a backslash; use '/'");
  }
  if (path.front() == '/') ThrowInvalidInput("artifact path '" + shown + "' is absolute; give a path inside the run");
  std::vector<std::string> parts;
  for (const auto& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") ThrowInvalidInput("artifact path '" + shown + "' contains '..'; give a path inside the run");
    parts.push_back(part);
  }
  if (parts.empty()) ThrowInvalidInput("artifact path '" + shown + "' names no file");
  return Join(parts, "/");
}

fs::path ResolveInside(const fs::path& root, std::string_view relative) {
  std::string normal = NormalizeArtifactPath(relative);
  fs::path canonical_root = fs::weakly_canonical(root);
  fs::path target = fs::weakly_canonical(canonical_root / normal);
  if (!IsInside(canonical_root, target)) {
    throw Error(ErrorCode::kPermissionDenied,
                "'" + normal + "' resolves to " + target.string() + ", outside " + canonical_root.string());
  }
  return target;
}

std::vector<std::pair<fs::path, std::string>> ListFilesInside(const fs::path& dir) {
  fs::path canonical_dir = fs::canonical(dir);
  std::vector<std::pair<fs::path, std::string>> files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& path = it->path();
    if (it->is_symlink()) {
      fs::path resolved = fs::weakly_canonical(path);
      if (!IsInside(canonical_dir, resolved)) {
        throw Error(ErrorCode::kPermissionDenied,
                    path.string() + ": symbolic link to " + resolved.string() + " leaves " + dir.string());
      }
    }
    if (!it->is_regular_file()) continue;
    files.emplace_back(path, NormalizeArtifactPath(path.lexically_relative(dir).generic_string()));
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return files;
}

}  // namespace cairn::artifacts
