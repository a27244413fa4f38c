#include "cairn/serve/prediction_log.h"

#include <iostream>
#include <tuple>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/core/sha256.h"
#include "cairn/serve/feature_sketch.h"
#include "cairn/serve/response_writer.h"
#include "cairn/store/store.h"

namespace cairn::serve {
namespace {

using runtime::DataType;
using runtime::Tensor;

std::string CellText(const Tensor& tensor, int64_t index) {
  if (tensor.dtype() == DataType::kString) return tensor.data<std::string>()[index];
  return FormatNumber(tensor.ValueAsDouble(index));
}

// {"feature": [row values...]}; personal data as "sha256:<hex>" of the value's text.
std::string InputsJson(const LoadedModel& model, const std::map<std::string, runtime::Value>& inputs, int64_t rows) {
  std::string out = "{";
  bool first = true;
  for (const auto& feature : FeatureColumns(model.signature, inputs)) {
    const Tensor& tensor = inputs.at(feature.input).tensor();
    const bool hashed = model.pii.count(feature.name) > 0;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, feature.name);
    out += ":[";
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t index = r * feature.width + feature.column;
      if (r) out += ',';
      if (index >= tensor.size()) {
        out += "null";
      } else if (hashed) {
        AppendJsonString(out, "sha256:" + Sha256Hex(CellText(tensor, index)));
      } else {
        AppendJsonElement(out, tensor, index);
      }
    }
    out += ']';
  }
  out += '}';
  return out;
}

// One predicted label per row: the "label" output when there is one, else the
// first output's value (its arg-max for a row of scores).
std::string LabelsJson(const LoadedModel& model, const std::vector<runtime::Value>& outputs, int64_t rows) {
  const runtime::Value* chosen = outputs.empty() ? nullptr : &outputs.front();
  const auto& declared = model.session.outputs();
  for (size_t i = 0; i < outputs.size() && i < declared.size(); ++i) {
    if (declared[i].name == "label") chosen = &outputs[i];
  }
  std::string out = "[";
  for (int64_t r = 0; r < rows; ++r) {
    if (r) out += ',';
    if (!chosen) {
      out += "null";
    } else if (chosen->is_map_sequence()) {
      const auto& maps = chosen->map_sequence();
      const int64_t keys = maps.keys.size();
      int64_t best = 0;
      for (int64_t k = 1; k < keys; ++k) {
        if (maps.values.ValueAsDouble(r * keys + k) > maps.values.ValueAsDouble(r * keys + best)) best = k;
      }
      if (keys > 0) {
        AppendJsonElement(out, maps.keys, best);
      } else {
        out += "null";
      }
    } else if (chosen->is_tensor()) {
      const Tensor& tensor = chosen->tensor();
      const int64_t width = rows > 0 ? tensor.size() / rows : 0;
      if (width == 1) {
        AppendJsonElement(out, tensor, r);
      } else if (width > 1 && tensor.dtype() != DataType::kString) {
        int64_t best = 0;
        for (int64_t k = 1; k < width; ++k) {
          if (tensor.ValueAsDouble(r * width + k) > tensor.ValueAsDouble(r * width + best)) best = k;
        }
        out += std::to_string(best);
      } else {
        out += "null";
      }
    }
  }
  out += ']';
  return out;
}

}  // namespace

// Owns the writer thread's store connection and the open windows.
class PredictionLog::Writer {
 public:
  Writer(const std::string& store_uri, const PredictionLogOptions& options)
      : store_(store_uri), options_(options), window_start_(NowMicros()) {}

  void Write(std::vector<Queued>& batch) {
    std::vector<store::PredictionRecord> predictions;
    std::vector<store::FeedbackRecord> feedback;
    predictions.reserve(batch.size());
    for (auto& queued : batch) {
      LogEntry& entry = queued.entry;
      if (entry.kind == LogEntry::Kind::kFeedback) {
        feedback.push_back({entry.request_id, entry.feedback_labels, entry.created_at});
        continue;
      }
      const LoadedModel& model = *entry.model;
      store::PredictionRecord record;
      record.request_id = entry.request_id;
      record.variant = std::string(VariantName(entry.variant));
      record.model_name = model.name;
      record.model_version = model.version;
      record.created_at = entry.created_at;
      record.latency_us = entry.latency_us;
      record.row_count = entry.rows;
      record.sample_weight = queued.weight;
      record.inputs = InputsJson(model, entry.inputs, entry.rows);
      record.outputs = OutputsJson(entry.outputs, model.session.outputs());
      record.labels = LabelsJson(model, entry.outputs, entry.rows);
      predictions.push_back(std::move(record));
      Sketch(entry, queued.weight);
    }
    store_.predictions().AppendPredictions(predictions);
    store_.predictions().RecordFeedback(feedback);
  }

  // Writes the windows that are due (all of them when `force`).
  void RollWindows(bool force, uint64_t dropped_total) {
    const int64_t now = NowMicros();
    const int64_t length = std::chrono::duration_cast<std::chrono::microseconds>(options_.window).count();
    if (!force && now - window_start_ < length) return;
    for (auto& [key, window] : windows_) {
      if (window.rows == 0) continue;
      store::PredictionWindow record;
      record.id = NewId();
      record.model_name = std::get<0>(key);
      record.model_version = std::get<1>(key);
      record.variant = std::get<2>(key);
      record.window_start = window_start_;
      record.window_end = now;
      record.predictions = window.rows;
      record.dropped = static_cast<int64_t>(dropped_total - dropped_at_start_);
      Json features = Json::object();
      for (const auto& [name, sketch] : window.features) features[name] = sketch.ToJson();
      record.features = std::move(features);
      store_.predictions().RecordWindow(record);
    }
    windows_.clear();
    window_start_ = now;
    dropped_at_start_ = dropped_total;
  }

 private:
  struct Window {
    int64_t rows = 0;
    std::map<std::string, FeatureSketch> features;
  };
  using WindowKey = std::tuple<std::string, int64_t, std::string>;

  void Sketch(const LogEntry& entry, double weight) {
    const LoadedModel& model = *entry.model;
    Window& window = windows_[WindowKey{model.name, model.version, std::string(VariantName(entry.variant))}];
    window.rows += entry.rows;
    for (const auto& feature : FeatureColumns(model.signature, entry.inputs)) {
      auto it = window.features.find(feature.name);
      if (it == window.features.end()) {
        it = window.features
                 .emplace(feature.name, FeatureSketch(model.pii.count(feature.name) > 0, options_.reservoir,
                                                      std::hash<std::string>{}(feature.name)))
                 .first;
      }
      const Tensor& tensor = entry.inputs.at(feature.input).tensor();
      for (int64_t r = 0; r < entry.rows; ++r) {
        const int64_t index = r * feature.width + feature.column;
        if (index >= tensor.size()) break;
        if (tensor.dtype() == DataType::kString) {
          it->second.AddText(tensor.data<std::string>()[index], weight);
        } else {
          it->second.AddNumber(tensor.ValueAsDouble(index), weight);
        }
      }
    }
  }

  store::Store store_;
  PredictionLogOptions options_;
  std::map<WindowKey, Window> windows_;
  int64_t window_start_;
  uint64_t dropped_at_start_ = 0;
};

PredictionLog::PredictionLog(std::string store_uri, PredictionLogOptions options)
    : store_uri_(std::move(store_uri)), options_(options) {
  // Open (and migrate) once here so that a bad store fails at start-up, not on the writer thread.
  store::Store probe(store_uri_);
  thread_ = std::thread([this] { Loop(); });
}

PredictionLog::~PredictionLog() { Stop(); }

bool PredictionLog::Submit(LogEntry entry) {
  {
    std::lock_guard lock(mutex_);
    if (stop_ || queue_.size() >= options_.capacity) {
      ++dropped_;
      return false;
    }
    double weight = 1.0;
    if (entry.kind == LogEntry::Kind::kPrediction &&
        static_cast<double>(queue_.size()) >= options_.sample_above * static_cast<double>(options_.capacity)) {
      if (sample_counter_++ % static_cast<uint64_t>(options_.sample_every) != 0) {
        ++dropped_;
        return false;
      }
      weight = options_.sample_every;
    }
    queue_.push_back({std::move(entry), weight});
    ++submitted_;
    if (queue_.size() < options_.batch_size) return true;
  }
  wake_.notify_one();
  return true;
}

void PredictionLog::Flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = submitted_;
  if (!thread_.joinable()) return;
  flush_target_ = std::max(flush_target_, target);
  wake_.notify_one();
  flushed_.wait(lock, [&] { return processed_ >= target || !thread_.joinable(); });
}

void PredictionLog::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

uint64_t PredictionLog::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

uint64_t PredictionLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

uint64_t PredictionLog::depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void PredictionLog::Loop() {
  std::unique_ptr<Writer> writer;
  std::string last_error;
  auto report = [&](const std::exception& e) {
    const std::string message = std::string("cairn serve: prediction log: ") + e.what();
    if (message != last_error) std::cerr << message << '\n';
    last_error = message;
  };
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval,
                   [&] { return stop_ || queue_.size() >= options_.batch_size || (flush_target_ > processed_ && !queue_.empty()); });
    const bool stopping = stop_;
    std::vector<Queued> batch;
    const size_t take = std::min(queue_.size(), std::max<size_t>(options_.batch_size, stopping ? queue_.size() : 0));
    batch.reserve(take);
    for (size_t i = 0; i < take; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    const uint64_t dropped_now = dropped_;
    const bool more = !queue_.empty();
    lock.unlock();
    uint64_t stored = 0;
    try {
      if (!writer) writer = std::make_unique<Writer>(store_uri_, options_);
      if (!batch.empty()) writer->Write(batch);
      stored = batch.size();
      writer->RollWindows(stopping && !more, dropped_now);
    } catch (const std::exception& e) {
      report(e);
    }
    batch.clear();  // releases the models and tensors before taking the lock again
    lock.lock();
    processed_ += take;
    written_ += stored;
    if (stored < take) dropped_ += take - stored;
    flushed_.notify_all();
    if (stopping && queue_.empty()) break;
  }
}

}  // namespace cairn::serve
