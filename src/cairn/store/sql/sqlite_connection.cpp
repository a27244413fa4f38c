#include "cairn/store/sql/sqlite_connection.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "cairn/core/error.h"

namespace cairn::sql {
namespace {

bool IsBusy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// Waits with growing, jittered pauses until a deadline, so that writers that
// collide do not retry in lockstep. Cheap to create: the clock is read only
// once a wait is needed.
class BusyBackoff {
 public:
  explicit BusyBackoff(int deadline_ms) : deadline_ms_(deadline_ms) {}

  // False once the deadline has passed; otherwise sleeps and returns true.
  bool Wait() {
    const auto now = std::chrono::steady_clock::now();
    if (!deadline_) deadline_ = now + std::chrono::milliseconds(deadline_ms_);
    if (now >= *deadline_) return false;
    thread_local std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> jitter(0, delay_us_);
    auto pause = std::chrono::microseconds(delay_us_ + jitter(random));
    if (now + pause > *deadline_) pause = std::chrono::duration_cast<std::chrono::microseconds>(*deadline_ - now);
    std::this_thread::sleep_for(pause);
    delay_us_ = std::min(delay_us_ * 2, 100000);
    return true;
  }

 private:
  int deadline_ms_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  int delay_us_ = 500;
};

}  // namespace

class SqliteStatement : public Statement {
 public:
  SqliteStatement(SqliteConnection& connection, sqlite3_stmt* statement, std::string_view purpose)
      : connection_(connection), statement_(statement), purpose_(purpose) {}
  ~SqliteStatement() override { connection_.ReturnToCache(statement_); }

  Statement& BindInt64(int64_t value) override {
    Check(sqlite3_bind_int64(statement_, NextIndex(), value));
    return *this;
  }
  Statement& BindDouble(double value) override {
    // SQLite stores NaN as NULL; the text 'NaN' survives in a REAL column and reads back as NaN.
    if (std::isnan(value)) return BindText("NaN");
    Check(sqlite3_bind_double(statement_, NextIndex(), value));
    return *this;
  }
  Statement& BindText(std::string_view value) override {
    Check(sqlite3_bind_text64(statement_, NextIndex(), value.data(), value.size(), SQLITE_TRANSIENT,
                              SQLITE_UTF8));
    return *this;
  }
  Statement& BindBlob(std::string_view bytes) override {
    // A zero-length blob needs a non-null pointer to stay a blob rather than NULL.
    static const char kEmpty = 0;
    Check(sqlite3_bind_blob64(statement_, NextIndex(), bytes.empty() ? &kEmpty : bytes.data(),
                              bytes.size(), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& BindNull() override {
    Check(sqlite3_bind_null(statement_, NextIndex()));
    return *this;
  }

  bool Step() override {
    if (done_) return false;
    BusyBackoff backoff(connection_.options_.busy_deadline_ms);
    while (true) {
      const int rc = sqlite3_step(statement_);
      if (rc == SQLITE_ROW) {
        produced_row_ = true;
        return true;
      }
      if (rc == SQLITE_DONE) {
        done_ = true;
        return false;
      }
      // Outside a transaction nothing is held yet, so the statement can simply run again.
      if (IsBusy(rc) && !produced_row_ && !connection_.in_transaction() && backoff.Wait()) {
        sqlite3_reset(statement_);
        continue;
      }
      sqlite3_reset(statement_);
      connection_.ThrowFor(rc, purpose_);
    }
  }

  int64_t Execute() override {
    while (Step()) {
    }
    return sqlite3_changes64(connection_.db_);
  }

  void Reset() override {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    next_index_ = 1;
    done_ = false;
    produced_row_ = false;
  }

  int ColumnCount() const override { return sqlite3_column_count(statement_); }
  bool IsNull(int column) const override {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  }
  int64_t ColumnInt64(int column) const override { return sqlite3_column_int64(statement_, column); }
  double ColumnDouble(int column) const override {
    if (sqlite3_column_type(statement_, column) == SQLITE_TEXT) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
      return std::strtod(text, nullptr);
    }
    return sqlite3_column_double(statement_, column);
  }
  std::string ColumnText(int column) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    if (text == nullptr) return {};
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
  }
  std::string ColumnBlob(int column) const override {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    if (bytes == nullptr) return {};
    return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
  }

 private:
  int NextIndex() {
    if (next_index_ > sqlite3_bind_parameter_count(statement_)) {
      ThrowInvalidInput("statement to " + purpose_ + " takes " +
                        std::to_string(sqlite3_bind_parameter_count(statement_)) +
                        " parameters but more were bound");
    }
    return next_index_++;
  }
  void Check(int rc) {
    if (rc != SQLITE_OK) connection_.ThrowFor(rc, purpose_);
  }

  SqliteConnection& connection_;
  sqlite3_stmt* statement_;
  std::string purpose_;
  int next_index_ = 1;
  bool done_ = false;
  bool produced_row_ = false;
};

SqliteConnection::SqliteConnection(const std::string& path, const SqliteOptions& options)
    : path_(path), options_(options) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent)) {
      reason = "folder " + parent.string() + " does not exist";
    }
    ThrowIo("cannot open store " + path + ": " + reason);
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options_.busy_timeout_ms);
    // WAL lets readers proceed while one writer commits; NORMAL sync in WAL mode
    // already survives a killed process, FULL also survives power loss.
    ExecuteWithRetry("PRAGMA journal_mode=WAL", "switch the store to WAL mode");
    ExecuteWithRetry(options_.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                     "set the store's sync mode");
    ExecuteWithRetry("PRAGMA foreign_keys=ON", "turn on foreign keys");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statements] : cache_) {
    for (sqlite3_stmt* statement : statements) sqlite3_finalize(statement);
  }
  if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

std::string SqliteConnection::driver_version() const {
  return std::string("sqlite ") + sqlite3_libversion();
}

void SqliteConnection::ThrowFor(int rc, std::string_view purpose) const {
  const int primary = rc & 0xff;
  const std::string message = db_ != nullptr && sqlite3_errcode(db_) == rc ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  const std::string action = "cannot " + std::string(purpose) + " in store " + path_ + ": ";
  switch (primary) {
    case SQLITE_CONSTRAINT:
      ThrowConflict(action + message);
    case SQLITE_NOTADB:
      ThrowCorrupt("store " + path_ + " is not a cairn database (" + message + ")");
    case SQLITE_CORRUPT:
      ThrowCorrupt("store " + path_ + " is damaged (" + message + ") while trying to " + std::string(purpose));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      ThrowIo(action + "another writer kept the database locked for " +
              std::to_string(options_.busy_deadline_ms / 1000) + " s");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      throw Error(ErrorCode::kPermissionDenied, action + message);
    default:
      ThrowIo(action + message);
  }
}

std::unique_ptr<Statement> SqliteConnection::Prepare(std::string_view sql, std::string_view purpose) {
  return std::make_unique<SqliteStatement>(*this, TakeCached(sql, purpose), purpose);
}

void SqliteConnection::Execute(std::string_view sql, std::string_view purpose) {
  ExecuteWithRetry(std::string(sql).c_str(), purpose);
}

void SqliteConnection::ExecuteWithRetry(const char* sql, std::string_view purpose) {
  BusyBackoff backoff(options_.busy_deadline_ms);
  while (true) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if (IsBusy(rc) && backoff.Wait()) continue;
    ThrowFor(rc, purpose);
  }
}

sqlite3_stmt* SqliteConnection::TakeCached(std::string_view sql, std::string_view purpose) {
  auto found = cache_.find(sql);
  if (found != cache_.end() && !found->second.empty()) {
    sqlite3_stmt* statement = found->second.back();
    found->second.pop_back();
    return statement;
  }
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &statement, &tail);
  if (rc != SQLITE_OK) ThrowFor(rc, purpose);
  if (statement == nullptr) ThrowInvalidInput("statement to " + std::string(purpose) + " is empty");
  for (const char* p = tail; p != nullptr && p < sql.data() + sql.size(); ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
      sqlite3_finalize(statement);
      ThrowInvalidInput("statement to " + std::string(purpose) + " holds more than one SQL statement");
    }
  }
  return statement;
}

void SqliteConnection::ReturnToCache(sqlite3_stmt* statement) {
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  // Keep a few copies per text: the same statement can be open twice (nested reads).
  auto& free_list = cache_[sqlite3_sql(statement)];
  if (free_list.size() < 4) {
    free_list.push_back(statement);
  } else {
    sqlite3_finalize(statement);
  }
}

void SqliteConnection::BeginTransaction(TransactionMode mode) {
  // IMMEDIATE takes the write lock now, so a read-then-write (the audit chain's
  // previous hash) cannot interleave with another writer's.
  if (mode == TransactionMode::kWrite) {
    ExecuteWithRetry("BEGIN IMMEDIATE", "begin a write transaction");
  } else {
    ExecuteWithRetry("BEGIN", "begin a read transaction");
  }
}

void SqliteConnection::CommitTransaction() { ExecuteWithRetry("COMMIT", "commit a transaction"); }

void SqliteConnection::RollbackTransaction() noexcept {
  // Fails harmlessly when SQLite already rolled back after an error.
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace cairn::sql
