#include "cairn/store/audit_event.h"

#include "cairn/core/clock.h"

namespace cairn::store {

Json ToJson(const AuditEvent& event) {
  Json payload = Json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
  // An unparsable payload is shown as text; verification reports the damage.
  if (payload.is_discarded()) payload = event.payload;
  return Json{{"seq", event.seq},
              {"at", FormatUtc(event.at)},
              {"actor", event.actor},
              {"action", event.action},
              {"subject", event.subject},
              {"payload", payload},
              {"payload_hash", event.payload_hash},
              {"prev_hash", event.prev_hash},
              {"hash", event.hash}};
}

}  // namespace cairn::store
