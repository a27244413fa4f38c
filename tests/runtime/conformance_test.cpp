// Runs ONNX's backend node tests (Debian's libonnx-testdata) for every test
// whose model uses only ops cairn registers. Every such test must pass unless
// conformance_exclusions.txt names it with a reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cairn/core/error.h"
#include "cairn/runtime/backend_test.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/op_registry.h"

namespace cairn::runtime {
namespace {

namespace fs = std::filesystem;

const char* kNodeTests = "/usr/share/libonnx-testdata/data/node";

// "test_name  reason..." per line; '#' starts a comment line.
std::map<std::string, std::string> ReadExclusions() {
  std::map<std::string, std::string> exclusions;
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/tests/runtime/conformance_exclusions.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find_first_of(" \t");
    std::string name = line.substr(0, space);
    std::string reason = space == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", space));
    exclusions[name] = reason;
  }
  return exclusions;
}

// Whether every op of the model is one cairn registers (in any version).
bool UsesOnlyRegisteredOps(const fs::path& model_path) {
  try {
    Model model = LoadModel(model_path.string());
    for (const auto& node : model.graph.nodes) {
      if (!DefaultRegistry().Knows(node.domain, node.op_type)) return false;
    }
    return true;
  } catch (const Error&) {
    // Models that cannot load at all (newer types, ...) are checked by running them below.
    return true;
  }
}

TEST(ConformanceTest, RegisteredOpsPassOnnxNodeTests) {
  if (!fs::exists(kNodeTests)) GTEST_SKIP() << "libonnx-testdata is not installed";
  auto exclusions = ReadExclusions();
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(kNodeTests)) {
    if (fs::exists(entry.path() / "model.onnx")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());

  int passed = 0, excluded = 0, other_ops = 0;
  std::vector<std::string> failures;
  std::vector<std::string> stale_exclusions;
  for (const auto& dir : dirs) {
    std::string name = dir.filename().string();
    if (!UsesOnlyRegisteredOps(dir / "model.onnx")) {
      ++other_ops;
      continue;
    }
    BackendTestResult result = RunBackendTest(dir.string());
    bool is_excluded = exclusions.count(name) > 0;
    if (is_excluded) {
      ++excluded;
      if (result.status == BackendTestStatus::kPassed) stale_exclusions.push_back(name);
      continue;
    }
    if (result.status == BackendTestStatus::kPassed) {
      ++passed;
    } else {
      failures.push_back(name + " [" + std::string(BackendTestStatusName(result.status)) + "]: " + result.reason);
    }
  }
  std::cout << "ONNX node tests: " << passed << " passed, " << failures.size() << " failed, " << excluded
            << " excluded, " << other_ops << " use ops cairn does not register\n";
  for (const auto& name : stale_exclusions) std::cout << "excluded but passing: " << name << "\n";
  std::string listing;
  for (const auto& failure : failures) listing += "  " + failure + "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " conformance failures:\n" << listing;
}

}  // namespace
}  // namespace cairn::runtime
