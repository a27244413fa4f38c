#include "cairn/serve/request_handler.h"

#include <chrono>

#include "cairn/core/json.h"
#include "cairn/core/version.h"
#include "cairn/serve/http_status.h"
#include "cairn/serve/request_parser.h"
#include "cairn/serve/response_writer.h"

namespace cairn::serve {

struct RouteContext {
  Route route = Route::kOther;
  std::string model;
  std::string variant;
};

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

enum class BodyFormat { kJson, kCsv };

// The media type decides the parser; a charset other than UTF-8 is refused.
BodyFormat ParseContentType(std::string_view header) {
  const std::string lower = Lower(header);
  std::string_view rest = lower;
  const size_t semicolon = rest.find(';');
  const std::string_view media = TrimSpaces(rest.substr(0, semicolon));
  rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
  while (!rest.empty()) {
    const size_t next = rest.find(';');
    std::string_view parameter = TrimSpaces(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    const size_t eq = parameter.find('=');
    if (eq == std::string_view::npos || TrimSpaces(parameter.substr(0, eq)) != "charset") continue;
    std::string_view charset = TrimSpaces(parameter.substr(eq + 1));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') charset = charset.substr(1, charset.size() - 2);
    if (charset != "utf-8" && charset != "utf8") {
      throw Error(ErrorCode::kUnsupported,
                  "Content-Type charset '" + std::string(charset) + "' is not supported; send UTF-8");
    }
  }
  if (media.empty() || media == "application/json") return BodyFormat::kJson;
  if (media == "text/csv") return BodyFormat::kCsv;
  throw Error(ErrorCode::kUnsupported,
              "Content-Type '" + std::string(media) + "' is not supported; send application/json or text/csv");
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  HttpResponse response = JsonResponse(status, ErrorBody(code, message));
  if (status == 503) response.retry_after = 1;
  if (status == 401) response.authenticate = true;
  return response;
}

HttpResponse ErrorResponse(const Error& error) {
  return ErrorResponse(HttpStatusFor(error.code()), ErrorCodeName(error.code()), error.what());
}

Json ShapeJson(const std::vector<std::optional<int64_t>>& dims) {
  Json shape = Json::array();
  for (const auto& dim : dims) shape.push_back(dim ? *dim : -1);
  return shape;
}

Json TensorInfoJson(const runtime::ValueInfo& info) {
  std::vector<std::optional<int64_t>> dims;
  for (const auto& dim : info.type.dims) dims.push_back(dim.value);
  runtime::DataType type = info.type.elem_type;
  return Json{{"name", info.name}, {"datatype", KserveDatatype(type)}, {"shape", ShapeJson(dims)}};
}

std::vector<FeedbackItem> ParseFeedback(std::string_view body) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) ThrowInvalidInput("request body: malformed JSON");
  if (!json.is_object()) ThrowInvalidInput("request body: expected an object");
  std::vector<FeedbackItem> items;
  auto read_item = [&](const Json& item, const std::string& field) {
    if (!item.is_object()) ThrowInvalidInput(field + ": expected an object");
    if (!item.contains("request_id") || !item["request_id"].is_string()) {
      ThrowInvalidInput(field + ".request_id: missing or not a string");
    }
    const std::string id = item["request_id"].get<std::string>();
    if (id.empty() || id.size() > 128) ThrowInvalidInput(field + ".request_id: expected 1 to 128 characters");
    Json labels;
    if (item.contains("labels")) {
      labels = item["labels"];
      if (!labels.is_array() || labels.empty()) ThrowInvalidInput(field + ".labels: expected a non-empty array");
    } else if (item.contains("label")) {
      labels = Json::array({item["label"]});
    } else {
      ThrowInvalidInput(field + ": expected labels (one per row) or label");
    }
    for (const auto& label : labels) {
      if (!label.is_primitive() || label.is_null()) ThrowInvalidInput(field + ".labels: expected numbers, strings or booleans");
    }
    items.push_back({id, labels.dump()});
  };
  if (json.contains("feedback")) {
    if (!json["feedback"].is_array()) ThrowInvalidInput("feedback: expected an array");
    for (size_t i = 0; i < json["feedback"].size(); ++i) read_item(json["feedback"][i], "feedback[" + std::to_string(i) + "]");
  } else {
    read_item(json, "request body");
  }
  return items;
}

}  // namespace

RequestHandler::RequestHandler(InferenceService& service, ServerMetrics& metrics, HandlerOptions options)
    : service_(service), metrics_(metrics), options_(std::move(options)) {}

bool RequestHandler::TryAdmit() {
  if (inflight_.fetch_add(1, std::memory_order_acq_rel) >= options_.max_inflight) {
    inflight_.fetch_sub(1, std::memory_order_acq_rel);
    return false;
  }
  return true;
}

void RequestHandler::Release() { inflight_.fetch_sub(1, std::memory_order_acq_rel); }

HttpResponse RequestHandler::Handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  RouteContext context;
  HttpResponse response;
  try {
    response = Route(request, context);
  } catch (const Error& error) {
    response = ErrorResponse(error);
  } catch (const std::exception& error) {
    response = ErrorResponse(500, "internal", std::string("internal error: ") + error.what());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordRequest(context.route, response.status, context.model, context.variant, seconds);
  return response;
}

HttpResponse RequestHandler::Reject(int status, ErrorCode code, std::string_view message) {
  metrics_.RecordRequest(Route::kOther, status, "", "", 0.0);
  HttpResponse response = ErrorResponse(status, ErrorCodeName(code), message);
  return response;
}

HttpResponse RequestHandler::Route(const HttpRequest& request, RouteContext& context) {
  std::string_view path = request.target;
  const size_t query = path.find('?');
  if (query != std::string_view::npos) path = path.substr(0, query);
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";

  auto method_check = [&](bool allowed, std::string_view wanted) -> std::optional<HttpResponse> {
    if (allowed) return std::nullopt;
    return ErrorResponse(405, "invalid_input",
                         std::string(path) + " answers " + std::string(wanted) + ", not " + std::string(request.method));
  };
  auto authorise = [&](Scope scope) -> std::optional<HttpResponse> {
    switch (options_.auth.Check(request.authorization, scope)) {
      case AuthResult::kAllowed: return std::nullopt;
      case AuthResult::kMissing: return ErrorResponse(401, "permission_denied", "missing bearer token");
      case AuthResult::kInvalid: return ErrorResponse(401, "permission_denied", "invalid bearer token");
      case AuthResult::kForbidden:
        return ErrorResponse(403, "permission_denied",
                             "this token lacks the '" + std::string(ScopeName(scope)) + "' scope");
    }
    return std::nullopt;
  };
  auto health = [&](enum Route route, bool ok) {
    context.route = route;
    if (auto refused = method_check(get, "GET")) return *refused;
    return ok ? JsonResponse(200, "{\"status\":\"ok\"}")
              : ErrorResponse(503, "io", "the server is not ready");
  };

  if (path == "/invocations") {
    context.route = Route::kInvocations;
    context.model = service_.champion()->name;
    if (auto refused = method_check(post, "POST")) return *refused;
    if (auto refused = authorise(Scope::kPredict)) return *refused;
    return Invocations(request, context);
  }
  if (path == "/health") return health(Route::kHealth, true);
  if (path == "/ping") return health(Route::kPing, true);
  if (path == "/v2/health/live") return health(Route::kLive, true);
  if (path == "/v2/health/ready" || path == "/ready") return health(Route::kReady, !options_.ready || options_.ready());
  if (path == "/version") {
    context.route = Route::kVersion;
    if (auto refused = method_check(get, "GET")) return *refused;
    auto model = service_.champion();
    Json body{{"cairn", kVersion}, {"model", model->name}, {"version", model->VersionText()}, {"ref", model->ref}};
    return JsonResponse(200, body.dump());
  }
  if (path == "/metrics") {
    context.route = Route::kMetrics;
    if (auto refused = method_check(get, "GET")) return *refused;
    if (auto refused = authorise(Scope::kMetrics)) return *refused;
    return Metrics();
  }
  if (path == "/feedback") {
    context.route = Route::kFeedback;
    if (auto refused = method_check(post, "POST")) return *refused;
    if (auto refused = authorise(Scope::kFeedback)) return *refused;
    return Feedback(request);
  }
  if (path == "/admin/reload") {
    context.route = Route::kReload;
    if (auto refused = method_check(post, "POST")) return *refused;
    if (auto refused = authorise(Scope::kAdmin)) return *refused;
    if (options_.reload) options_.reload();
    return JsonResponse(202, "{\"status\":\"checking\"}");
  }
  constexpr std::string_view kModels = "/v2/models/";
  if (path.substr(0, kModels.size()) == kModels) {
    std::string_view rest = path.substr(kModels.size());
    constexpr std::string_view kInfer = "/infer";
    if (rest.size() > kInfer.size() && rest.substr(rest.size() - kInfer.size()) == kInfer) {
      const std::string_view name = rest.substr(0, rest.size() - kInfer.size());
      if (name.find('/') == std::string_view::npos) {
        context.route = Route::kInfer;
        context.model = std::string(name);
        if (auto refused = method_check(post, "POST")) return *refused;
        if (auto refused = authorise(Scope::kPredict)) return *refused;
        return Infer(request, name, context);
      }
    } else if (!rest.empty() && rest.find('/') == std::string_view::npos) {
      context.route = Route::kModelMetadata;
      context.model = std::string(rest);
      if (auto refused = method_check(get, "GET")) return *refused;
      if (auto refused = authorise(Scope::kPredict)) return *refused;
      return ModelMetadata(rest);
    }
  }
  context.route = Route::kOther;
  return ErrorResponse(404, "not_found", "no route for " + std::string(request.method) + " " + std::string(path));
}

HttpResponse RequestHandler::Invocations(const HttpRequest& request, RouteContext& context) {
  const BodyFormat format = ParseContentType(request.content_type);
  if (!TryAdmit()) return ErrorResponse(503, "io", "the server is at its limit of requests in flight; retry shortly");
  struct Admission {
    RequestHandler* handler;
    ~Admission() { handler->Release(); }
  } admission{this};
  auto body = std::make_shared<RequestBody>(format == BodyFormat::kCsv ? ParseCsvBody(request.body)
                                                                       : ParseMlflowJson(request.body, options_.key_field));
  Prediction prediction = service_.Predict(std::move(body), request.request_key);
  context.model = prediction.model->name;
  context.variant = std::string(VariantName(prediction.variant));
  HttpResponse response = JsonResponse(200, MlflowPredictions(prediction.outputs, prediction.model->session.outputs()));
  response.request_id = std::move(prediction.request_id);
  response.model = prediction.model->name + "@" + prediction.model->VersionText();
  response.variant = context.variant;
  return response;
}

HttpResponse RequestHandler::Infer(const HttpRequest& request, std::string_view model_name, RouteContext& context) {
  if (!service_.Serves(model_name)) {
    return ErrorResponse(404, "not_found",
                         "no model '" + std::string(model_name) + "' is served here; this server serves '" +
                             service_.champion()->name + "'");
  }
  if (ParseContentType(request.content_type) != BodyFormat::kJson) {
    throw Error(ErrorCode::kUnsupported, "KServe V2 requests are JSON; send application/json");
  }
  if (!TryAdmit()) return ErrorResponse(503, "io", "the server is at its limit of requests in flight; retry shortly");
  struct Admission {
    RequestHandler* handler;
    ~Admission() { handler->Release(); }
  } admission{this};
  auto body = std::make_shared<RequestBody>(ParseKserveInfer(request.body, options_.key_field));
  const std::string client_id = body->client_id;
  Prediction prediction = service_.Predict(std::move(body), request.request_key);
  context.model = prediction.model->name;
  context.variant = std::string(VariantName(prediction.variant));
  const std::string version = prediction.model->VersionText();
  HttpResponse response = JsonResponse(
      200, KserveInferResponse({prediction.model->name, version, client_id.empty() ? prediction.request_id : client_id},
                               prediction.outputs, prediction.model->session.outputs()));
  response.request_id = std::move(prediction.request_id);
  response.model = prediction.model->name + "@" + prediction.model->VersionText();
  response.variant = context.variant;
  return response;
}

HttpResponse RequestHandler::ModelMetadata(std::string_view model_name) {
  if (!service_.Serves(model_name)) {
    return ErrorResponse(404, "not_found",
                         "no model '" + std::string(model_name) + "' is served here; this server serves '" +
                             service_.champion()->name + "'");
  }
  std::shared_ptr<const LoadedModel> model = service_.champion();
  for (ModelSlot* slot : {service_.parts().champion, service_.parts().challenger, service_.parts().shadow}) {
    if (slot && slot->Get()->name == model_name) {
      model = slot->Get();
      break;
    }
  }
  Json inputs = Json::array();
  for (const auto& info : model->session.inputs()) inputs.push_back(TensorInfoJson(info));
  Json outputs = Json::array();
  for (const auto& info : model->session.outputs()) outputs.push_back(TensorInfoJson(info));
  Json body{{"name", model->name},
            {"versions", Json::array({model->VersionText()})},
            {"platform", "onnx"},
            {"inputs", std::move(inputs)},
            {"outputs", std::move(outputs)}};
  if (!model->signature.feature_order.empty()) body["parameters"] = Json{{"feature_order", model->signature.feature_order}};
  return JsonResponse(200, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

HttpResponse RequestHandler::Feedback(const HttpRequest& request) {
  if (ParseContentType(request.content_type) != BodyFormat::kJson) {
    throw Error(ErrorCode::kUnsupported, "feedback is JSON; send application/json");
  }
  std::vector<FeedbackItem> items = ParseFeedback(request.body);
  const size_t count = items.size();
  service_.RecordFeedback(std::move(items));
  return JsonResponse(202, "{\"accepted\":" + std::to_string(count) + "}");
}

HttpResponse RequestHandler::Metrics() {
  ExternalMetrics external = options_.external_metrics ? options_.external_metrics() : ExternalMetrics{};
  external.inflight = inflight();
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = metrics_.RenderPrometheus(external);
  return response;
}

}  // namespace cairn::serve
