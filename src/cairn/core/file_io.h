// Whole-file reads and crash-safe writes (temporary file, fsync, rename, fsync of the folder).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace cairn {

std::string ReadFile(const std::filesystem::path& path);
// Readers never see a partial file: the bytes appear under `path` all at once or not at all.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes);
// Copies `from` into `to` atomically, returning the SHA-256 of the bytes copied.
std::string CopyFileAtomic(const std::filesystem::path& from, const std::filesystem::path& to);
// fsync of a directory, so that a rename inside it survives a power loss.
void SyncDirectory(const std::filesystem::path& dir);

}  // namespace cairn
