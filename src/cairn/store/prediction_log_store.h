// The serving log in the store: answered predictions (one row per request and
// variant), ground-truth feedback attached by request id, and per-window
// feature summaries. Rows arrive in batches from the server's log writer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

struct PredictionRecord {
  std::string request_id;
  std::string variant;  // "champion", "challenger", "shadow"
  std::string model_name;
  int64_t model_version = 0;  // 0 for a model served from a file
  int64_t created_at = 0;
  int64_t latency_us = 0;
  int64_t row_count = 0;
  double sample_weight = 1.0;  // > 1 when the log kept one record in N under load
  std::string inputs;          // JSON text: {"column": [values...]}; personal data hashed
  std::string outputs;         // JSON text: {"output": [...]}
  std::string labels;          // JSON text: one predicted label per row
};

struct FeedbackRecord {
  std::string request_id;
  std::string labels;  // JSON text: one true label per row of the request
  int64_t created_at = 0;
};

struct PredictionWindow {
  std::string id;
  std::string model_name;
  int64_t model_version = 0;
  std::string variant;
  int64_t window_start = 0;
  int64_t window_end = 0;
  int64_t predictions = 0;  // rows summarised
  int64_t dropped = 0;      // records the log could not keep in this window
  Json features = Json::object();
  int64_t created_at = 0;
};

// A logged prediction joined with its feedback, for comparing variants.
struct LabeledPrediction {
  std::string request_id;
  std::string variant;
  int64_t model_version = 0;
  Json predicted = Json::array();  // per row
  Json truth = Json::array();      // per row
};

// Which logged predictions a scan reads: one model's (and variant's) rows
// created in [from, to), in the order they were logged.
struct PredictionScan {
  std::string model_name;
  std::optional<std::string> variant;  // every variant when unset
  int64_t from = 0;                    // microseconds since the epoch, inclusive
  int64_t to = INT64_MAX;              // exclusive
  int64_t page_size = 2000;            // rows per query, so memory stays bounded
};

// A logged prediction with the feedback that arrived for its request, if any.
struct LoggedPrediction {
  PredictionRecord record;
  std::optional<std::string> feedback;  // JSON text: one true label per row
};

class PredictionLogStore {
 public:
  explicit PredictionLogStore(sql::Connection& connection) : connection_(connection) {}

  // Each call is one transaction. A prediction already logged under the same
  // request id and variant is kept as it was (a retried batch is harmless);
  // feedback for a request replaces earlier feedback for it.
  void AppendPredictions(std::span<const PredictionRecord> records);
  void RecordFeedback(std::span<const FeedbackRecord> records);
  // Audited as "predictions.window" on the model's subject.
  void RecordWindow(const PredictionWindow& window);

  int64_t CountPredictions(std::string_view model_name, std::optional<std::string_view> variant = std::nullopt);
  // Newest first; every model when the name is empty; all when limit is 0.
  std::vector<PredictionRecord> ListPredictions(std::string_view model_name, int64_t limit = 0);
  std::optional<PredictionRecord> FindPrediction(std::string_view request_id, std::string_view variant);
  std::vector<FeedbackRecord> ListFeedback();
  // Predictions of `model_name` that have feedback, oldest first.
  std::vector<LabeledPrediction> ListLabeledPredictions(std::string_view model_name);
  std::vector<PredictionWindow> ListWindows(std::string_view model_name);
  // Calls `visit` for every matching prediction, oldest first, reading the log
  // page by page (keyset on created_at, request_id, variant).
  void ScanPredictions(const PredictionScan& scan, const std::function<void(const LoggedPrediction&)>& visit);

 private:
  sql::Connection& connection_;
};

}  // namespace cairn::store
