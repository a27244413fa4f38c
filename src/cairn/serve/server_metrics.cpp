#include "cairn/serve/server_metrics.h"

#include <atomic>
#include <charconv>
#include <cmath>

#include "cairn/serve/process_stats.h"

namespace cairn::serve {
namespace {

void AppendDouble(std::string& out, double value) {
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void Label(std::string& out, std::string_view name, std::string_view value, bool first) {
  if (!first) out += ',';
  out += name;
  out += "=\"";
  out += EscapeLabelValue(value);
  out += '"';
}

void Sample(std::string& out, std::string_view name, double value) {
  out += name;
  out += ' ';
  AppendDouble(out, value);
  out += '\n';
}

void ModelLabels(std::string& out, const ModelDriftGauges& model) {
  Label(out, "model", model.model, true);
  Label(out, "version", model.version, false);
}

// Drift families appear once a served model has a stored monitor report.
void AppendDriftGauges(std::string& out, const std::vector<ModelDriftGauges>& drift) {
  if (drift.empty()) return;
  auto per_model = [&](std::string_view name, std::string_view help, auto value) {
    Header(out, name, "gauge", help);
    for (const auto& model : drift) {
      out += name;
      out += '{';
      ModelLabels(out, model);
      out += "} ";
      AppendDouble(out, value(model));
      out += '\n';
    }
  };
  per_model("cairn_drift_share", "Share of monitored features drifted in the newest monitor report.",
            [](const ModelDriftGauges& m) { return m.drift_share; });
  per_model("cairn_dataset_drift", "1 when the newest monitor report found dataset drift.",
            [](const ModelDriftGauges& m) { return m.dataset_drift ? 1.0 : 0.0; });
  per_model("cairn_monitor_report_timestamp_seconds", "When the newest monitor report was computed.",
            [](const ModelDriftGauges& m) { return m.generated_at_seconds; });
  auto per_feature = [&](std::string_view name, std::string_view help, bool with_method, auto value) {
    Header(out, name, "gauge", help);
    for (const auto& model : drift) {
      for (const auto& feature : model.features) {
        out += name;
        out += '{';
        ModelLabels(out, model);
        Label(out, "feature", feature.feature, false);
        if (with_method) Label(out, "method", feature.method, false);
        out += "} ";
        AppendDouble(out, value(feature));
        out += '\n';
      }
    }
  };
  per_feature("cairn_feature_drift_statistic", "The feature's drift score by its method: the test's p-value, or the distance.", true,
              [](const FeatureDriftGauge& f) { return f.statistic; });
  per_feature("cairn_feature_drift_threshold", "The threshold the feature's statistic is judged against.", true,
              [](const FeatureDriftGauge& f) { return f.threshold; });
  per_feature("cairn_feature_drift", "1 when the feature drifted in the newest monitor report.", false,
              [](const FeatureDriftGauge& f) { return f.drift ? 1.0 : 0.0; });
  per_feature("cairn_feature_psi", "Population stability index of the feature.", false,
              [](const FeatureDriftGauge& f) { return f.psi; });
  Header(out, "cairn_model_performance", "gauge",
         "The monitored metric on predictions with feedback labels, and its holdout value (kind=\"holdout\").");
  for (const auto& model : drift) {
    if (model.performance_metric.empty()) continue;
    for (const auto& [kind, value] : {std::pair<const char*, double>{"current", model.performance},
                                      std::pair<const char*, double>{"holdout", model.performance_baseline}}) {
      out += "cairn_model_performance{";
      ModelLabels(out, model);
      Label(out, "metric", model.performance_metric, false);
      Label(out, "kind", kind, false);
      out += "} ";
      AppendDouble(out, value);
      out += '\n';
    }
  }
}

}  // namespace

std::string_view RouteLabel(Route route) {
  switch (route) {
    case Route::kInvocations: return "/invocations";
    case Route::kInfer: return "/v2/models/{name}/infer";
    case Route::kModelMetadata: return "/v2/models/{name}";
    case Route::kModelReady: return "/v2/models/{name}/ready";
    case Route::kFeedback: return "/feedback";
    case Route::kMetrics: return "/metrics";
    case Route::kHealth: return "/health";
    case Route::kLive: return "/v2/health/live";
    case Route::kReady: return "/v2/health/ready";
    case Route::kPing: return "/ping";
    case Route::kVersion: return "/version";
    case Route::kReload: return "/admin/reload";
    case Route::kOther: return "other";
  }
  return "other";
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

ServerMetrics::Shard& ServerMetrics::LocalShard() {
  // Threads take shards in turn; the I/O threads of one server land on different ones.
  static std::atomic<size_t> next_shard{0};
  thread_local const size_t shard = next_shard.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shards_[shard];
}

void ServerMetrics::RecordRequest(Route route, int status, std::string_view model, std::string_view variant,
                                  double seconds) {
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  const std::tuple<int, int, std::string_view, std::string_view> labels{static_cast<int>(route), status, model, variant};
  Shard& shard = LocalShard();
  std::lock_guard lock(shard.mutex);
  auto it = shard.requests.find(labels);
  if (it == shard.requests.end()) {
    it = shard.requests.emplace(RequestKey{std::get<0>(labels), status, std::string(model), std::string(variant)}, 0).first;
  }
  ++it->second;
  Histogram& histogram = shard.durations[static_cast<size_t>(route)];
  if (bucket < kLatencyBuckets.size()) ++histogram.buckets[bucket];
  ++histogram.count;
  histogram.sum += seconds;
}

void ServerMetrics::RecordPredictions(std::string_view model, std::string_view version, std::string_view variant,
                                      int64_t rows) {
  const std::tuple<std::string_view, std::string_view, std::string_view> labels{model, version, variant};
  Shard& shard = LocalShard();
  std::lock_guard lock(shard.mutex);
  auto it = shard.predictions.find(labels);
  if (it == shard.predictions.end()) {
    it = shard.predictions.emplace(PredictionKey{std::string(model), std::string(version), std::string(variant)}, 0).first;
  }
  it->second += static_cast<uint64_t>(rows);
}

uint64_t ServerMetrics::RequestCount(Route route, int status) const {
  uint64_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (const auto& [key, count] : shard.requests) {
      if (std::get<0>(key) == static_cast<int>(route) && std::get<1>(key) == status) total += count;
    }
  }
  return total;
}

std::string ServerMetrics::RenderPrometheus(const ExternalMetrics& external) const {
  // One consistent sum over the shards, then rendered without holding a lock.
  RequestCounts requests;
  std::array<Histogram, kRouteCount> durations{};
  PredictionCounts predictions;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (const auto& [key, count] : shard.requests) requests[key] += count;
    for (size_t r = 0; r < kRouteCount; ++r) {
      for (size_t b = 0; b < kLatencyBuckets.size(); ++b) durations[r].buckets[b] += shard.durations[r].buckets[b];
      durations[r].count += shard.durations[r].count;
      durations[r].sum += shard.durations[r].sum;
    }
    for (const auto& [key, count] : shard.predictions) predictions[key] += count;
  }
  std::string out;
  out.reserve(4096);
  Header(out, "cairn_requests_total", "counter", "HTTP requests answered, by route, status code, model and variant.");
  for (const auto& [key, count] : requests) {
    out += "cairn_requests_total{";
    Label(out, "route", RouteLabel(static_cast<Route>(std::get<0>(key))), true);
    Label(out, "code", std::to_string(std::get<1>(key)), false);
    Label(out, "model", std::get<2>(key), false);
    Label(out, "variant", std::get<3>(key), false);
    out += "} ";
    out += std::to_string(count);
    out += '\n';
  }
  Header(out, "cairn_request_duration_seconds", "histogram", "Time from a request's arrival to its response, by route.");
  for (size_t r = 0; r < kRouteCount; ++r) {
    const Histogram& histogram = durations[r];
    if (histogram.count == 0) continue;
    const std::string route = EscapeLabelValue(RouteLabel(static_cast<Route>(r)));
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kLatencyBuckets.size(); ++b) {
      if (b < kLatencyBuckets.size()) cumulative += histogram.buckets[b];
      out += "cairn_request_duration_seconds_bucket{route=\"" + route + "\",le=\"";
      if (b < kLatencyBuckets.size()) {
        AppendDouble(out, kLatencyBuckets[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      out += std::to_string(b < kLatencyBuckets.size() ? cumulative : histogram.count);
      out += '\n';
    }
    out += "cairn_request_duration_seconds_sum{route=\"" + route + "\"} ";
    AppendDouble(out, histogram.sum);
    out += "\ncairn_request_duration_seconds_count{route=\"" + route + "\"} " + std::to_string(histogram.count) + "\n";
  }
  Header(out, "cairn_predictions_total", "counter", "Rows predicted, by model, version and variant.");
  for (const auto& [key, count] : predictions) {
    out += "cairn_predictions_total{";
    Label(out, "model", std::get<0>(key), true);
    Label(out, "version", std::get<1>(key), false);
    Label(out, "variant", std::get<2>(key), false);
    out += "} ";
    out += std::to_string(count);
    out += '\n';
  }
  Header(out, "cairn_model_info", "gauge", "The models being served: 1 for each variant's current version.");
  for (const auto& model : external.models) {
    out += "cairn_model_info{";
    Label(out, "variant", model.variant, true);
    Label(out, "model", model.name, false);
    Label(out, "version", model.version, false);
    Label(out, "ref", model.ref, false);
    Label(out, "blob_hash", model.blob_hash, false);
    out += "} 1\n";
  }
  Header(out, "cairn_model_swaps_total", "counter", "Models replaced without a restart after their alias moved.");
  Sample(out, "cairn_model_swaps_total", static_cast<double>(external.swaps));
  Header(out, "cairn_inflight_requests", "gauge", "Prediction requests being answered now.");
  Sample(out, "cairn_inflight_requests", static_cast<double>(external.inflight));
  Header(out, "cairn_prediction_log_written_total", "counter", "Prediction records written to the store.");
  Sample(out, "cairn_prediction_log_written_total", static_cast<double>(external.log_written));
  Header(out, "cairn_prediction_log_dropped_total", "counter",
         "Prediction records not logged because the log queue was full or sampling under load.");
  Sample(out, "cairn_prediction_log_dropped_total", static_cast<double>(external.log_dropped));
  Header(out, "cairn_prediction_log_queue_depth", "gauge", "Records waiting for the log writer.");
  Sample(out, "cairn_prediction_log_queue_depth", static_cast<double>(external.log_queue_depth));
  Header(out, "cairn_shadow_dropped_total", "counter", "Shadow scorings skipped because the shadow queue was full.");
  Sample(out, "cairn_shadow_dropped_total", static_cast<double>(external.shadow_dropped));
  Header(out, "cairn_shadow_errors_total", "counter", "Shadow scorings that failed.");
  Sample(out, "cairn_shadow_errors_total", static_cast<double>(external.shadow_errors));

  AppendDriftGauges(out, external.drift);

  const ProcessStats process = ReadProcessStats();
  Header(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  Sample(out, "process_cpu_seconds_total", process.cpu_seconds);
  Header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  Sample(out, "process_resident_memory_bytes", static_cast<double>(process.resident_bytes));
  Header(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
  Sample(out, "process_start_time_seconds", process.start_time_seconds);
  return out;
}

}  // namespace cairn::serve
