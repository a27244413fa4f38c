// Paths that users give for artifacts: normalised to a relative path inside a
// run, refusing absolute paths, '..' and links that would leave their folder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::artifacts {

// "./model//model.onnx" -> "model/model.onnx". Throws Error(kInvalidInput) for
// empty paths, absolute paths, '..' components, NUL bytes and backslashes.
std::string NormalizeArtifactPath(std::string_view path);

// `root / relative`, refused with kPermissionDenied when the result, following
// any symbolic links that exist, would lie outside `root`.
std::filesystem::path ResolveInside(const std::filesystem::path& root, std::string_view relative);

// The regular files under `dir` with their artifact paths relative to it;
// a symbolic link that points outside `dir` is refused with kPermissionDenied.
std::vector<std::pair<std::filesystem::path, std::string>> ListFilesInside(const std::filesystem::path& dir);

}  // namespace cairn::artifacts
