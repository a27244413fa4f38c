// The shape of a dataset: its columns' names, types and nullability, as
// recorded with every dataset version and compared between versions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"

namespace cairn::data {

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kFloat;
  bool nullable = false;  // at least one value is missing

  bool operator==(const ColumnSchema&) const = default;
};

struct Schema {
  std::vector<ColumnSchema> columns;

  static Schema FromTable(const Table& table);
  const ColumnSchema* Find(std::string_view name) const;

  // {"columns": [{"name": "age", "type": "integer", "nullable": false}, ...]}
  Json ToJson() const;
  // Throws kInvalidInput naming the first field that is missing or wrong.
  static Schema FromJson(const Json& json);

  bool operator==(const Schema&) const = default;
};

}  // namespace cairn::data
