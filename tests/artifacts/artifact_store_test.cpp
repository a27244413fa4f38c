#include "cairn/artifacts/artifact_store.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"

namespace cairn::artifacts {
namespace {

namespace fs = std::filesystem;

class ArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn_blobs_" + NewId());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Blob files: everything under objects/ except the temporary folder.
  std::vector<fs::path> BlobFiles() const {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(dir_ / "objects"); it != fs::recursive_directory_iterator(); ++it) {
      if (it->path().filename() == ".tmp") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(it->path());
    }
    return files;
  }

  fs::path dir_;
};

TEST_F(ArtifactStoreTest, NamesBlobsBySha256AndDeduplicates) {
  ArtifactStore store(dir_ / "objects");
  BlobRef a = store.Put("hello");
  EXPECT_EQ(a.hash, Sha256Hex("hello"));
  EXPECT_EQ(a.size, 5u);
  EXPECT_EQ(store.PathOf(a.hash), dir_ / "objects" / a.hash.substr(0, 2) / a.hash.substr(2));
  WriteFileAtomic(dir_ / "copy.txt", "hello");
  BlobRef b = store.PutFile(dir_ / "copy.txt");
  EXPECT_EQ(b.hash, a.hash);
  EXPECT_EQ(BlobFiles().size(), 1u);
  EXPECT_EQ(store.Get(a.hash), "hello");
  store.CopyTo(a.hash, dir_ / "out.txt");
  EXPECT_EQ(ReadFile(dir_ / "out.txt"), "hello");
}

TEST_F(ArtifactStoreTest, DamagedBlobIsCorruptNamingItsHash) {
  ArtifactStore store(dir_ / "objects");
  BlobRef a = store.Put("original bytes");
  fs::permissions(store.PathOf(a.hash), fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(store.PathOf(a.hash), std::ios::trunc) << "tampered bytes";
  for (auto action : {0, 1, 2}) {
    try {
      if (action == 0) store.Get(a.hash);
      if (action == 1) store.Verify(a.hash);
      if (action == 2) store.CopyTo(a.hash, dir_ / "out.bin");
      FAIL() << "damaged blob was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kCorrupt);
      EXPECT_NE(std::string(e.what()).find(a.hash), std::string::npos);
    }
  }
  EXPECT_FALSE(fs::exists(dir_ / "out.bin"));
}

TEST_F(ArtifactStoreTest, ExistingBlobIsNeverOverwritten) {
  ArtifactStore store(dir_ / "objects");
  BlobRef a = store.Put("data");
  auto before = fs::last_write_time(store.PathOf(a.hash));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  store.Put("data");
  EXPECT_EQ(fs::last_write_time(store.PathOf(a.hash)), before);
}

TEST_F(ArtifactStoreTest, UnknownAndMalformedNames) {
  ArtifactStore store(dir_ / "objects");
  try {
    store.Get(Sha256Hex("absent"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  try {
    store.Get("../../etc/passwd");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
  }
}

TEST_F(ArtifactStoreTest, WriterKilledMidWriteLeavesNoVisiblePartialBlob) {
  // A named pipe as the source: the child blocks mid-copy after the first chunk,
  // and is killed there.
  fs::path fifo = dir_ / "source.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ArtifactStore store(dir_ / "objects");
    store.PutFile(fifo);
    ::_exit(0);
  }
  {
    std::ofstream writer(fifo, std::ios::binary);
    std::string chunk(3 << 20, 'x');
    writer.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    writer.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
  }
  EXPECT_TRUE(BlobFiles().empty());
  // A later writer of the same content still gets a complete blob.
  ArtifactStore store(dir_ / "objects");
  BlobRef blob = store.Put(std::string(3 << 20, 'x'));
  store.Verify(blob.hash);
  EXPECT_EQ(BlobFiles().size(), 1u);
}

}  // namespace
}  // namespace cairn::artifacts
