#include "cairn/serve/http_status.h"

#include "cairn/core/json.h"

namespace cairn::serve {

int HttpStatusFor(ErrorCode code) {
  // Clients and load balancers act on these: 4xx means "fix the request",
  // 5xx means "retry elsewhere or later".
  switch (code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnsupported: return 415;
    case ErrorCode::kCorrupt: return 500;
    case ErrorCode::kIo: return 503;
  }
  return 500;
}

std::string_view HttpReason(int status) {
  switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
  }
  return "Unknown";
}

std::string ErrorBody(std::string_view error_code, std::string_view message) {
  Json body{{"error_code", error_code}, {"message", message}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ErrorBody(ErrorCode code, std::string_view message) { return ErrorBody(ErrorCodeName(code), message); }

}  // namespace cairn::serve
