// Lineage edges between datasets, runs and models, each addition audited.
#pragma once

#include <string_view>
#include <vector>

#include "cairn/store/lineage.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

class LineageStore {
 public:
  explicit LineageStore(sql::Connection& connection) : connection_(connection) {}

  // Returns false (and records nothing) when the same edge already exists.
  bool AddLineageEdge(const LineageEdge& edge);
  // Edges that start or end at (kind, id), oldest first.
  std::vector<LineageEdge> ListLineage(std::string_view kind, std::string_view id);

 private:
  sql::Connection& connection_;
};

}  // namespace cairn::store
