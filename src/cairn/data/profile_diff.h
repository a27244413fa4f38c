// What changed between two versions of a dataset: columns added, removed or
// retyped, and how each shared column's statistics moved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/profile.h"
#include "cairn/data/schema.h"

namespace cairn::data {

// One statistic of one column in both versions; NaN where a version lacks it.
// Datetime minima and maxima are in UTC microseconds.
struct StatisticShift {
  std::string statistic;  // count, missing_rate, distinct, mean, std, min, max
  double before = 0;
  double after = 0;
  bool Changed() const;
};

struct ColumnDiff {
  std::string name;
  ColumnType type_before = ColumnType::kFloat;
  ColumnType type_after = ColumnType::kFloat;
  std::vector<StatisticShift> statistics;
  std::vector<std::string> new_categories;       // among the top categories
  std::vector<std::string> vanished_categories;  // among the top categories
  bool Changed() const;
};

struct TypeChange {
  std::string name;
  ColumnType before = ColumnType::kFloat;
  ColumnType after = ColumnType::kFloat;
};

struct DatasetDiff {
  int64_t rows_before = 0;
  int64_t rows_after = 0;
  std::vector<ColumnSchema> added;
  std::vector<ColumnSchema> removed;
  std::vector<TypeChange> type_changes;
  std::vector<ColumnDiff> columns;  // every shared column, in the newer version's order

  bool SchemaChanged() const { return !added.empty() || !removed.empty() || !type_changes.empty(); }
  Json ToJson() const;
  // Plain text: the row counts, schema changes, then one table row per statistic that moved.
  std::string Render() const;
};

DatasetDiff DiffDatasets(const Schema& schema_before, const Profile& profile_before, const Schema& schema_after,
                         const Profile& profile_after);

}  // namespace cairn::data
