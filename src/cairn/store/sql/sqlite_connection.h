// The SQLite driver of sql::Connection: WAL journal, foreign keys on, and a busy
// retry loop so several processes can write one workspace at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cairn/store/sql/connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cairn::sql {

struct SqliteOptions {
  // How long one attempt waits inside SQLite for a lock held by another connection.
  int busy_timeout_ms = 5000;
  // How long BEGIN and COMMIT keep retrying in total before giving up with kIo.
  int busy_deadline_ms = 30000;
  // FULL syncs the WAL on every commit, so a committed change survives power loss too.
  bool synchronous_full = true;
};

class SqliteConnection : public Connection {
 public:
  // `path` may be ":memory:". Creates the file when missing; its folder must exist.
  explicit SqliteConnection(const std::string& path, const SqliteOptions& options = {});
  ~SqliteConnection() override;

  std::unique_ptr<Statement> Prepare(std::string_view sql, std::string_view purpose) override;
  void Execute(std::string_view sql, std::string_view purpose) override;
  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string location() const override { return path_; }
  std::string driver_version() const override;

  // Throws the cairn::Error that matches SQLite result `rc` for an action on this database.
  [[noreturn]] void ThrowFor(int rc, std::string_view purpose) const;

 protected:
  void BeginTransaction(TransactionMode mode) override;
  void CommitTransaction() override;
  void RollbackTransaction() noexcept override;

 private:
  friend class SqliteStatement;
  // Runs a statement without parameters, retrying while the database is busy.
  void ExecuteWithRetry(const char* sql, std::string_view purpose);
  // Prepared statements are kept and reused: repositories prepare the same text often.
  sqlite3_stmt* TakeCached(std::string_view sql, std::string_view purpose);
  void ReturnToCache(sqlite3_stmt* statement);

  std::string path_;
  SqliteOptions options_;
  sqlite3* db_ = nullptr;
  std::map<std::string, std::vector<sqlite3_stmt*>, std::less<>> cache_;
};

}  // namespace cairn::sql
