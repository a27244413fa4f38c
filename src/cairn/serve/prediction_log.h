// The prediction log: requests hand their inputs and outputs to a bounded
// queue and return at once; a background thread drains the queue in batches
// into the store (one transaction per batch) and keeps per-window feature
// sketches. Under load the log samples (one record in N, stored with weight
// N) and, when the queue is full, drops records and counts them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cairn/runtime/value.h"
#include "cairn/serve/loaded_model.h"
#include "cairn/serve/traffic_router.h"

namespace cairn::serve {

struct LogEntry {
  enum class Kind { kPrediction, kFeedback };
  Kind kind = Kind::kPrediction;
  std::string request_id;
  Variant variant = Variant::kChampion;
  std::shared_ptr<const LoadedModel> model;
  std::map<std::string, runtime::Value> inputs;
  std::vector<runtime::Value> outputs;  // in the order of model->session.outputs()
  int64_t rows = 0;
  int64_t created_at = 0;
  int64_t latency_us = 0;
  std::string feedback_labels;  // JSON text, for kFeedback
};

struct PredictionLogOptions {
  size_t capacity = 65536;  // queued records at most
  size_t batch_size = 1024;
  std::chrono::milliseconds flush_interval{200};
  std::chrono::seconds window{300};
  size_t reservoir = 256;  // sample values kept per feature and window
  // Above this share of capacity, keep one prediction in `sample_every`.
  double sample_above = 0.75;
  int sample_every = 8;
};

class PredictionLog {
 public:
  // Opens its own connection to `store_uri` on the writer thread.
  PredictionLog(std::string store_uri, PredictionLogOptions options);
  ~PredictionLog();
  PredictionLog(const PredictionLog&) = delete;
  PredictionLog& operator=(const PredictionLog&) = delete;

  // Never blocks on the store. False when the entry was not kept (queue full,
  // or sampled out for a prediction).
  bool Submit(LogEntry entry);
  // Waits until every entry submitted before the call is in the store.
  void Flush();
  // Flushes, writes the open windows and stops the writer.
  void Stop();

  uint64_t written() const;
  uint64_t dropped() const;
  uint64_t depth() const;

 private:
  struct Queued {
    LogEntry entry;
    double weight = 1.0;
  };
  class Writer;

  void Loop();

  std::string store_uri_;
  PredictionLogOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::deque<Queued> queue_;
  uint64_t submitted_ = 0;  // entries accepted so far
  uint64_t processed_ = 0;  // entries handled by the writer (stored or failed)
  uint64_t written_ = 0;
  uint64_t dropped_ = 0;
  uint64_t sample_counter_ = 0;
  uint64_t flush_target_ = 0;  // Flush() waits for processed_ to reach it
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cairn::serve
