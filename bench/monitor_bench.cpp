// Streaming drift over many rows in bounded memory: a reference of 100,000
// rows x 20 numeric features, then ROWS current rows streamed in chunks of
// 65,536 through CurrentSummarizer and ComputeDrift. Prints time and peak RSS
// (VmHWM) and fails when the peak reaches 500 MB.
// Usage: monitor_bench [ROWS]
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cairn/monitor/drift_engine.h"

namespace {

constexpr int kFeatures = 20;
constexpr std::size_t kChunk = 65536;

// SplitMix64 with Box-Muller: quick, deterministic, no library distributions.
struct Random {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53 + 0x1.0p-54; }
  double Normal() { return std::sqrt(-2.0 * std::log(Uniform())) * std::cos(6.283185307179586 * Uniform()); }
};

cairn::data::Table Chunk(Random& rng, std::size_t rows, double shift) {
  cairn::data::Table table;
  for (int f = 0; f < kFeatures; ++f) {
    std::vector<double> values(rows);
    // Odd features drift in the current data; even ones do not.
    const double mean = (f % 2 == 1) ? shift : 0.0;
    for (auto& v : values) v = mean + (1.0 + 0.1 * f) * rng.Normal();
    table.AddColumn(cairn::data::Column::FromFloats("f" + std::to_string(f), std::move(values),
                                                    std::vector<std::uint8_t>(rows, 0)));
  }
  return table;
}

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000ULL;
  Random rng{42};
  auto reference = cairn::stats::ReferenceData::FromTable(Chunk(rng, 100'000, 0.0), {}, "reference");

  const auto start = std::chrono::steady_clock::now();
  cairn::monitor::CurrentSummarizer summarizer(reference);
  for (std::uint64_t done = 0; done < rows; done += kChunk) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, rows - done));
    summarizer.Add(Chunk(rng, n, 0.3));
  }
  const auto summarized = std::chrono::steady_clock::now();
  auto report = cairn::monitor::ComputeDrift(reference, summarizer.Finish(), {}, "stream");
  const auto end = std::chrono::steady_clock::now();

  const double stream_s = std::chrono::duration<double>(summarized - start).count();
  const double drift_s = std::chrono::duration<double>(end - summarized).count();
  const long peak_kb = PeakRssKb();
  std::printf("rows %llu x %d features: stream %.2f s (%.1f M values/s, data generation included), drift %.3f s\n",
              static_cast<unsigned long long>(rows), kFeatures, stream_s, rows * kFeatures / stream_s / 1e6, drift_s);
  std::printf("drifted %zu of %zu features (expected the 10 odd ones); dataset drift %s\n", report.features_drifted,
              report.features_tested, report.dataset_drift ? "yes" : "no");
  for (const auto& f : report.features)
    std::printf("  %-4s %-12s %.4f psi %.4f %s\n", f.feature.c_str(), f.method.c_str(), f.statistic, f.psi,
                f.drift ? "drift" : "");
  std::printf("peak RSS %.1f MB (limit 500 MB)\n", peak_kb / 1024.0);
  return peak_kb >= 0 && peak_kb < 500 * 1024 ? 0 : 1;
}
