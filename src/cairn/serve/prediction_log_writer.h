// The prediction log's writer, run on its background thread only: turns
// queued records into rows of the store (inputs, outputs and labels as JSON)
// and keeps the per-window feature sketches. What depends only on the model
// (its feature columns, their JSON keys, where their sketches live) is worked
// out once per model, not once per record.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "cairn/serve/feature_sketch.h"
#include "cairn/serve/prediction_log.h"
#include "cairn/store/store.h"

namespace cairn::serve {

class PredictionLogWriter {
 public:
  // Opens its own connection to the store.
  PredictionLogWriter(const std::string& store_uri, const PredictionLogOptions& options);

  // Stores a batch of predictions and feedback, each kind in one transaction.
  void Write(std::span<const WeightedEntry> batch);
  // Writes the windows that are due (all of them when `force`).
  void RollWindows(bool force, uint64_t dropped_total);

 private:
  struct Window {
    int64_t rows = 0;
    std::map<std::string, FeatureSketch> features;
  };
  using WindowKey = std::tuple<std::string, int64_t, std::string>;  // model, version, variant
  static constexpr size_t kVariants = 3;

  struct ModelState {
    std::weak_ptr<const LoadedModel> model;  // weak: a swapped-out model is not kept alive
    const LoadedModel* address = nullptr;
    std::vector<int64_t> widths;  // per signature input: the width `columns` was worked out for
    std::vector<FeatureColumnRef> columns;
    std::vector<size_t> column_input;  // per column: its input's index in the signature
    std::vector<std::string> keys;     // per column: its JSON key and the list's opening, "\"age\":["
    std::vector<bool> hashed;          // per column: personal data, logged as a hash
    uint64_t generation = 0;           // the window period `windows` and `sketches` point into
    std::array<Window*, kVariants> windows{};
    std::array<std::vector<FeatureSketch*>, kVariants> sketches;
  };

  // The state of the entry's model, with its columns matching the entry's
  // input widths; `tensors` gets the entry's inputs in signature order.
  ModelState& StateFor(const LogEntry& entry, std::vector<const runtime::Tensor*>& tensors);
  std::string InputsJson(const ModelState& state, std::span<const runtime::Tensor* const> tensors, int64_t rows) const;
  void Sketch(ModelState& state, const LogEntry& entry, std::span<const runtime::Tensor* const> tensors, double weight);

  store::Store store_;
  PredictionLogOptions options_;
  std::map<WindowKey, Window> windows_;
  uint64_t window_generation_ = 1;  // moves on when windows_ is cleared
  int64_t window_start_;
  uint64_t dropped_at_start_ = 0;
  std::vector<ModelState> states_;
  // Reused from batch to batch.
  std::vector<store::PredictionRecord> predictions_;
  std::vector<store::FeedbackRecord> feedback_;
  std::vector<const runtime::Tensor*> tensors_;
};

}  // namespace cairn::serve
