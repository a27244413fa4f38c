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
  std::string_view model;    // points into the request's target or into `model_ref`
  std::string_view variant;  // a VariantName
  std::shared_ptr<const LoadedModel> model_ref;
};

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ASCII case-insensitive equality with `lower`, which is lower case.
bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

enum class BodyFormat { kJson, kCsv };

// The media type decides the parser; a charset other than UTF-8 is refused.
// Compares without copying: every prediction request passes here.
BodyFormat ParseContentType(std::string_view header) {
  const size_t semicolon = header.find(';');
  const std::string_view media = TrimSpaces(header.substr(0, semicolon));
  std::string_view rest = semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
  while (!rest.empty()) {
    const size_t next = rest.find(';');
    std::string_view parameter = TrimSpaces(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    const size_t eq = parameter.find('=');
    if (eq == std::string_view::npos || !EqualsLower(TrimSpaces(parameter.substr(0, eq)), "charset")) continue;
    std::string_view charset = TrimSpaces(parameter.substr(eq + 1));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') charset = charset.substr(1, charset.size() - 2);
    if (!EqualsLower(charset, "utf-8") && !EqualsLower(charset, "utf8")) {
      throw Error(ErrorCode::kUnsupported, "Content-Type charset '" + Lower(charset) + "' is not supported; send UTF-8");
    }
  }
  if (media.empty() || EqualsLower(media, "application/json")) return BodyFormat::kJson;
  if (EqualsLower(media, "text/csv")) return BodyFormat::kCsv;
  throw Error(ErrorCode::kUnsupported,
              "Content-Type '" + Lower(media) + "' is not supported; send application/json or text/csv");
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

void HttpResponse::Reset() {
  status = 200;
  content_type.assign("application/json");
  body.clear();
  request_id.clear();
  model.clear();
  variant.clear();
  retry_after = 0;
  authenticate = false;
}

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

void RequestHandler::Handle(const HttpRequest& request, HttpResponse& response) {
  const auto start = std::chrono::steady_clock::now();
  RouteContext context;
  response.Reset();
  try {
    Route(request, context, response);
  } catch (const Error& error) {
    response = ErrorResponse(error);
  } catch (const std::exception& error) {
    response = ErrorResponse(500, "internal", std::string("internal error: ") + error.what());
  }
  if (context.route == Route::kInvocations && context.model.empty()) {
    // Refused before a model was chosen: counted against the champion.
    context.model_ref = service_.champion();
    context.model = context.model_ref->name;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordRequest(context.route, response.status, context.model, context.variant, seconds);
}

HttpResponse RequestHandler::Handle(const HttpRequest& request) {
  HttpResponse response;
  Handle(request, response);
  return response;
}

HttpResponse RequestHandler::Reject(int status, ErrorCode code, std::string_view message) {
  metrics_.RecordRequest(Route::kOther, status, "", "", 0.0);
  HttpResponse response = ErrorResponse(status, ErrorCodeName(code), message);
  return response;
}

void RequestHandler::Route(const HttpRequest& request, RouteContext& context, HttpResponse& response) {
  std::string_view path = request.target;
  const size_t query = path.find('?');
  if (query != std::string_view::npos) path = path.substr(0, query);
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";

  // Each check writes its refusal into the response and says whether it refused.
  auto refuse_method = [&](bool allowed, std::string_view wanted) {
    if (allowed) return false;
    response = ErrorResponse(405, "invalid_input",
                             std::string(path) + " answers " + std::string(wanted) + ", not " + std::string(request.method));
    return true;
  };
  auto refuse_token = [&](Scope scope) {
    switch (options_.auth.Check(request.authorization, scope)) {
      case AuthResult::kAllowed: return false;
      case AuthResult::kMissing: response = ErrorResponse(401, "permission_denied", "missing bearer token"); return true;
      case AuthResult::kInvalid: response = ErrorResponse(401, "permission_denied", "invalid bearer token"); return true;
      case AuthResult::kForbidden:
        response = ErrorResponse(403, "permission_denied",
                                 "this token lacks the '" + std::string(ScopeName(scope)) + "' scope");
        return true;
    }
    return false;
  };
  auto health = [&](enum Route route, bool ok) {
    context.route = route;
    if (refuse_method(get, "GET")) return;
    response = ok ? JsonResponse(200, "{\"status\":\"ok\"}") : ErrorResponse(503, "io", "the server is not ready");
  };

  if (path == "/invocations") {
    context.route = Route::kInvocations;
    if (refuse_method(post, "POST") || refuse_token(Scope::kPredict)) return;
    Invocations(request, context, response);
    return;
  }
  if (path == "/health") return health(Route::kHealth, true);
  if (path == "/ping") return health(Route::kPing, true);
  if (path == "/v2/health/live") return health(Route::kLive, true);
  if (path == "/v2/health/ready" || path == "/ready") return health(Route::kReady, !options_.ready || options_.ready());
  if (path == "/version") {
    context.route = Route::kVersion;
    if (refuse_method(get, "GET")) return;
    auto model = service_.champion();
    Json body{{"cairn", kVersion}, {"model", model->name}, {"version", model->VersionText()}, {"ref", model->ref}};
    response = JsonResponse(200, body.dump());
    return;
  }
  if (path == "/metrics") {
    context.route = Route::kMetrics;
    if (refuse_method(get, "GET") || refuse_token(Scope::kMetrics)) return;
    response = Metrics();
    return;
  }
  if (path == "/feedback") {
    context.route = Route::kFeedback;
    if (refuse_method(post, "POST") || refuse_token(Scope::kFeedback)) return;
    response = Feedback(request);
    return;
  }
  if (path == "/admin/reload") {
    context.route = Route::kReload;
    if (refuse_method(post, "POST") || refuse_token(Scope::kAdmin)) return;
    if (options_.reload) options_.reload();
    response = JsonResponse(202, "{\"status\":\"checking\"}");
    return;
  }
  constexpr std::string_view kModels = "/v2/models/";
  if (path.substr(0, kModels.size()) == kModels) {
    std::string_view rest = path.substr(kModels.size());
    constexpr std::string_view kInfer = "/infer";
    if (rest.size() > kInfer.size() && rest.substr(rest.size() - kInfer.size()) == kInfer) {
      const std::string_view name = rest.substr(0, rest.size() - kInfer.size());
      if (name.find('/') == std::string_view::npos) {
        context.route = Route::kInfer;
        context.model = name;
        if (refuse_method(post, "POST") || refuse_token(Scope::kPredict)) return;
        Infer(request, name, context, response);
        return;
      }
    }
    constexpr std::string_view kReady = "/ready";
    if (rest.size() > kReady.size() && rest.substr(rest.size() - kReady.size()) == kReady &&
        rest.substr(0, rest.size() - kReady.size()).find('/') == std::string_view::npos) {
      // KServe V2 model readiness: a served model is ready once loaded, which it is before the port opens.
      const std::string_view name = rest.substr(0, rest.size() - kReady.size());
      context.route = Route::kModelReady;
      context.model = name;
      if (refuse_method(get, "GET")) return;
      if (!service_.Serves(name)) {
        response = ErrorResponse(404, "not_found",
                                 "no model '" + std::string(name) + "' is served here; this server serves '" +
                                     service_.champion()->name + "'");
        return;
      }
      response = JsonResponse(200, Json{{"name", name}, {"ready", true}}.dump());
      return;
    }
    if (!rest.empty() && rest.find('/') == std::string_view::npos) {
      context.route = Route::kModelMetadata;
      context.model = rest;
      if (refuse_method(get, "GET") || refuse_token(Scope::kPredict)) return;
      response = ModelMetadata(rest);
      return;
    }
  }
  context.route = Route::kOther;
  response = ErrorResponse(404, "not_found", "no route for " + std::string(request.method) + " " + std::string(path));
}

void RequestHandler::Invocations(const HttpRequest& request, RouteContext& context, HttpResponse& response) {
  const BodyFormat format = ParseContentType(request.content_type);
  if (!TryAdmit()) {
    response = ErrorResponse(503, "io", "the server is at its limit of requests in flight; retry shortly");
    return;
  }
  struct Admission {
    RequestHandler* handler;
    ~Admission() { handler->Release(); }
  } admission{this};
  auto body = std::make_shared<RequestBody>(format == BodyFormat::kCsv ? ParseCsvBody(request.body)
                                                                       : ParseMlflowJson(request.body, options_.key_field));
  Prediction prediction = service_.Predict(std::move(body), request.request_key);
  AppendMlflowPredictions(response.body, prediction.outputs, prediction.model->session.outputs());
  Answer(prediction, context, response);
}

void RequestHandler::Infer(const HttpRequest& request, std::string_view model_name, RouteContext& context,
                           HttpResponse& response) {
  if (!service_.Serves(model_name)) {
    response = ErrorResponse(404, "not_found",
                             "no model '" + std::string(model_name) + "' is served here; this server serves '" +
                                 service_.champion()->name + "'");
    return;
  }
  if (ParseContentType(request.content_type) != BodyFormat::kJson) {
    throw Error(ErrorCode::kUnsupported, "KServe V2 requests are JSON; send application/json");
  }
  if (!TryAdmit()) {
    response = ErrorResponse(503, "io", "the server is at its limit of requests in flight; retry shortly");
    return;
  }
  struct Admission {
    RequestHandler* handler;
    ~Admission() { handler->Release(); }
  } admission{this};
  auto body = std::make_shared<RequestBody>(ParseKserveInfer(request.body, options_.key_field));
  const std::string client_id = body->client_id;
  Prediction prediction = service_.Predict(std::move(body), request.request_key);
  const LoadedModel& model = *prediction.model;
  AppendKserveInferResponse(response.body,
                            {model.name, model.VersionText(), client_id.empty() ? prediction.request_id.view() : client_id},
                            prediction.outputs, model.session.outputs());
  Answer(prediction, context, response);
}

void RequestHandler::Answer(Prediction& prediction, RouteContext& context, HttpResponse& response) {
  response.request_id.assign(prediction.request_id.view());
  response.model.assign(prediction.model->Label());
  response.variant.assign(VariantName(prediction.variant));
  context.model_ref = std::move(prediction.model);
  context.model = context.model_ref->name;
  context.variant = VariantName(prediction.variant);
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
