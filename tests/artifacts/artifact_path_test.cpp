#include "cairn/artifacts/artifact_path.h"

#include <gtest/gtest.h>

#include <fstream>

#include "cairn/core/error.h"
#include "cairn/core/ids.h"

namespace cairn::artifacts {
namespace {

namespace fs = std::filesystem;

ErrorCode CodeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::kIo;
}

TEST(ArtifactPath, Normalises) {
  EXPECT_EQ(NormalizeArtifactPath("model.onnx"), "model.onnx");
  EXPECT_EQ(NormalizeArtifactPath("./model//a/./b.txt"), "model/a/b.txt");
  EXPECT_EQ(NormalizeArtifactPath("dir/"), "dir");
}

TEST(ArtifactPath, RefusesEscapes) {
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a/..", ".", "a\\b"}) {
    EXPECT_EQ(CodeOf([&] { NormalizeArtifactPath(bad); }), ErrorCode::kInvalidInput) << bad;
  }
  EXPECT_EQ(CodeOf([&] { NormalizeArtifactPath(std::string("a\0b", 3)); }), ErrorCode::kInvalidInput);
}

TEST(ArtifactPath, LinksThatLeaveTheFolderAreRefused) {
  fs::path dir = fs::temp_directory_path() / ("cairn_paths_" + NewId());
  fs::create_directories(dir / "inside" / "sub");
  fs::create_directories(dir / "outside");
  std::ofstream(dir / "inside" / "a.txt") << "a";
  std::ofstream(dir / "outside" / "secret.txt") << "s";
  fs::create_symlink(dir / "inside" / "a.txt", dir / "inside" / "sub" / "ok_link");
  auto files = ListFilesInside(dir / "inside");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].second, "a.txt");
  EXPECT_EQ(files[1].second, "sub/ok_link");

  fs::create_symlink(dir / "outside", dir / "inside" / "escape");
  EXPECT_EQ(CodeOf([&] { ListFilesInside(dir / "inside"); }), ErrorCode::kPermissionDenied);
  EXPECT_EQ(CodeOf([&] { ResolveInside(dir / "inside", "escape/secret.txt"); }), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ResolveInside(dir / "inside", "new/file.txt"), fs::canonical(dir / "inside") / "new" / "file.txt");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cairn::artifacts
