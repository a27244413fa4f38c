// Whole-store scenarios across processes: loggers killed with SIGKILL at random
// moments, and several loggers writing one workspace at the same time.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cairn/artifacts/run_tracking.h"
#include "cairn/artifacts/workspace.h"
#include "cairn/core/ids.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

struct Logger {
  pid_t pid = -1;
  int out = -1;
};

Logger StartLogger(const fs::path& workspace, const std::string& run, const std::string& key, int count) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::string n = std::to_string(count);
    ::execl(CAIRN_METRIC_LOGGER, "metric_logger", workspace.c_str(), run.c_str(), key.c_str(), n.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

// Blocks until the logger has confirmed its first point (or 60 s pass), so the
// kill that follows lands while it is working, however slow the machine is.
std::string AwaitFirstPoint(int fd) {
  std::string text;
  char buffer[256];
  pollfd waiting{fd, POLLIN, 0};
  while (text.find('\n') == std::string::npos && ::poll(&waiting, 1, 60000) > 0) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

// Every step the logger printed: those are calls that returned.
std::set<int64_t> CollectSteps(int fd, std::string text = "") {
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  std::set<int64_t> steps;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // a half-written line was never confirmed
    steps.insert(std::stoll(text.substr(start, end - start)));
    start = end + 1;
  }
  return steps;
}

class MultiProcessStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn_e2e_" + NewId());
    fs::create_directories(dir_);
    artifacts::Workspace::Init(dir_, std::nullopt);
    artifacts::WorkspaceOptions options;
    options.start_dir = dir_;
    auto workspace = artifacts::Workspace::Open(options);
    run_ = artifacts::StartRun(*workspace, {"e2e", "loggers", std::nullopt, dir_}).id;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<artifacts::Workspace> OpenWorkspace() {
    artifacts::WorkspaceOptions options;
    options.start_dir = dir_;
    return artifacts::Workspace::Open(options);
  }

  fs::path dir_;
  std::string run_;
};

TEST_F(MultiProcessStore, LoggersKilledAtRandomMomentsLoseNothingThatReturned) {
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> delay_ms(5, 120);
  std::vector<std::set<int64_t>> confirmed(50);
  int killed_mid_work = 0;
  // Two loggers at a time, so kills also land while the other waits for the write lock.
  for (int i = 0; i < 50; i += 2) {
    Logger a = StartLogger(dir_, run_, "m" + std::to_string(i), 1000000);
    Logger b = StartLogger(dir_, run_, "m" + std::to_string(i + 1), 1000000);
    std::string first_a = AwaitFirstPoint(a.out), first_b = AwaitFirstPoint(b.out);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(a.pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng) / 4));
    ::kill(b.pid, SIGKILL);
    for (Logger* logger : {&a, &b}) {
      int status = 0;
      ::waitpid(logger->pid, &status, 0);
      if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++killed_mid_work;
    }
    confirmed[i] = CollectSteps(a.out, first_a);
    confirmed[i + 1] = CollectSteps(b.out, first_b);
  }
  EXPECT_EQ(killed_mid_work, 50);

  auto workspace = OpenWorkspace();
  auto verification = workspace->store().VerifyAuditChain();
  EXPECT_TRUE(verification.ok) << verification.reason << " at seq " << verification.first_bad_seq;
  auto& tracking = workspace->store().tracking();
  size_t total_confirmed = 0;
  for (int i = 0; i < 50; ++i) {
    EXPECT_FALSE(confirmed[i].empty()) << "logger m" << i << " confirmed nothing";
    total_confirmed += confirmed[i].size();
    std::set<int64_t> stored;
    for (const auto& metric : tracking.GetMetricHistory(run_, "m" + std::to_string(i))) {
      stored.insert(metric.step);
      EXPECT_DOUBLE_EQ(metric.value, static_cast<double>(metric.step) * 0.5);
    }
    for (int64_t step : confirmed[i]) EXPECT_TRUE(stored.count(step)) << "m" << i << " step " << step << " lost";
    // At most the one call in flight when the kill landed may have committed unconfirmed.
    EXPECT_LE(stored.size(), confirmed[i].size() + 1) << "m" << i;
  }
  EXPECT_GE(total_confirmed, 50u) << "loggers were killed before they confirmed a point";
  std::cout << total_confirmed << " confirmed points from 50 killed loggers\n";
}

TEST_F(MultiProcessStore, FourConcurrentLoggersKeepEveryPointAndTheChain) {
  std::vector<Logger> loggers;
  for (int i = 0; i < 4; ++i) loggers.push_back(StartLogger(dir_, run_, "c" + std::to_string(i), 1000));
  for (auto& logger : loggers) {
    auto steps = CollectSteps(logger.out);
    int status = 0;
    ::waitpid(logger.pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(steps.size(), 1000u);
  }
  auto workspace = OpenWorkspace();
  auto& tracking = workspace->store().tracking();
  size_t total = 0;
  for (int i = 0; i < 4; ++i) total += tracking.GetMetricHistory(run_, "c" + std::to_string(i)).size();
  EXPECT_EQ(total, 4000u);
  auto verification = workspace->store().VerifyAuditChain();
  EXPECT_TRUE(verification.ok) << verification.reason;
  // init + run start + 4000 metric batches
  EXPECT_GE(verification.count, 4002);
}

}  // namespace
}  // namespace cairn
