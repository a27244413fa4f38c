// The store facade: opens a database by URI, migrates it, and hands out the
// repositories that share its connection. One Store per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cairn/store/audit_log.h"
#include "cairn/store/dataset_store.h"
#include "cairn/store/lineage_store.h"
#include "cairn/store/model_registry.h"
#include "cairn/store/monitor_store.h"
#include "cairn/store/prediction_log_store.h"
#include "cairn/store/sql/connection.h"
#include "cairn/store/tracking_store.h"

namespace cairn::store {

class Store {
 public:
  // `uri` as accepted by sql::OpenConnection; pending migrations run at once.
  explicit Store(const std::string& uri);
  explicit Store(std::unique_ptr<sql::Connection> connection);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  sql::Connection& connection() { return *connection_; }
  TrackingStore& tracking() { return tracking_; }
  DatasetStore& datasets() { return datasets_; }
  LineageStore& lineage() { return lineage_; }
  ModelRegistry& models() { return models_; }
  PredictionLogStore& predictions() { return predictions_; }
  // A light view over the shared connection: monitor reports, alerts and schedules.
  MonitorStore monitoring() { return MonitorStore(*connection_); }

  std::vector<AuditEvent> ListAuditEvents(const std::optional<std::string>& subject = std::nullopt,
                                          int64_t limit = 0);
  AuditVerification VerifyAuditChain();

 private:
  std::unique_ptr<sql::Connection> connection_;
  TrackingStore tracking_;
  DatasetStore datasets_;
  LineageStore lineage_;
  ModelRegistry models_;
  PredictionLogStore predictions_;
};

}  // namespace cairn::store
