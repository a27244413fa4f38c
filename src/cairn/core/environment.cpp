#include "cairn/core/environment.h"

#include <openssl/opensslv.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cairn/core/text.h"
#include "cairn/core/version.h"

namespace cairn {

EnvironmentInfo CaptureEnvironment() {
  EnvironmentInfo info;
  utsname name{};
  if (::uname(&name) == 0) {
    info.os = std::string(name.sysname) + " " + name.release + " " + name.machine;
  }
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (StartsWith(line, "model name")) {
      auto colon = line.find(':');
      if (colon != std::string::npos) info.cpu = std::string(Trim(std::string_view(line).substr(colon + 1)));
      break;
    }
  }
  info.cpu_count = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
#if defined(__clang__)
  info.compiler = "clang++ " __clang_version__;
#elif defined(__GNUC__)
  info.compiler = "g++ " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
                  std::to_string(__GNUC_PATCHLEVEL__);
#endif
  info.cairn_version = kVersion;
  info.libraries["openssl"] = OPENSSL_VERSION_TEXT;
  info.libraries["nlohmann_json"] = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                    std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                    std::to_string(NLOHMANN_JSON_VERSION_PATCH);
  return info;
}

}  // namespace cairn
