// Plays the scenario files in tests/e2e/scenarios against the real cairn binary.
//
// A scenario is a list of shell commands, each followed by what it must do:
//   $ cairn data add missing.csv --name x     run with /bin/sh in a fresh folder
//   exit: 3                                   expected status (0 when not given)
//   stdout: some text                         stdout contains the text
//   stderr: some text                         stderr contains the text
//   !stdout: some text                        stdout does not contain the text
// Lines starting with '#' and blank lines are ignored. `cairn` is on PATH and the
// variable $FIXTURES names tests/e2e/fixtures.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cairn/core/file_io.h"
#include "cairn/core/ids.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  std::string kind;  // "stdout", "stderr", "!stdout", "!stderr"
  std::string text;
};

struct Step {
  int line = 0;
  std::string command;
  int exit_code = 0;
  std::vector<Expectation> expectations;
};

std::vector<Step> ParseScenario(const fs::path& path) {
  std::ifstream in(path);
  std::vector<Step> steps;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("$ ", 0) == 0) {
      steps.push_back({number, line.substr(2), 0, {}});
      continue;
    }
    if (steps.empty()) throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": expectation before any command");
    auto colon = line.find(": ");
    if (colon == std::string::npos) throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": cannot read '" + line + "'");
    std::string kind = line.substr(0, colon), text = line.substr(colon + 2);
    if (kind == "exit") {
      steps.back().exit_code = std::stoi(text);
    } else if (kind == "stdout" || kind == "stderr" || kind == "!stdout" || kind == "!stderr") {
      steps.back().expectations.push_back({kind, text});
    } else {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": unknown expectation '" + kind + "'");
    }
  }
  return steps;
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(CAIRN_SOURCE_DIR) / "tests/e2e/scenarios")) {
    if (entry.path().extension() == ".scenario") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, Plays) {
  const char* bin = std::getenv("CAIRN_BIN");
  ASSERT_NE(bin, nullptr) << "CAIRN_BIN must name the cairn binary";
  fs::path source = fs::path(CAIRN_SOURCE_DIR) / "tests/e2e/scenarios" / (GetParam() + ".scenario");
  auto steps = ParseScenario(source);
  ASSERT_FALSE(steps.empty());

  fs::path dir = fs::temp_directory_path() / ("cairn_scenario_" + NewId());
  fs::create_directories(dir);
  std::string env = "cd '" + dir.string() + "' && export PATH='" + fs::path(bin).parent_path().string() +
                    "':\"$PATH\" CAIRN_NO_PROGRESS=1 CAIRN_ACTOR=scenario FIXTURES='" +
                    (fs::path(CAIRN_SOURCE_DIR) / "tests/e2e/fixtures").string() + "' && unset CAIRN_STORE CAIRN_ARTIFACTS && ";
  for (const auto& step : steps) {
    std::string command = env + "( " + step.command + " ) >.out 2>.err";
    int status = std::system(command.c_str());
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::string out = ReadFile(dir / ".out"), err = ReadFile(dir / ".err");
    std::string where = source.filename().string() + ":" + std::to_string(step.line) + ": $ " + step.command;
    EXPECT_EQ(code, step.exit_code) << where << "\nstdout:\n" << out << "stderr:\n" << err;
    for (const auto& e : step.expectations) {
      const std::string& text = (e.kind == "stdout" || e.kind == "!stdout") ? out : err;
      bool found = text.find(e.text) != std::string::npos;
      if (e.kind[0] == '!') {
        EXPECT_FALSE(found) << where << "\n" << e.kind.substr(1) << " must not contain: " << e.text << "\n" << text;
      } else {
        EXPECT_TRUE(found) << where << "\n" << e.kind << " must contain: " << e.text << "\n" << text;
      }
    }
    if (::testing::Test::HasFailure()) break;
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Scenario, ::testing::ValuesIn(ScenarioNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cairn
