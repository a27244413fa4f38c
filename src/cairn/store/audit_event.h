// One entry of the audit chain, as a plain value, with its JSON form.
#pragma once

#include <cstdint>
#include <string>

#include "cairn/core/json.h"

namespace cairn::store {

struct AuditEvent {
  int64_t seq = 0;             // 1, 2, 3... without gaps
  int64_t at = 0;              // UTC microseconds
  std::string actor;           // CAIRN_ACTOR, else the OS user
  std::string action;          // "run.create", "run.log", "dataset.version", ...
  std::string subject;         // "run:<id>", "experiment:<name>", "dataset:<name>", ...
  std::string payload;         // compact JSON describing the change
  std::string payload_hash;    // SHA-256 of `payload`
  std::string prev_hash;       // the previous event's hash; 64 zeros for the first
  std::string hash;            // see AuditEventHash in audit_log.h
};

// {"seq","at" (ISO-8601),"actor","action","subject","payload" (parsed),"payload_hash","prev_hash","hash"}
Json ToJson(const AuditEvent& event);

}  // namespace cairn::store
