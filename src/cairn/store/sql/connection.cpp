#include "cairn/store/sql/connection.h"

#include <cctype>
#include <string>

#include "cairn/core/error.h"
#include "cairn/store/sql/sqlite_connection.h"

namespace cairn::sql {

Statement& Statement::BindOptionalText(const std::optional<std::string>& value) {
  return value ? BindText(*value) : BindNull();
}

Statement& Statement::BindOptionalInt64(const std::optional<int64_t>& value) {
  return value ? BindInt64(*value) : BindNull();
}

std::optional<std::string> Statement::ColumnOptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnText(column);
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

namespace {

std::string SavepointName(int depth) { return "cairn_savepoint_" + std::to_string(depth); }

}  // namespace

Transaction::Transaction(Connection& connection, TransactionMode mode) : connection_(connection) {
  const int depth = connection_.transaction_depth_ + 1;
  if (depth == 1) {
    connection_.BeginTransaction(mode);
  } else {
    // SAVEPOINT is standard SQL, so nesting works the same on every driver.
    connection_.Execute("SAVEPOINT " + SavepointName(depth), "open a savepoint");
  }
  depth_ = depth;
  connection_.transaction_depth_ = depth;
}

Transaction::~Transaction() {
  if (finished_) return;
  if (depth_ == 1) {
    connection_.RollbackTransaction();
  } else {
    try {
      const std::string name = SavepointName(depth_);
      connection_.Execute("ROLLBACK TO SAVEPOINT " + name + "; RELEASE SAVEPOINT " + name,
                          "roll back a savepoint");
    } catch (...) {
      // A destructor must not throw; the outer transaction still rolls back on its own.
    }
  }
  connection_.transaction_depth_ = depth_ - 1;
}

void Transaction::Commit() {
  if (finished_) ThrowInvalidInput("transaction on " + connection_.location() + " was already committed");
  if (connection_.transaction_depth_ != depth_) {
    ThrowInvalidInput("transaction on " + connection_.location() +
                      " committed while a nested transaction is still open");
  }
  if (depth_ == 1) {
    connection_.CommitTransaction();
  } else {
    connection_.Execute("RELEASE SAVEPOINT " + SavepointName(depth_), "release a savepoint");
  }
  finished_ = true;
  connection_.transaction_depth_ = depth_ - 1;
}

std::unique_ptr<Connection> OpenConnection(const std::string& uri) {
  if (uri.empty()) ThrowInvalidInput("store URI is empty; give a path, sqlite:///PATH or postgresql://...");
  const size_t colon = uri.find(':');
  // A scheme is letters before "://" or "sqlite:"; anything else is a path (":memory:" included).
  std::string scheme;
  if (colon != std::string::npos && colon > 1) {
    const std::string head = uri.substr(0, colon);
    bool letters = true;
    for (char c : head) {
      if (!std::isalpha(static_cast<unsigned char>(c)) && c != '+') letters = false;
    }
    if (letters && (uri.compare(colon, 3, "://") == 0 || head == "sqlite")) scheme = head;
  }
  if (scheme.empty()) return std::make_unique<SqliteConnection>(uri);
  if (scheme == "sqlite") {
    std::string path = uri.substr(colon + 1);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    if (path.empty()) ThrowInvalidInput("store URI '" + uri + "' names no file; write sqlite:///abs/path/cairn.db");
    return std::make_unique<SqliteConnection>(path);
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    ThrowUnsupported("PostgreSQL store support is not built into this cairn yet");
  }
  ThrowInvalidInput("store URI '" + uri + "' has unknown scheme '" + scheme +
                    "'; use a path, sqlite:///PATH or postgresql://...");
}

std::string_view LockRowsClause(Dialect dialect) {
  return dialect == Dialect::kPostgres ? " FOR UPDATE" : "";
}

}  // namespace cairn::sql
