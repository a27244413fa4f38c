#include "cairn/cli/exit_codes.h"

namespace cairn::cli {

int ExitCodeFor(ErrorCode code) {
  // Documented in the README's CLI reference; scripts depend on these numbers.
  switch (code) {
    case ErrorCode::kInvalidInput: return 2;
    case ErrorCode::kNotFound: return 3;
    case ErrorCode::kConflict: return 4;
    case ErrorCode::kCorrupt: return 5;
    case ErrorCode::kIo: return 6;
    case ErrorCode::kUnsupported: return 7;
    case ErrorCode::kPermissionDenied: return 8;
  }
  return kExitInternal;
}

}  // namespace cairn::cli
