// The one table from error codes to the command line's exit statuses.
#pragma once

#include "cairn/core/error.h"

namespace cairn::cli {

// 0 success; 1 an unexpected failure; 2 a usage error (bad flags or arguments).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;

int ExitCodeFor(ErrorCode code);

}  // namespace cairn::cli
