#include "cairn/serve/server_metrics.h"

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

}  // namespace

std::string_view RouteLabel(Route route) {
  switch (route) {
    case Route::kInvocations: return "/invocations";
    case Route::kInfer: return "/v2/models/{name}/infer";
    case Route::kModelMetadata: return "/v2/models/{name}";
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

void ServerMetrics::RecordRequest(Route route, int status, std::string_view model, std::string_view variant,
                                  double seconds) {
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  RequestKey key{static_cast<int>(route), status, std::string(model), std::string(variant)};
  std::lock_guard lock(mutex_);
  ++requests_[key];
  Histogram& histogram = durations_[static_cast<size_t>(route)];
  if (bucket < kLatencyBuckets.size()) ++histogram.buckets[bucket];
  ++histogram.count;
  histogram.sum += seconds;
}

void ServerMetrics::RecordPredictions(std::string_view model, std::string_view version, std::string_view variant,
                                      int64_t rows) {
  PredictionKey key{std::string(model), std::string(version), std::string(variant)};
  std::lock_guard lock(mutex_);
  predictions_[key] += static_cast<uint64_t>(rows);
}

uint64_t ServerMetrics::RequestCount(Route route, int status) const {
  std::lock_guard lock(mutex_);
  uint64_t total = 0;
  for (const auto& [key, count] : requests_) {
    if (std::get<0>(key) == static_cast<int>(route) && std::get<1>(key) == status) total += count;
  }
  return total;
}

std::string ServerMetrics::RenderPrometheus(const ExternalMetrics& external) const {
  std::string out;
  out.reserve(4096);
  {
    std::lock_guard lock(mutex_);
    Header(out, "cairn_requests_total", "counter", "HTTP requests answered, by route, status code, model and variant.");
    for (const auto& [key, count] : requests_) {
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
      const Histogram& histogram = durations_[r];
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
    for (const auto& [key, count] : predictions_) {
      out += "cairn_predictions_total{";
      Label(out, "model", std::get<0>(key), true);
      Label(out, "version", std::get<1>(key), false);
      Label(out, "variant", std::get<2>(key), false);
      out += "} ";
      out += std::to_string(count);
      out += '\n';
    }
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
