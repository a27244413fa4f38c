#include "cairn/artifacts/artifact_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"

namespace cairn::artifacts {

namespace fs = std::filesystem;

namespace {

// Temporary files live in their own folder so that a writer killed mid-copy
// leaves nothing that looks like a blob.
constexpr const char* kTempFolder = ".tmp";

void RequireHash(std::string_view hash) {
  if (!IsSha256Hex(hash)) ThrowInvalidInput("'" + std::string(hash) + "' is not a SHA-256 blob name");
}

class FdWriter {
 public:
  explicit FdWriter(const fs::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd_ < 0) ThrowIo(path.string() + ": cannot create: " + std::strerror(errno));
  }
  ~FdWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  void Write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        ThrowIo(path_.string() + ": write failed: " + std::strerror(errno));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  void SyncAndClose() {
    if (::fsync(fd_) != 0) ThrowIo(path_.string() + ": fsync failed: " + std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

// Removes the temporary file unless the blob was committed.
struct TempGuard {
  fs::path path;
  ~TempGuard() {
    std::error_code ignored;
    if (!path.empty()) fs::remove(path, ignored);
  }
};

}  // namespace

ArtifactStore::ArtifactStore(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(root_ / kTempFolder, ec);
  if (ec) ThrowIo(root_.string() + ": cannot create object store: " + ec.message());
}

fs::path ArtifactStore::PathOf(std::string_view hash) const {
  RequireHash(hash);
  return root_ / std::string(hash.substr(0, 2)) / std::string(hash.substr(2));
}

fs::path ArtifactStore::TempPath() const { return root_ / kTempFolder / ("blob-" + NewId()); }

BlobRef ArtifactStore::Commit(const fs::path& temp, const std::string& hash, uint64_t size) {
  fs::path final_path = PathOf(hash);
  std::error_code ec;
  if (fs::exists(final_path, ec)) return {hash, size};  // deduplicated: never overwrite
  fs::create_directories(final_path.parent_path(), ec);
  if (ec) ThrowIo(final_path.parent_path().string() + ": cannot create: " + ec.message());
  // link() fails when the name exists, so a concurrent writer of the same blob cannot clobber it.
  if (::link(temp.c_str(), final_path.c_str()) != 0 && errno != EEXIST) {
    ThrowIo(final_path.string() + ": cannot store blob: " + std::strerror(errno));
  }
  SyncDirectory(final_path.parent_path());
  return {hash, size};
}

BlobRef ArtifactStore::Put(std::string_view bytes) {
  std::string hash = Sha256Hex(bytes);
  if (Contains(hash)) return {hash, bytes.size()};
  TempGuard guard{TempPath()};
  FdWriter writer(guard.path);
  writer.Write(bytes);
  writer.SyncAndClose();
  return Commit(guard.path, hash, bytes.size());
}

BlobRef ArtifactStore::PutFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) ThrowIo(file.string() + ": cannot open for reading");
  if (fs::is_directory(file)) ThrowInvalidInput(file.string() + ": is a directory, not a file");
  TempGuard guard{TempPath()};
  FdWriter writer(guard.path);
  Sha256 hasher;
  uint64_t size = 0;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::string_view chunk(buffer.data(), static_cast<size_t>(in.gcount()));
    hasher.Update(chunk);
    writer.Write(chunk);
    size += chunk.size();
  }
  if (in.bad()) ThrowIo(file.string() + ": read failed");
  writer.SyncAndClose();
  return Commit(guard.path, hasher.FinishHex(), size);
}

bool ArtifactStore::Contains(std::string_view hash) const {
  std::error_code ec;
  return fs::exists(PathOf(hash), ec);
}

std::string ArtifactStore::Get(std::string_view hash) const {
  fs::path path = PathOf(hash);
  if (!fs::exists(path)) ThrowNotFound("blob " + std::string(hash) + " is not in the object store " + root_.string());
  std::string bytes = ReadFile(path);
  if (Sha256Hex(bytes) != hash) {
    ThrowCorrupt("blob " + std::string(hash) + " is damaged: its bytes no longer match its SHA-256");
  }
  return bytes;
}

void ArtifactStore::Verify(std::string_view hash) const {
  fs::path path = PathOf(hash);
  if (!fs::exists(path)) ThrowNotFound("blob " + std::string(hash) + " is not in the object store " + root_.string());
  if (Sha256File(path) != hash) {
    ThrowCorrupt("blob " + std::string(hash) + " is damaged: its bytes no longer match its SHA-256");
  }
}

void ArtifactStore::CopyTo(std::string_view hash, const fs::path& destination) const {
  fs::path path = PathOf(hash);
  if (!fs::exists(path)) ThrowNotFound("blob " + std::string(hash) + " is not in the object store " + root_.string());
  std::string copied = CopyFileAtomic(path, destination);
  if (copied != hash) {
    std::error_code ignored;
    fs::remove(destination, ignored);
    ThrowCorrupt("blob " + std::string(hash) + " is damaged: its bytes no longer match its SHA-256");
  }
}

uint64_t ArtifactStore::SizeOf(std::string_view hash) const {
  std::error_code ec;
  auto size = fs::file_size(PathOf(hash), ec);
  if (ec) ThrowNotFound("blob " + std::string(hash) + " is not in the object store " + root_.string());
  return size;
}

}  // namespace cairn::artifacts
