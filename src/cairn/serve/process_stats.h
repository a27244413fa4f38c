// The process's own CPU time and resident memory, read from /proc, for the
// standard process_* Prometheus metrics.
#pragma once

#include <cstdint>

namespace cairn::serve {

struct ProcessStats {
  double cpu_seconds = 0;         // user + system
  int64_t resident_bytes = 0;
  double start_time_seconds = 0;  // since the epoch
};

// Zeros where /proc cannot be read.
ProcessStats ReadProcessStats();

}  // namespace cairn::serve
