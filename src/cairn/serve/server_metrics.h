// The server's Prometheus metrics: requests by route, status, model and
// variant; a latency histogram per route; predictions per model version and
// variant; and the counters of the log, shadow scoring and hot swap. Rendered
// in the Prometheus text exposition format (version 0.0.4).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace cairn::serve {

enum class Route {
  kInvocations,
  kInfer,
  kModelMetadata,
  kModelReady,
  kFeedback,
  kMetrics,
  kHealth,
  kLive,
  kReady,
  kPing,
  kVersion,
  kReload,
  kOther,
};
inline constexpr size_t kRouteCount = static_cast<size_t>(Route::kOther) + 1;

// The route's path template ("/v2/models/{name}/infer"); "other" for unknown paths.
std::string_view RouteLabel(Route route);

// Latency bucket upper bounds in seconds.
inline constexpr std::array<double, 14> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                          0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

struct ModelInfo {
  std::string variant;
  std::string name;
  std::string version;
  std::string ref;
  std::string blob_hash;
};

// The newest stored monitor report of a served model, as gauges.
struct FeatureDriftGauge {
  std::string feature;
  std::string method;
  double statistic = 0;
  double threshold = 0;
  double psi = 0;
  bool drift = false;
};
struct ModelDriftGauges {
  std::string model;
  std::string version;
  double generated_at_seconds = 0;
  double drift_share = 0;
  bool dataset_drift = false;
  std::vector<FeatureDriftGauge> features;
  std::string performance_metric;  // empty when the report had no labelled rows
  double performance = 0;
  double performance_baseline = 0;
};

// Gauges and counters owned elsewhere, read when /metrics is rendered.
struct ExternalMetrics {
  std::vector<ModelInfo> models;
  uint64_t log_written = 0;
  uint64_t log_dropped = 0;
  uint64_t log_queue_depth = 0;
  uint64_t shadow_dropped = 0;
  uint64_t shadow_errors = 0;
  uint64_t swaps = 0;
  int64_t inflight = 0;
  std::vector<ModelDriftGauges> drift;
};

// Every request records here, so the counters are split into shards, one per
// recording thread in the common case: a thread takes only its own shard's
// lock, and a sample whose labels were seen before allocates nothing.
class ServerMetrics {
 public:
  void RecordRequest(Route route, int status, std::string_view model, std::string_view variant, double seconds);
  void RecordPredictions(std::string_view model, std::string_view version, std::string_view variant, int64_t rows);

  // Requests of a route with a status, over every model and variant.
  uint64_t RequestCount(Route route, int status) const;

  std::string RenderPrometheus(const ExternalMetrics& external) const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};  // not cumulative here
    uint64_t count = 0;
    double sum = 0;
  };
  using RequestKey = std::tuple<int, int, std::string, std::string>;       // route, status, model, variant
  using PredictionKey = std::tuple<std::string, std::string, std::string>;  // model, version, variant
  // std::less<> lets a sample look its labels up as string views.
  using RequestCounts = std::map<RequestKey, uint64_t, std::less<>>;
  using PredictionCounts = std::map<PredictionKey, uint64_t, std::less<>>;

  static constexpr size_t kShards = 8;
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    RequestCounts requests;
    std::array<Histogram, kRouteCount> durations{};
    PredictionCounts predictions;
  };
  Shard& LocalShard();

  std::array<Shard, kShards> shards_;
};

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view value);

}  // namespace cairn::serve
