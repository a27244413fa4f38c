#include "cairn/serve/process_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace cairn::serve {

ProcessStats ReadProcessStats() {
  ProcessStats stats;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const long page = sysconf(_SC_PAGESIZE);
  std::ifstream stat_file("/proc/self/stat");
  std::string line;
  if (std::getline(stat_file, line)) {
    // The command name (field 2) may hold spaces; the fields after its ')' are plain.
    const auto close = line.rfind(')');
    if (close != std::string::npos) {
      std::istringstream fields(line.substr(close + 2));
      std::string field;
      // After ')': state is field 3; utime 14, stime 15, starttime 22.
      double utime = 0, stime = 0, start = 0;
      for (int index = 3; fields >> field; ++index) {
        if (index == 14) utime = std::stod(field);
        if (index == 15) stime = std::stod(field);
        if (index == 22) {
          start = std::stod(field);
          break;
        }
      }
      if (ticks > 0) {
        stats.cpu_seconds = (utime + stime) / ticks;
        // starttime counts ticks since boot; btime in /proc/stat is the boot time.
        std::ifstream boot("/proc/stat");
        std::string key;
        double btime = 0;
        while (boot >> key) {
          if (key == "btime") {
            boot >> btime;
            break;
          }
        }
        stats.start_time_seconds = btime + start / ticks;
      }
    }
  }
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  if (statm >> size >> resident) stats.resident_bytes = resident * page;
  return stats;
}

}  // namespace cairn::serve
