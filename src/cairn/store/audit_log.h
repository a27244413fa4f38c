// The audit chain: every change to the store appends an event whose hash covers
// the previous event's hash, so history cannot be edited, deleted or reordered unseen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/audit_event.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

// 64 zeros: the prev_hash of the first event and the head of an empty chain.
extern const std::string kGenesisHash;

// An event's hash is the lower-case hex SHA-256 of this canonical text:
//   "cairn-audit-v1\n" followed, for each of seq, at, actor, action, subject,
//   payload_hash, prev_hash in that order, by "<byte length>:<bytes>\n"
// where seq and at are written in decimal. Length prefixes make the encoding
// unambiguous whatever bytes the fields hold.
std::string AuditEventHash(const AuditEvent& event);

// Appends one event recording a change. Must run inside the caller's open write
// Transaction, the one that makes the change, so both commit or neither does.
// Sets seq = last + 1, at = now, actor = CurrentActor(), payload = payload.dump(),
// and moves the audit_head row to the new event.
AuditEvent AppendAuditEvent(sql::Connection& connection, std::string_view action,
                            std::string_view subject, const Json& payload);

// The newest `limit` events (all when 0), oldest first; only those whose subject
// equals `subject` when one is given.
std::vector<AuditEvent> ListAuditEvents(sql::Connection& connection,
                                        const std::optional<std::string>& subject = std::nullopt,
                                        int64_t limit = 0);

struct AuditVerification {
  bool ok = true;
  int64_t count = 0;          // events checked
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string reason;         // one sentence when not ok
};

// Recomputes the chain: each event's payload hash and hash, each prev_hash link,
// sequence numbers without gaps, and the head row, which catches the newest
// events being deleted or forged events being appended.
AuditVerification VerifyAuditChain(sql::Connection& connection);

}  // namespace cairn::store
