#include "cairn/store/store.h"

#include "cairn/store/migrations.h"

namespace cairn::store {

Store::Store(const std::string& uri) : Store(sql::OpenConnection(uri)) {}

Store::Store(std::unique_ptr<sql::Connection> connection)
    : connection_(std::move(connection)), tracking_(*connection_), datasets_(*connection_), lineage_(*connection_),
      models_(*connection_), predictions_(*connection_) {
  Migrate(*connection_);
}

std::vector<AuditEvent> Store::ListAuditEvents(const std::optional<std::string>& subject, int64_t limit) {
  return store::ListAuditEvents(*connection_, subject, limit);
}

AuditVerification Store::VerifyAuditChain() { return store::VerifyAuditChain(*connection_); }

}  // namespace cairn::store
