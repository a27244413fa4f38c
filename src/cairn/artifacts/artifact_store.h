// Content-addressed blobs: each file is stored once under objects/ab/cdef…
// named by its SHA-256, written atomically, verified on every read, never overwritten.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace cairn::artifacts {

struct BlobRef {
  std::string hash;  // 64 lower-case hex digits
  uint64_t size = 0;
};

class ArtifactStore {
 public:
  // `root` is the objects folder; it is created when missing.
  explicit ArtifactStore(std::filesystem::path root);

  BlobRef Put(std::string_view bytes);
  // Streams the file in, hashing as it copies; a blob that already exists is kept as is.
  BlobRef PutFile(const std::filesystem::path& file);

  bool Contains(std::string_view hash) const;
  // Reads and verifies; a blob whose bytes no longer match its name is Error(kCorrupt).
  std::string Get(std::string_view hash) const;
  // Copies the verified blob to `destination` atomically.
  void CopyTo(std::string_view hash, const std::filesystem::path& destination) const;
  // Re-hashes the stored bytes; throws kCorrupt naming the hash on mismatch.
  void Verify(std::string_view hash) const;
  uint64_t SizeOf(std::string_view hash) const;

  std::filesystem::path PathOf(std::string_view hash) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  BlobRef Commit(const std::filesystem::path& temp, const std::string& hash, uint64_t size);
  std::filesystem::path TempPath() const;

  std::filesystem::path root_;
};

}  // namespace cairn::artifacts
