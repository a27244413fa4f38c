#include "cairn/core/file_io.h"

#include <gtest/gtest.h>

#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

TEST(FileIo, AtomicWriteLeavesNoTemporaryFiles) {
  fs::path dir = fs::temp_directory_path() / ("cairn_fileio_" + NewId());
  fs::create_directories(dir);
  WriteFileAtomic(dir / "a.txt", "hello");
  WriteFileAtomic(dir / "a.txt", "world");
  EXPECT_EQ(ReadFile(dir / "a.txt"), "world");
  EXPECT_EQ(CopyFileAtomic(dir / "a.txt", dir / "b.txt"), Sha256Hex("world"));
  EXPECT_EQ(ReadFile(dir / "b.txt"), "world");
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 2);
  fs::remove_all(dir);
}

TEST(FileIo, MissingFilesAreIoErrors) {
  try {
    ReadFile("/nonexistent/cairn/file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cairn/file"), std::string::npos);
  }
  EXPECT_THROW(WriteFileAtomic("/nonexistent/cairn/file", "x"), Error);
}

TEST(Ids, AreUniqueHex) {
  auto a = NewId(), b = NewId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace cairn
