#include "cairn/core/error.h"

namespace cairn {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kCorrupt: return "corrupt";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kPermissionDenied: return "permission_denied";
  }
  return "unknown";
}

void ThrowInvalidInput(const std::string& message) { throw Error(ErrorCode::kInvalidInput, message); }
void ThrowNotFound(const std::string& message) { throw Error(ErrorCode::kNotFound, message); }
void ThrowConflict(const std::string& message) { throw Error(ErrorCode::kConflict, message); }
void ThrowCorrupt(const std::string& message) { throw Error(ErrorCode::kCorrupt, message); }
void ThrowIo(const std::string& message) { throw Error(ErrorCode::kIo, message); }
void ThrowUnsupported(const std::string& message) { throw Error(ErrorCode::kUnsupported, message); }

}  // namespace cairn
