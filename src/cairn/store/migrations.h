// The store's schema as an ordered list of migrations, and the code that brings a
// database up to the newest version this cairn knows.
#pragma once

#include <string>
#include <vector>

#include "cairn/store/sql/connection.h"

namespace cairn::store {

struct Migration {
  int version = 0;          // 1, 2, 3... in order, never reused
  std::string description;  // "experiments, runs, params, metrics, tags, artifacts, audit"
  std::string sql;          // portable DDL; may hold several statements
};

// cairn's migrations, oldest first.
const std::vector<Migration>& Migrations();
int LatestSchemaVersion();

// 0 for a database that has no schema_version table yet.
int CurrentSchemaVersion(sql::Connection& connection);

struct MigrationResult {
  int from_version = 0;
  int to_version = 0;
};

// Applies every pending migration in one write transaction, so concurrent
// openers apply each once and a failure leaves the old schema untouched. A
// database newer than the last entry of `migrations` is refused with kUnsupported.
MigrationResult Migrate(sql::Connection& connection,
                        const std::vector<Migration>& migrations = Migrations());

}  // namespace cairn::store
