#include "cairn/store/audit_log.h"

#include <string>

#include "cairn/core/actor.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/sha256.h"

namespace cairn::store {

const std::string kGenesisHash(64, '0');

namespace {

constexpr char kColumns[] = "seq, at, actor, action, subject, payload, payload_hash, prev_hash, hash";

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += '\n';
}

AuditEvent ReadEvent(const sql::Statement& row) {
  AuditEvent event;
  event.seq = row.ColumnInt64(0);
  event.at = row.ColumnInt64(1);
  event.actor = row.ColumnText(2);
  event.action = row.ColumnText(3);
  event.subject = row.ColumnText(4);
  event.payload = row.ColumnText(5);
  event.payload_hash = row.ColumnText(6);
  event.prev_hash = row.ColumnText(7);
  event.hash = row.ColumnText(8);
  return event;
}

}  // namespace

std::string AuditEventHash(const AuditEvent& event) {
  std::string text = "cairn-audit-v1\n";
  AppendField(text, std::to_string(event.seq));
  AppendField(text, std::to_string(event.at));
  AppendField(text, event.actor);
  AppendField(text, event.action);
  AppendField(text, event.subject);
  AppendField(text, event.payload_hash);
  AppendField(text, event.prev_hash);
  return Sha256Hex(text);
}

AuditEvent AppendAuditEvent(sql::Connection& connection, std::string_view action, std::string_view subject,
                            const Json& payload) {
  if (!connection.in_transaction()) {
    ThrowInvalidInput("audit event '" + std::string(action) + "' must be appended inside the transaction of its change");
  }
  AuditEvent event;
  {
    auto head = connection.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1" +
                                       std::string(sql::LockRowsClause(connection.dialect())),
                                   "read the audit chain head");
    if (!head->Step()) ThrowCorrupt("store " + connection.location() + " has no audit_head row");
    event.seq = head->ColumnInt64(0) + 1;
    event.prev_hash = head->ColumnText(1);
  }
  event.at = NowMicros();
  event.actor = CurrentActor();
  event.action = action;
  event.subject = subject;
  // Invalid UTF-8 in user-given text must not make the change impossible to record.
  event.payload = payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  event.payload_hash = Sha256Hex(event.payload);
  event.hash = AuditEventHash(event);

  connection
      .Prepare("INSERT INTO audit_events (" + std::string(kColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               "append an audit event")
      ->BindInt64(event.seq)
      .BindInt64(event.at)
      .BindText(event.actor)
      .BindText(event.action)
      .BindText(event.subject)
      .BindText(event.payload)
      .BindText(event.payload_hash)
      .BindText(event.prev_hash)
      .BindText(event.hash)
      .Execute();
  connection.Prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", "move the audit chain head")
      ->BindInt64(event.seq)
      .BindText(event.hash)
      .Execute();
  return event;
}

std::vector<AuditEvent> ListAuditEvents(sql::Connection& connection, const std::optional<std::string>& subject,
                                        int64_t limit) {
  // Newest first in SQL so LIMIT keeps the newest; reversed below to read oldest first.
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_events";
  if (subject) sql += " WHERE subject = ?";
  sql += " ORDER BY seq DESC";
  if (limit > 0) sql += " LIMIT ?";
  auto statement = connection.Prepare(sql, "list audit events");
  if (subject) statement->BindText(*subject);
  if (limit > 0) statement->BindInt64(limit);
  std::vector<AuditEvent> events;
  while (statement->Step()) events.push_back(ReadEvent(*statement));
  return {events.rbegin(), events.rend()};
}

AuditVerification VerifyAuditChain(sql::Connection& connection) {
  // One snapshot, so a writer committing meanwhile cannot make the head and the
  // events disagree.
  sql::Transaction snapshot(connection, sql::TransactionMode::kRead);
  AuditVerification result;
  auto fail = [&result](int64_t seq, std::string reason) {
    result.ok = false;
    result.first_bad_seq = seq;
    result.reason = std::move(reason);
    return result;
  };

  auto statement =
      connection.Prepare("SELECT " + std::string(kColumns) + " FROM audit_events ORDER BY seq", "read the audit chain");
  int64_t expected_seq = 1;
  std::string prev_hash = kGenesisHash;
  while (statement->Step()) {
    const AuditEvent event = ReadEvent(*statement);
    const std::string at = "audit event " + std::to_string(event.seq);
    if (event.seq != expected_seq) {
      return fail(expected_seq, "audit event " + std::to_string(expected_seq) + " is missing (the next event is " +
                                    std::to_string(event.seq) + ")");
    }
    if (Sha256Hex(event.payload) != event.payload_hash) {
      return fail(event.seq, at + " was edited: its payload does not match its payload hash");
    }
    if (AuditEventHash(event) != event.hash) {
      return fail(event.seq, at + " was edited or moved: its fields do not match its hash");
    }
    if (event.prev_hash != prev_hash) {
      return fail(event.seq, at + " does not follow the event before it: its previous hash does not match");
    }
    prev_hash = event.hash;
    ++expected_seq;
    ++result.count;
  }

  auto head = connection.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1", "read the audit chain head");
  if (!head->Step()) return fail(result.count + 1, "the audit chain head is missing");
  const int64_t head_seq = head->ColumnInt64(0);
  const std::string head_hash = head->ColumnText(1);
  if (head_seq > result.count) {
    return fail(result.count + 1, "audit events " + std::to_string(result.count + 1) + " to " +
                                      std::to_string(head_seq) + " were deleted");
  }
  if (head_seq < result.count) {
    return fail(head_seq + 1, "audit events after " + std::to_string(head_seq) +
                                  " were added outside cairn: the chain head ends at " + std::to_string(head_seq));
  }
  if (head_hash != prev_hash) {
    return fail(std::max<int64_t>(head_seq, 1), "the audit chain head does not match audit event " +
                                                    std::to_string(head_seq));
  }
  snapshot.Commit();
  return result;
}

}  // namespace cairn::store
