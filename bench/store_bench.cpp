// Log-metric throughput of the SQLite store, one point per call and 1000 per
// batch, with the WAL synced on every commit (the default) and without.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cairn/core/ids.h"
#include "cairn/store/sql/sqlite_connection.h"
#include "cairn/store/store.h"

namespace {

using cairn::store::Metric;
using cairn::store::Store;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Result {
  double single_per_second = 0;
  double batched_per_second = 0;
};

Result Measure(const std::filesystem::path& dir, bool synchronous_full, int single_points, int batches) {
  const std::string path = (dir / (synchronous_full ? "full.db" : "normal.db")).string();
  cairn::sql::SqliteOptions options;
  options.synchronous_full = synchronous_full;
  Store store(std::make_unique<cairn::sql::SqliteConnection>(path, options));
  const std::string run = store.tracking().CreateRun("bench", "throughput").id;

  Result result;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < single_points; ++i) store.tracking().LogMetric(run, "single", i * 0.001, i);
  result.single_per_second = single_points / Seconds(start);

  constexpr int kBatch = 1000;
  std::vector<Metric> batch(kBatch);
  start = std::chrono::steady_clock::now();
  for (int b = 0; b < batches; ++b) {
    for (int i = 0; i < kBatch; ++i) batch[i] = Metric{"batched", i * 0.001, int64_t{b} * kBatch + i, 0};
    store.tracking().LogBatch(run, {}, batch, {});
  }
  result.batched_per_second = static_cast<double>(batches) * kBatch / Seconds(start);
  if (!store.VerifyAuditChain().ok) std::fprintf(stderr, "audit chain did not verify\n");
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const int single_points = argc > 1 ? std::stoi(argv[1]) : 2000;
  const int batches = argc > 2 ? std::stoi(argv[2]) : 100;
  const auto dir = std::filesystem::temp_directory_path() / ("cairn-store-bench-" + cairn::NewId());
  std::filesystem::create_directories(dir);
  std::printf("log-metric throughput, SQLite store in %s\n", dir.c_str());
  std::printf("%-22s %18s %22s\n", "sync", "single (points/s)", "batched x1000 (points/s)");
  for (bool full : {true, false}) {
    const Result result = Measure(dir, full, single_points, batches);
    std::printf("%-22s %18.0f %22.0f\n", full ? "FULL (default)" : "NORMAL", result.single_per_second,
                result.batched_per_second);
  }

  // Listing: load, filter and sort a few thousand runs with params and metrics.
  {
    cairn::sql::SqliteOptions options;
    options.synchronous_full = false;
    Store store(std::make_unique<cairn::sql::SqliteConnection>((dir / "list.db").string(), options));
    constexpr int kRuns = 3000;
    for (int i = 0; i < kRuns; ++i) {
      const std::string run = store.tracking().CreateRun("bench", "").id;
      store.tracking().LogBatch(run, {{"model", i % 2 == 0 ? "gbdt" : "mlp"}, {"depth", std::to_string(i % 10)}},
                                {{"roc_auc", (i % 1000) / 1000.0, 0, 0}, {"loss", 1.0 / (i + 1), 0, 0}},
                                {{"team", "risk"}});
    }
    cairn::store::RunQuery query;
    query.filter = "metrics.roc_auc > 0.5 and params.model = 'gbdt'";
    query.sort = {"-metrics.roc_auc"};
    const auto start = std::chrono::steady_clock::now();
    const size_t matched = store.tracking().ListRuns(query).size();
    std::printf("list %d runs with a filter and a sort: %zu matched in %.1f ms\n", kRuns, matched,
                Seconds(start) * 1000);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
