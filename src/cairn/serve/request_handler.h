// The server's routes, free of any HTTP library: a request comes in as a few
// views (method, target, the headers cairn reads, body) and leaves as a
// status, a content type and a body. Each route checks its token scope,
// parses, calls the inference service once and serialises; every outcome is
// counted in the metrics. Errors map to statuses through http_status.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cairn/core/error.h"
#include "cairn/serve/inference_service.h"
#include "cairn/serve/server_metrics.h"
#include "cairn/serve/token_auth.h"

namespace cairn::serve {

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and query
  std::string_view content_type;
  std::string_view authorization;
  std::string_view request_key;  // X-Request-Key
  std::string_view body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string request_id;          // sent as X-Request-Id when not empty
  std::string model;               // "credit@3" (or the file's stem): sent as X-Cairn-Model
  std::string variant;             // sent as X-Cairn-Variant
  int retry_after = 0;             // seconds; sent as Retry-After when > 0
  bool authenticate = false;       // send WWW-Authenticate: Bearer

  // Back to an empty 200 JSON answer, keeping the strings' buffers: a
  // connection reuses one response for all its requests.
  void Reset();
};

struct HandlerOptions {
  TokenAuth auth;
  std::string key_field = "request_key";  // the body field that carries the routing key
  int64_t max_inflight = 1024;            // prediction requests answered at once; more get 503
  std::function<ExternalMetrics()> external_metrics;
  std::function<void()> reload;        // POST /admin/reload: check the registry now
  std::function<bool()> ready;         // false while starting or stopping
};

// Labels gathered while a request is routed, for its metrics.
struct RouteContext;

class RequestHandler {
 public:
  RequestHandler(InferenceService& service, ServerMetrics& metrics, HandlerOptions options);

  // Never throws: every failure becomes an error response, written into
  // `response` (which is Reset first).
  void Handle(const HttpRequest& request, HttpResponse& response);
  HttpResponse Handle(const HttpRequest& request);
  // A response for a request the HTTP layer refused before routing it (413
  // for a body over the limit, 400 for a malformed request), counted like the rest.
  HttpResponse Reject(int status, ErrorCode code, std::string_view message);

  // The admission limit, public so that tests can hold slots.
  bool TryAdmit();
  void Release();
  int64_t inflight() const { return inflight_.load(std::memory_order_relaxed); }

 private:
  void Route(const HttpRequest& request, RouteContext& context, HttpResponse& response);
  void Invocations(const HttpRequest& request, RouteContext& context, HttpResponse& response);
  void Infer(const HttpRequest& request, std::string_view model_name, RouteContext& context, HttpResponse& response);
  // The prediction's headers, and the route's labels for the metrics.
  void Answer(Prediction& prediction, RouteContext& context, HttpResponse& response);
  HttpResponse ModelMetadata(std::string_view model_name);
  HttpResponse Feedback(const HttpRequest& request);
  HttpResponse Metrics();

  InferenceService& service_;
  ServerMetrics& metrics_;
  HandlerOptions options_;
  std::atomic<int64_t> inflight_{0};
};

}  // namespace cairn::serve
