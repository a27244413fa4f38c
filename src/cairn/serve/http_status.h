// The one table from cairn's error codes to HTTP statuses, and the JSON error
// body every route answers with: {"error_code": "...", "message": "..."}.
#pragma once

#include <string>
#include <string_view>

#include "cairn/core/error.h"

namespace cairn::serve {

int HttpStatusFor(ErrorCode code);
// {"error_code": "invalid_input", "message": "..."} as compact JSON text.
std::string ErrorBody(std::string_view error_code, std::string_view message);
std::string ErrorBody(ErrorCode code, std::string_view message);

}  // namespace cairn::serve
