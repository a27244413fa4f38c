#include "cairn/serve/inference_service.h"

#include <algorithm>
#include <chrono>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/ids.h"
#include "cairn/serve/input_mapping.h"

namespace cairn::serve {
namespace {

int64_t MicrosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
}

std::vector<runtime::Value> RunModel(const LoadedModel& model, const MappedInputs& inputs) {
  // Session::RunOrdered skips the by-name lookups of Run: MapInputs has
  // already matched every input, and the signature lists them in the model's order.
  std::vector<runtime::Value> ordered;
  ordered.reserve(model.signature.inputs.size());
  for (const auto& spec : model.signature.inputs) ordered.push_back(inputs.values.at(spec.name));
  return model.session.RunOrdered(std::move(ordered));
}

}  // namespace

InferenceService::InferenceService(ServiceParts parts)
    : parts_(parts), router_(parts.challenger ? parts.split : 0.0), id_prefix_(NewId().substr(0, 16)) {}

RequestId InferenceService::NewRequestId() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t n = next_id_.fetch_add(1, std::memory_order_relaxed);
  RequestId id;
  std::copy_n(id_prefix_.begin(), 16, id.text.begin());
  for (size_t i = 32; i-- > 16;) {
    id.text[i] = kHex[n & 0xF];
    n >>= 4;
  }
  return id;
}

Prediction InferenceService::Predict(std::shared_ptr<const RequestBody> body, std::string_view key) {
  const auto start = std::chrono::steady_clock::now();
  Prediction prediction;
  prediction.request_id = NewRequestId();
  if (key.empty()) key = body->request_key;
  prediction.variant = parts_.challenger ? router_.Choose(key) : Variant::kChampion;
  prediction.model = (prediction.variant == Variant::kChallenger ? parts_.challenger : parts_.champion)->Get();
  const LoadedModel& model = *prediction.model;

  MappedInputs inputs = MapInputs(model.signature, *body);
  prediction.outputs = RunModel(model, inputs);
  prediction.rows = inputs.rows;
  if (parts_.metrics) {
    parts_.metrics->RecordPredictions(model.name, model.VersionText(), VariantName(prediction.variant), inputs.rows);
  }
  if (parts_.log) {
    LogEntry entry;
    entry.request_id = prediction.request_id.view();
    entry.variant = prediction.variant;
    entry.model = prediction.model;
    entry.inputs = std::move(inputs.values);
    entry.outputs = prediction.outputs;  // tensors share storage: a cheap copy
    entry.rows = prediction.rows;
    entry.created_at = NowMicros();
    entry.latency_us = MicrosSince(start);
    parts_.log->Submit(std::move(entry));
  }
  if (parts_.shadow && parts_.shadow_runner) {
    parts_.shadow_runner->Submit(
        [this, body = std::move(body), id = prediction.request_id]() mutable { Shadow(std::move(body), id); });
  }
  return prediction;
}

void InferenceService::Shadow(std::shared_ptr<const RequestBody> body, RequestId request_id) {
  try {
    const auto start = std::chrono::steady_clock::now();
    auto model = parts_.shadow->Get();
    MappedInputs inputs = MapInputs(model->signature, *body);
    auto outputs = RunModel(*model, inputs);
    if (parts_.metrics) parts_.metrics->RecordPredictions(model->name, model->VersionText(), "shadow", inputs.rows);
    if (parts_.log) {
      LogEntry entry;
      entry.request_id = request_id.view();
      entry.variant = Variant::kShadow;
      entry.model = model;
      entry.inputs = std::move(inputs.values);
      entry.outputs = std::move(outputs);
      entry.rows = inputs.rows;
      entry.created_at = NowMicros();
      entry.latency_us = MicrosSince(start);
      parts_.log->Submit(std::move(entry));
    }
  } catch (const std::exception&) {
    // A shadow that cannot answer must never affect clients; the metric shows it.
    shadow_errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

void InferenceService::RecordFeedback(std::vector<FeedbackItem> items) {
  if (!parts_.log) ThrowConflict("this server keeps no prediction log, so it cannot take feedback");
  const int64_t now = NowMicros();
  for (auto& item : items) {
    LogEntry entry;
    entry.kind = LogEntry::Kind::kFeedback;
    entry.request_id = std::move(item.request_id);
    entry.feedback_labels = std::move(item.labels);
    entry.created_at = now;
    if (!parts_.log->Submit(std::move(entry))) ThrowIo("the prediction log is full; retry the feedback later");
  }
}

bool InferenceService::Serves(std::string_view name) const {
  for (ModelSlot* slot : {parts_.champion, parts_.challenger, parts_.shadow}) {
    if (slot && slot->Get()->name == name) return true;
  }
  return false;
}

std::vector<ModelInfo> InferenceService::Models() const {
  std::vector<ModelInfo> out;
  auto add = [&](ModelSlot* slot, std::string_view variant) {
    if (!slot) return;
    auto model = slot->Get();
    out.push_back({std::string(variant), model->name, model->VersionText(), model->ref, model->blob_hash});
  };
  add(parts_.champion, "champion");
  add(parts_.challenger, "challenger");
  add(parts_.shadow, "shadow");
  return out;
}

}  // namespace cairn::serve
