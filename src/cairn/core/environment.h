// What a run executed on: operating system, CPU, compiler, cairn and library versions.
#pragma once

#include <map>
#include <string>

namespace cairn {

struct EnvironmentInfo {
  std::string os;        // "Linux 6.1.0 x86_64"
  std::string cpu;       // model name from /proc/cpuinfo
  int cpu_count = 0;
  std::string compiler;  // "g++ 12.2.0"
  std::string cairn_version;
  std::map<std::string, std::string> libraries;  // name -> version
};

// Layers above core add their own libraries (sqlite, xgboost, ...) to `libraries`.
EnvironmentInfo CaptureEnvironment();

}  // namespace cairn
