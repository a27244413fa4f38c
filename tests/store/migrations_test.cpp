#include "cairn/store/migrations.h"

#include <gtest/gtest.h>

#include "cairn/core/error.h"
#include "cairn/store/store.h"
#include "temp_store.h"

namespace cairn::store {
namespace {

using testing::TempDir;

int64_t CountRows(sql::Connection& connection, const std::string& table) {
  auto statement = connection.Prepare("SELECT COUNT(*) FROM " + table, "count rows");
  statement->Step();
  return statement->ColumnInt64(0);
}

TEST(Migrations, FreshStoreGetsTheLatestVersion) {
  TempDir dir;
  auto connection = sql::OpenConnection(dir.db());
  EXPECT_EQ(CurrentSchemaVersion(*connection), 0);
  const MigrationResult result = Migrate(*connection);
  EXPECT_EQ(result.from_version, 0);
  EXPECT_EQ(result.to_version, LatestSchemaVersion());
  EXPECT_EQ(CurrentSchemaVersion(*connection), LatestSchemaVersion());
  EXPECT_EQ(CountRows(*connection, "schema_version"), static_cast<int64_t>(Migrations().size()));
  // Running again changes nothing.
  const MigrationResult again = Migrate(*connection);
  EXPECT_EQ(again.from_version, LatestSchemaVersion());
  EXPECT_EQ(again.to_version, LatestSchemaVersion());
  for (const char* table : {"experiments", "runs", "params", "metrics", "tags", "artifacts", "datasets",
                            "dataset_versions", "lineage_edges", "audit_events", "audit_head"}) {
    EXPECT_NO_THROW(CountRows(*connection, table)) << table;
  }
}

TEST(Migrations, RefusesANewerStore) {
  TempDir dir;
  { Store store(dir.db()); }
  {
    auto connection = sql::OpenConnection(dir.db());
    connection->Execute("INSERT INTO schema_version (version, description, applied_at) VALUES (7, 'future', 0)",
                        "pretend a newer cairn wrote the store");
  }
  try {
    Store store(dir.db());
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kUnsupported);
    EXPECT_EQ(std::string(error.what()), "store schema version 7 is newer than this cairn supports (" +
                                             std::to_string(LatestSchemaVersion()) + "); upgrade cairn");
  }
}

TEST(Migrations, UpgradesAnOlderStoreInOneTransaction) {
  TempDir dir;
  auto connection = sql::OpenConnection(dir.db());
  const std::vector<Migration> first_only(Migrations().begin(), Migrations().begin() + 1);
  EXPECT_EQ(Migrate(*connection, first_only).to_version, 1);
  EXPECT_EQ(CurrentSchemaVersion(*connection), 1);
  EXPECT_THROW(CountRows(*connection, "datasets"), Error);

  // A migration that fails half-way leaves the store at its old version.
  std::vector<Migration> broken = Migrations();
  broken.push_back({LatestSchemaVersion() + 1, "broken", "CREATE TABLE extra (x BIGINT); SELECT * FROM nowhere;"});
  EXPECT_THROW(Migrate(*connection, broken), Error);
  EXPECT_EQ(CurrentSchemaVersion(*connection), 1);
  EXPECT_THROW(CountRows(*connection, "datasets"), Error);
  EXPECT_THROW(CountRows(*connection, "extra"), Error);

  const MigrationResult result = Migrate(*connection);
  EXPECT_EQ(result.from_version, 1);
  EXPECT_EQ(result.to_version, LatestSchemaVersion());
  EXPECT_EQ(CountRows(*connection, "datasets"), 0);
}

}  // namespace
}  // namespace cairn::store
