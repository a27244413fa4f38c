#include "cairn/store/sql/connection.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/store/sql/sqlite_connection.h"
#include "temp_store.h"

namespace cairn::sql {
namespace {

using store::testing::TempDir;

ErrorCode CodeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "expected a cairn::Error";
  return ErrorCode::kIo;
}

void CreateTable(Connection& connection) {
  connection.Execute("CREATE TABLE t (i BIGINT, d DOUBLE PRECISION, s TEXT, b BLOB, n TEXT)", "create t");
}

TEST(SqlConnection, BindsAndReadsEveryType) {
  TempDir dir;
  auto connection = OpenConnection(dir.db());
  CreateTable(*connection);
  const std::string blob("a\0b\xff", 4);
  connection->Prepare("INSERT INTO t (i, d, s, b, n) VALUES (?, ?, ?, ?, ?)", "insert a row")
      ->BindInt64(std::numeric_limits<int64_t>::min())
      .BindDouble(0.1)
      .BindText("héllo")
      .BindBlob(blob)
      .BindNull()
      .Execute();
  auto select = connection->Prepare("SELECT i, d, s, b, n FROM t", "read rows");
  ASSERT_TRUE(select->Step());
  EXPECT_EQ(select->ColumnCount(), 5);
  EXPECT_EQ(select->ColumnInt64(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(select->ColumnDouble(1), 0.1);
  EXPECT_EQ(select->ColumnText(2), "héllo");
  EXPECT_EQ(select->ColumnBlob(3), blob);
  EXPECT_TRUE(select->IsNull(4));
  EXPECT_EQ(select->ColumnOptionalText(4), std::nullopt);
  EXPECT_FALSE(select->Step());
  EXPECT_FALSE(select->Step());
}

TEST(SqlConnection, StoresNanAndInfinityFaithfully) {
  TempDir dir;
  auto connection = OpenConnection(dir.db());
  CreateTable(*connection);
  auto insert = connection->Prepare("INSERT INTO t (i, d) VALUES (?, ?)", "insert a row");
  const double values[] = {std::nan(""), std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(), -0.0, 1e-300};
  for (int i = 0; i < 5; ++i) {
    insert->Reset();
    insert->BindInt64(i).BindDouble(values[i]).Execute();
  }
  auto select = connection->Prepare("SELECT d FROM t ORDER BY i", "read rows");
  ASSERT_TRUE(select->Step());
  EXPECT_TRUE(std::isnan(select->ColumnDouble(0)));
  ASSERT_TRUE(select->Step());
  EXPECT_EQ(select->ColumnDouble(0), std::numeric_limits<double>::infinity());
  ASSERT_TRUE(select->Step());
  EXPECT_EQ(select->ColumnDouble(0), -std::numeric_limits<double>::infinity());
  ASSERT_TRUE(select->Step());
  EXPECT_EQ(select->ColumnDouble(0), 0.0);
  ASSERT_TRUE(select->Step());
  EXPECT_EQ(select->ColumnDouble(0), 1e-300);
}

TEST(SqlConnection, ReusesPreparedStatements) {
  TempDir dir;
  auto connection = OpenConnection(dir.db());
  CreateTable(*connection);
  for (int i = 0; i < 10; ++i) {
    connection->Prepare("INSERT INTO t (i) VALUES (?)", "insert a row")->BindInt64(i).Execute();
  }
  // Two open copies of the same text must not share state.
  auto a = connection->Prepare("SELECT i FROM t ORDER BY i", "read rows");
  auto b = connection->Prepare("SELECT i FROM t ORDER BY i", "read rows");
  ASSERT_TRUE(a->Step());
  ASSERT_TRUE(a->Step());
  ASSERT_TRUE(b->Step());
  EXPECT_EQ(a->ColumnInt64(0), 1);
  EXPECT_EQ(b->ColumnInt64(0), 0);
}

TEST(SqlConnection, TransactionsCommitAndRollBack) {
  TempDir dir;
  auto connection = OpenConnection(dir.db());
  CreateTable(*connection);
  auto count = [&] {
    auto statement = connection->Prepare("SELECT COUNT(*) FROM t", "count rows");
    statement->Step();
    return statement->ColumnInt64(0);
  };
  {
    Transaction transaction(*connection);
    connection->Prepare("INSERT INTO t (i) VALUES (1)", "insert a row")->Execute();
    EXPECT_TRUE(connection->in_transaction());
  }
  EXPECT_FALSE(connection->in_transaction());
  EXPECT_EQ(count(), 0);
  {
    Transaction transaction(*connection);
    connection->Prepare("INSERT INTO t (i) VALUES (1)", "insert a row")->Execute();
    {
      // A nested transaction is a savepoint: its rollback keeps the outer work.
      Transaction nested(*connection);
      connection->Prepare("INSERT INTO t (i) VALUES (2)", "insert a row")->Execute();
    }
    {
      Transaction nested(*connection);
      connection->Prepare("INSERT INTO t (i) VALUES (3)", "insert a row")->Execute();
      nested.Commit();
    }
    transaction.Commit();
  }
  EXPECT_EQ(count(), 2);
  // A throw inside the transaction rolls everything back.
  EXPECT_THROW(
      {
        Transaction transaction(*connection);
        connection->Prepare("INSERT INTO t (i) VALUES (4)", "insert a row")->Execute();
        ThrowConflict("stop");
      },
      Error);
  EXPECT_EQ(count(), 2);
}

TEST(SqlConnection, MapsFailuresToErrorCodes) {
  TempDir dir;
  auto connection = OpenConnection(dir.db());
  connection->Execute("CREATE TABLE u (k TEXT PRIMARY KEY)", "create u");
  connection->Prepare("INSERT INTO u (k) VALUES ('a')", "insert a key")->Execute();
  EXPECT_EQ(CodeOf([&] { connection->Prepare("INSERT INTO u (k) VALUES ('a')", "insert a key")->Execute(); }),
            ErrorCode::kConflict);
  try {
    connection->Prepare("SELECT * FROM missing", "read the missing table");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(error.what()).find("cannot read the missing table"), std::string::npos) << error.what();
  }

  const std::string junk = (dir.path() / "junk.db").string();
  WriteFileAtomic(junk, std::string(4096, 'x'));
  EXPECT_EQ(CodeOf([&] { OpenConnection(junk); }), ErrorCode::kCorrupt);
  EXPECT_EQ(CodeOf([&] { OpenConnection((dir.path() / "no" / "such" / "cairn.db").string()); }), ErrorCode::kIo);
}

TEST(SqlConnection, OpensByUri) {
  TempDir dir;
  auto by_uri = OpenConnection("sqlite://" + dir.db());
  EXPECT_EQ(by_uri->location(), dir.db());
  EXPECT_EQ(by_uri->dialect(), Dialect::kSqlite);
  EXPECT_EQ(by_uri->driver_version().rfind("sqlite 3.", 0), 0u);
  EXPECT_NE(OpenConnection(":memory:"), nullptr);
  try {
    OpenConnection("postgresql://db.example/cairn");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kUnsupported);
    EXPECT_STREQ(error.what(), "PostgreSQL store support is not built into this cairn yet");
  }
  EXPECT_EQ(CodeOf([] { OpenConnection("mysql://db/cairn"); }), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf([] { OpenConnection(""); }), ErrorCode::kInvalidInput);
}

TEST(SqlConnection, WaitsForAnotherWriter) {
  TempDir dir;
  SqliteOptions options;
  options.busy_timeout_ms = 50;  // short single waits, so the retry loop does the work
  SqliteConnection first(dir.db(), options);
  SqliteConnection second(dir.db(), options);
  CreateTable(first);

  auto holder = std::make_unique<Transaction>(first);
  first.Prepare("INSERT INTO t (i) VALUES (1)", "insert a row")->Execute();
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    holder->Commit();
    holder.reset();
  });
  const auto start = std::chrono::steady_clock::now();
  {
    Transaction waiting(second);  // blocks until the first commits
    second.Prepare("INSERT INTO t (i) VALUES (2)", "insert a row")->Execute();
    waiting.Commit();
  }
  release.join();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  auto count = second.Prepare("SELECT COUNT(*) FROM t", "count rows");
  ASSERT_TRUE(count->Step());
  EXPECT_EQ(count->ColumnInt64(0), 2);
}

TEST(SqlConnection, GivesUpAfterTheBusyDeadline) {
  TempDir dir;
  SqliteOptions options;
  options.busy_timeout_ms = 20;
  options.busy_deadline_ms = 200;
  SqliteConnection first(dir.db(), options);
  SqliteConnection second(dir.db(), options);
  CreateTable(first);
  Transaction holder(first);
  try {
    Transaction waiting(second);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(error.what()).find("locked"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(second.in_transaction());
}

}  // namespace
}  // namespace cairn::sql
