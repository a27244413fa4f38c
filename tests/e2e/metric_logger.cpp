// Test helper process: logs COUNT points of one metric, one transaction each,
// printing each step only after the store call returned, so a parent that kills
// this process knows exactly which points must have survived.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "cairn/artifacts/workspace.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: metric_logger WORKSPACE RUN KEY COUNT\n");
    return 2;
  }
  try {
    cairn::artifacts::WorkspaceOptions options;
    options.start_dir = argv[1];
    auto workspace = cairn::artifacts::Workspace::Open(options);
    auto& tracking = workspace->store().tracking();
    long count = std::atol(argv[4]);
    for (long step = 1; step <= count; ++step) {
      tracking.LogMetric(argv[2], argv[3], static_cast<double>(step) * 0.5, step);
      std::printf("%ld\n", step);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "metric_logger: %s\n", e.what());
    return 1;
  }
  return 0;
}
