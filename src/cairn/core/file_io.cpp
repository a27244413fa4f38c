#include "cairn/core/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"

namespace cairn {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// ".name.tmp-<id>" beside the target, so the rename stays inside one file system.
std::filesystem::path TempName(const std::filesystem::path& target) {
  std::string name = ".";
  name += target.filename().string();
  name += ".tmp-";
  name += NewId();
  return target.parent_path() / name;
}

class TempFile {
 public:
  explicit TempFile(const std::filesystem::path& target) : path_(TempName(target)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) ThrowIo(path_.string() + ": cannot create temporary file: " + ErrnoText());
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  void Write(std::string_view bytes) {
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        ThrowIo(path_.string() + ": write failed: " + ErrnoText());
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }
  void CommitTo(const std::filesystem::path& target) {
    if (::fsync(fd_) != 0) ThrowIo(path_.string() + ": fsync failed: " + ErrnoText());
    ::close(fd_);
    fd_ = -1;
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      ThrowIo(target.string() + ": rename failed: " + ErrnoText());
    }
    committed_ = true;
    SyncDirectory(target.parent_path());
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ThrowIo(path.string() + ": cannot open for reading");
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) ThrowIo(path.string() + ": read failed");
  return std::move(out).str();
}

void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes) {
  TempFile temp(path);
  temp.Write(bytes);
  temp.CommitTo(path);
}

std::string CopyFileAtomic(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) ThrowIo(from.string() + ": cannot open for reading");
  TempFile temp(to);
  Sha256 hasher;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::string_view chunk(buffer.data(), static_cast<size_t>(in.gcount()));
    hasher.Update(chunk);
    temp.Write(chunk);
  }
  if (in.bad()) ThrowIo(from.string() + ": read failed");
  temp.CommitTo(to);
  return hasher.FinishHex();
}

void SyncDirectory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // Some filesystems refuse; the rename itself already happened.
  ::fsync(fd);
  ::close(fd);
}

}  // namespace cairn
