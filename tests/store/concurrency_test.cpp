#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "cairn/store/store.h"
#include "temp_store.h"

namespace cairn::store {
namespace {

using testing::TempDir;

// Several connections to one file, as several processes would hold.
TEST(Concurrency, FourWritersLogEveryMetricAndKeepTheChain) {
  TempDir dir;
  std::string run_id;
  {
    Store store(dir.db());
    run_id = store.tracking().CreateRun("load", "shared").id;
  }
  constexpr int kThreads = 4;
  constexpr int kPoints = 250;
  std::vector<std::thread> threads;
  std::vector<std::string> failures(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        Store store(dir.db());
        const std::string key = "writer" + std::to_string(t);
        for (int i = 0; i < kPoints; ++i) store.tracking().LogMetric(run_id, key, i * 0.5, i);
      } catch (const std::exception& error) {
        failures[t] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");

  Store store(dir.db());
  for (int t = 0; t < kThreads; ++t) {
    const auto history = store.tracking().GetMetricHistory(run_id, "writer" + std::to_string(t));
    ASSERT_EQ(history.size(), static_cast<size_t>(kPoints));
    for (int i = 0; i < kPoints; ++i) EXPECT_EQ(history[i].value, i * 0.5);
  }
  const AuditVerification verification = store.VerifyAuditChain();
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.count, 2 + kThreads * kPoints);
}

// Several processes opening a fresh store at once must migrate it exactly once.
TEST(Concurrency, ConcurrentOpenersMigrateOnce) {
  TempDir dir;
  std::vector<std::thread> threads;
  std::vector<std::string> failures(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      try {
        Store store(dir.db());
        store.tracking().GetOrCreateExperiment("shared");
      } catch (const std::exception& error) {
        failures[t] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  Store store(dir.db());
  EXPECT_EQ(store.tracking().ListExperiments().size(), 1u);
  EXPECT_EQ(store.VerifyAuditChain().count, 1);
}

}  // namespace
}  // namespace cairn::store
