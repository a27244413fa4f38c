#include "cairn/store/lineage_store.h"

#include <string>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/store/audit_log.h"

namespace cairn::store {

bool LineageStore::AddLineageEdge(const LineageEdge& edge) {
  const std::pair<const char*, const std::string*> fields[] = {{"from_kind", &edge.from_kind},
                                                               {"from_id", &edge.from_id},
                                                               {"to_kind", &edge.to_kind},
                                                               {"to_id", &edge.to_id},
                                                               {"kind", &edge.kind}};
  for (const auto& [name, value] : fields) {
    if (value->empty()) ThrowInvalidInput(std::string("lineage edge has an empty ") + name);
  }
  sql::Transaction transaction(connection_);
  const int64_t changed =
      connection_
          .Prepare(
              "INSERT INTO lineage_edges (from_kind, from_id, to_kind, to_id, kind, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
              "record a lineage edge")
          ->BindText(edge.from_kind)
          .BindText(edge.from_id)
          .BindText(edge.to_kind)
          .BindText(edge.to_id)
          .BindText(edge.kind)
          .BindInt64(NowMicros())
          .Execute();
  if (changed == 0) return false;
  AppendAuditEvent(connection_, "lineage.add", edge.to_kind + ":" + edge.to_id,
                   Json{{"from", edge.from_kind + ":" + edge.from_id},
                        {"to", edge.to_kind + ":" + edge.to_id},
                        {"kind", edge.kind}});
  transaction.Commit();
  return true;
}

std::vector<LineageEdge> LineageStore::ListLineage(std::string_view kind, std::string_view id) {
  auto statement = connection_.Prepare(
      "SELECT from_kind, from_id, to_kind, to_id, kind, created_at FROM lineage_edges "
      "WHERE (from_kind = ? AND from_id = ?) OR (to_kind = ? AND to_id = ?) ORDER BY created_at, from_kind, from_id",
      "list lineage edges");
  statement->BindText(kind).BindText(id).BindText(kind).BindText(id);
  std::vector<LineageEdge> edges;
  while (statement->Step()) {
    edges.push_back({statement->ColumnText(0), statement->ColumnText(1), statement->ColumnText(2),
                     statement->ColumnText(3), statement->ColumnText(4), statement->ColumnInt64(5)});
  }
  return edges;
}

}  // namespace cairn::store
