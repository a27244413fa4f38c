// The SQL interface every repository talks to: prepared statements with `?`
// parameters, transactions and busy retry, behind a driver chosen by URI so that
// a second database can be added without touching the repositories.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::sql {

// The few places where databases differ; repositories ask instead of branching on names.
enum class Dialect { kSqlite, kPostgres };

// A prepared statement. Parameters bind in the order of their `?` marks;
// columns are read by 0-based index from the current row.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual Statement& BindInt64(int64_t value) = 0;
  // NaN and ±infinity are stored faithfully (drivers that cannot hold NaN encode it).
  virtual Statement& BindDouble(double value) = 0;
  virtual Statement& BindText(std::string_view value) = 0;
  virtual Statement& BindBlob(std::string_view bytes) = 0;
  virtual Statement& BindNull() = 0;
  Statement& BindOptionalText(const std::optional<std::string>& value);
  Statement& BindOptionalInt64(const std::optional<int64_t>& value);

  // Advances to the next row: true while a row is available.
  virtual bool Step() = 0;
  // Runs a statement that returns no rows and gives the number of rows it changed.
  virtual int64_t Execute() = 0;
  // Rewinds the statement and clears its bindings so it can run again.
  virtual void Reset() = 0;

  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t ColumnInt64(int column) const = 0;
  virtual double ColumnDouble(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual std::string ColumnBlob(int column) const = 0;
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::optional<int64_t> ColumnOptionalInt64(int column) const;
};

enum class TransactionMode {
  kWrite,  // takes the write lock at BEGIN, so read-then-write sequences are serialised
  kRead,   // a consistent snapshot for several reads
};

// One database session. Not thread-safe: give each thread its own Connection.
// Statements it prepares must be destroyed before it is.
// Failures throw cairn::Error: kIo naming the statement's purpose, kConflict for
// constraint violations, kCorrupt when the file is not a healthy database.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // `purpose` is a short verb phrase ("insert a metric") used in error messages.
  virtual std::unique_ptr<Statement> Prepare(std::string_view sql, std::string_view purpose) = 0;
  // Runs one or more statements without parameters (DDL, pragmas).
  virtual void Execute(std::string_view sql, std::string_view purpose) = 0;

  virtual Dialect dialect() const = 0;
  // Where the data lives, for messages ("/home/ana/proj/.cairn/cairn.db").
  virtual std::string location() const = 0;
  // Driver name and library version for run environments ("sqlite 3.40.1").
  virtual std::string driver_version() const = 0;

  // True while a Transaction is open on this connection.
  bool in_transaction() const { return transaction_depth_ > 0; }

 protected:
  // Drivers retry while another writer holds the lock, up to their busy deadline.
  virtual void BeginTransaction(TransactionMode mode) = 0;
  virtual void CommitTransaction() = 0;
  // Must not throw: it runs from destructors.
  virtual void RollbackTransaction() noexcept = 0;

 private:
  friend class Transaction;
  int transaction_depth_ = 0;
};

// RAII transaction: begins in the constructor, commits only when Commit() is
// called, rolls back in the destructor otherwise. A Transaction opened while
// another is open on the same connection becomes a savepoint inside it, so a
// repository call can join a larger unit of work; the outermost mode applies.
class Transaction {
 public:
  explicit Transaction(Connection& connection, TransactionMode mode = TransactionMode::kWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit();

 private:
  Connection& connection_;
  int depth_ = 0;  // 1 for the outermost transaction, >1 for savepoints
  bool finished_ = false;
};

// Opens a store database by URI: `sqlite:///abs/path/cairn.db`, `sqlite:rel/path.db`,
// a plain path, or `:memory:`. `postgresql://...` is recognised and refused with
// kUnsupported until that driver is built in; other schemes are kInvalidInput.
std::unique_ptr<Connection> OpenConnection(const std::string& uri);

// Text that locks the rows a SELECT reads until the transaction ends ("" where a
// write transaction already serialises writers, as in SQLite).
std::string_view LockRowsClause(Dialect dialect);

}  // namespace cairn::sql
