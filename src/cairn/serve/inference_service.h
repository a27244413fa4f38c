// The service layer every prediction route calls once: pick the variant,
// take that variant's current model, map the request to its inputs, run it,
// hand the record to the prediction log and the request to the shadow. Routes
// only parse before and serialise after.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/runtime/value.h"
#include "cairn/serve/loaded_model.h"
#include "cairn/serve/prediction_log.h"
#include "cairn/serve/request_body.h"
#include "cairn/serve/server_metrics.h"
#include "cairn/serve/shadow_runner.h"
#include "cairn/serve/traffic_router.h"

namespace cairn::serve {

// 32 hex digits, held inline: an id costs no allocation.
struct RequestId {
  std::array<char, 32> text{};
  std::string_view view() const { return {text.data(), text.size()}; }
};

struct Prediction {
  RequestId request_id;
  Variant variant = Variant::kChampion;
  std::shared_ptr<const LoadedModel> model;
  std::vector<runtime::Value> outputs;  // in the order of model->session.outputs()
  int64_t rows = 0;
};

struct FeedbackItem {
  std::string request_id;
  std::string labels;  // JSON array text, one label per row
};

struct ServiceParts {
  ModelSlot* champion = nullptr;
  ModelSlot* challenger = nullptr;  // A/B when set
  ModelSlot* shadow = nullptr;      // shadow scoring when set
  double split = 0.0;               // the challenger's share of keys
  ServerMetrics* metrics = nullptr;
  PredictionLog* log = nullptr;          // nullptr: nothing is logged
  ShadowRunner* shadow_runner = nullptr;  // required with a shadow
};

class InferenceService {
 public:
  explicit InferenceService(ServiceParts parts);

  // `key` routes the request (the X-Request-Key header, else the body's key
  // field, else random). Errors as MapInputs and Session::Run.
  Prediction Predict(std::shared_ptr<const RequestBody> body, std::string_view key);

  // Queues ground truth for earlier predictions. kConflict when the server
  // logs nothing; kIo (retry later) when the log queue is full.
  void RecordFeedback(std::vector<FeedbackItem> items);

  // Whether `name` is a model this server answers for.
  bool Serves(std::string_view name) const;
  std::shared_ptr<const LoadedModel> champion() const { return parts_.champion->Get(); }
  std::vector<ModelInfo> Models() const;
  const ServiceParts& parts() const { return parts_; }
  uint64_t shadow_errors() const { return shadow_errors_.load(std::memory_order_relaxed); }

  // A random per-process prefix and a counter, unique without a lock.
  RequestId NewRequestId();

 private:
  void Shadow(std::shared_ptr<const RequestBody> body, RequestId request_id);

  ServiceParts parts_;
  TrafficRouter router_;
  std::string id_prefix_;  // 16 hex digits
  std::atomic<uint64_t> next_id_{0};
  std::atomic<uint64_t> shadow_errors_{0};
};

}  // namespace cairn::serve
