#include "cairn/artifacts/workspace.h"

#include <gtest/gtest.h>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/artifacts/run_tracking.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/ids.h"
#include "cairn/store/sql/connection.h"

namespace cairn::artifacts {
namespace {

namespace fs = std::filesystem;

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn_ws_" + NewId());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<Workspace> OpenFrom(const fs::path& start) {
    WorkspaceOptions options;
    options.start_dir = start;
    return Workspace::Open(options);
  }
  fs::path dir_;
};

TEST_F(WorkspaceTest, InitCreatesStoreInWalModeAndIsFoundFromBelow) {
  auto result = Workspace::Init(dir_, std::nullopt);
  EXPECT_TRUE(result.created);
  EXPECT_TRUE(fs::exists(dir_ / ".cairn" / "cairn.db"));
  EXPECT_TRUE(fs::exists(dir_ / ".cairn" / "config.yaml"));
  EXPECT_TRUE(fs::is_directory(dir_ / ".cairn" / "objects"));
  EXPECT_FALSE(Workspace::Init(dir_, std::nullopt).created);

  fs::create_directories(dir_ / "a" / "b");
  auto workspace = OpenFrom(dir_ / "a" / "b");
  EXPECT_EQ(workspace->root(), fs::absolute(dir_));
  auto statement = workspace->store().connection().Prepare("PRAGMA journal_mode", "read the journal mode");
  ASSERT_TRUE(statement->Step());
  EXPECT_EQ(statement->ColumnText(0), "wal");
  auto events = workspace->store().ListAuditEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "workspace.init");
}

TEST_F(WorkspaceTest, MissingWorkspaceIsNotFoundNamingTheFolder) {
  try {
    OpenFrom(dir_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find(dir_.string()), std::string::npos);
  }
}

TEST_F(WorkspaceTest, StoreOverrideWinsOverTheWorkspaceDatabase) {
  Workspace::Init(dir_, std::nullopt);
  WorkspaceOptions options;
  options.start_dir = dir_;
  options.store_uri = "sqlite://" + (dir_ / "other.db").string();
  auto workspace = Workspace::Open(options);
  EXPECT_EQ(workspace->store().ListAuditEvents().size(), 0u);
  EXPECT_TRUE(fs::exists(dir_ / "other.db"));
}

TEST_F(WorkspaceTest, DatasetsAreVersionedOnlyWhenContentChanges) {
  Workspace::Init(dir_, std::nullopt);
  auto workspace = OpenFrom(dir_);
  WriteFileAtomic(dir_ / "d.csv", "a,b\n1,x\n2,y\n");
  auto first = AddDataset(*workspace, dir_ / "d.csv", {"d", {}});
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.version.version, 1);
  auto again = AddDataset(*workspace, dir_ / "d.csv", {"d", {}});
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.version, 1);
  WriteFileAtomic(dir_ / "d.csv", "a,b\n1,x\n2,y\n3,z\n");
  auto second = AddDataset(*workspace, dir_ / "d.csv", {"d", {}});
  EXPECT_EQ(second.version.version, 2);

  // The stored copy outlives the source file.
  fs::remove(dir_ / "d.csv");
  auto table = LoadDataset(*workspace, GetDataset(*workspace, "d@1"));
  EXPECT_EQ(table.num_rows(), 2u);
  EXPECT_EQ(LoadDataset(*workspace, GetDataset(*workspace, "d@latest")).num_rows(), 3u);
}

TEST_F(WorkspaceTest, MalformedDataRecordsNothing) {
  Workspace::Init(dir_, std::nullopt);
  auto workspace = OpenFrom(dir_);
  WriteFileAtomic(dir_ / "bad.csv", "a,b\n1,2\n3\n");
  size_t events_before = workspace->store().ListAuditEvents().size();
  try {
    AddDataset(*workspace, dir_ / "bad.csv", {"bad", {}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find(":3"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(workspace->store().datasets().ListDatasets().empty());
  EXPECT_EQ(workspace->store().ListAuditEvents().size(), events_before);
}

TEST_F(WorkspaceTest, ArtifactsRoundTripThroughARun) {
  Workspace::Init(dir_, std::nullopt);
  auto workspace = OpenFrom(dir_);
  auto run = StartRun(*workspace, {"exp", "r1", std::nullopt, dir_});
  EXPECT_FALSE(run.environment.value("os", "").empty());
  fs::create_directories(dir_ / "out" / "plots");
  WriteFileAtomic(dir_ / "out" / "model.bin", "weights");
  WriteFileAtomic(dir_ / "out" / "plots" / "roc.svg", "<svg/>");
  auto logged = LogArtifact(*workspace, run.id, dir_ / "out", std::string("bundle"));
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].path, "bundle/model.bin");
  EXPECT_EQ(logged[1].path, "bundle/plots/roc.svg");
  auto written = DownloadArtifacts(*workspace, run.id, std::string("bundle/plots"), dir_ / "restored");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(ReadFile(dir_ / "restored" / "bundle" / "plots" / "roc.svg"), "<svg/>");
}

}  // namespace
}  // namespace cairn::artifacts
