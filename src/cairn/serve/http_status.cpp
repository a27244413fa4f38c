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

std::string ErrorBody(std::string_view error_code, std::string_view message) {
  Json body{{"error_code", error_code}, {"message", message}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ErrorBody(ErrorCode code, std::string_view message) { return ErrorBody(ErrorCodeName(code), message); }

}  // namespace cairn::serve
