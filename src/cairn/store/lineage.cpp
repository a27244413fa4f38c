#include "cairn/store/lineage.h"

#include "cairn/core/clock.h"

namespace cairn::store {

Json ToJson(const LineageEdge& edge) {
  return Json{{"from_kind", edge.from_kind}, {"from_id", edge.from_id}, {"to_kind", edge.to_kind},
              {"to_id", edge.to_id},         {"kind", edge.kind},       {"created_at", FormatUtc(edge.created_at)}};
}

}  // namespace cairn::store
