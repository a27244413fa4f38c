// Drift statistics throughput: KS, Wasserstein and PSI over a reference and a
// current sample of 20 numeric features, single-threaded, next to SciPy and
// NumPy (bench/stats_bench.sh runs both on the same files); and the streaming
// case: 10 million rows per feature summarized in bounded memory.
//
//   stats_bench generate DIR ROWS      write DIR/reference.f64 and DIR/current.f64 (feature-major)
//   stats_bench run DIR ROWS           time cairn on them, one line per method
//   stats_bench stream ROWS            sketch and sample ROWS rows of 20 features, report peak memory
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "cairn/stats/drift_tests.h"
#include "cairn/stats/random.h"
#include "cairn/stats/sketches.h"

namespace {

using namespace cairn::stats;
constexpr int kFeatures = 20;

// Process CPU time: both sides run single-threaded, and CPU time stays
// comparable when other jobs share the machine, which wall time does not.
double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Feature f of the reference is normal with mean f and sd 1 + f / 10; the
// current sample is the same for even features and shifted by 0.01 (f + 1) sd
// for odd ones, so that both the no-drift and the drift paths are timed.
void FillFeature(std::vector<double>& out, int feature, bool current, std::uint64_t seed) {
  Random random(seed * 1000 + static_cast<std::uint64_t>(feature) * 2 + (current ? 1 : 0));
  const double sd = 1.0 + feature / 10.0;
  const double mean = feature + ((current && feature % 2 == 1) ? 0.01 * (feature + 1) * sd : 0.0);
  for (std::size_t i = 0; i < out.size(); i += 2) {
    const double u1 = 1.0 - random.Uniform();
    const double u2 = random.Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    out[i] = mean + sd * r * std::cos(2.0 * std::numbers::pi * u2);
    if (i + 1 < out.size()) out[i + 1] = mean + sd * r * std::sin(2.0 * std::numbers::pi * u2);
  }
}

std::vector<double> ReadFeatures(const std::filesystem::path& path, std::size_t rows) {
  std::vector<double> values(rows * kFeatures);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(double)));
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return values;
}

int Generate(const std::filesystem::path& dir, std::size_t rows) {
  for (bool current : {false, true}) {
    std::ofstream out(dir / (current ? "current.f64" : "reference.f64"), std::ios::binary);
    std::vector<double> column(rows);
    for (int f = 0; f < kFeatures; ++f) {
      FillFeature(column, f, current, 1);
      out.write(reinterpret_cast<const char*>(column.data()), static_cast<std::streamsize>(rows * sizeof(double)));
    }
  }
  return 0;
}

int Run(const std::filesystem::path& dir, std::size_t rows) {
  std::vector<double> reference = ReadFeatures(dir / "reference.f64", rows);
  std::vector<double> current = ReadFeatures(dir / "current.f64", rows);
  auto feature = [&](const std::vector<double>& data, int f) {
    return std::span<const double>(data.data() + static_cast<std::size_t>(f) * rows, rows);
  };
  double ks_seconds = 0, wasserstein_seconds = 0, psi_seconds = 0, shared_seconds = 0;
  for (int f = 0; f < kFeatures; ++f) {
    double start = CpuSeconds();
    KsStatistic ks = KsTwoSample(feature(reference, f), feature(current, f));
    ks_seconds += (CpuSeconds() - start);
    start = CpuSeconds();
    double wasserstein = WassersteinDistance(feature(reference, f), feature(current, f));
    wasserstein_seconds += (CpuSeconds() - start);
    start = CpuSeconds();
    DriftResult psi = PsiTest(feature(reference, f), feature(current, f));
    psi_seconds += (CpuSeconds() - start);
    // The way the monitor runs them: sort each sample once, then all three.
    start = CpuSeconds();
    SortedSample r(feature(reference, f), "reference"), c(feature(current, f), "current");
    KsTwoSample(r, c);
    WassersteinDistance(r, c);
    PsiTest(r, c);
    shared_seconds += (CpuSeconds() - start);
    std::printf("feature %d ks %.17g %.17g wasserstein %.17g psi %.17g\n", f, ks.statistic, ks.p_value, wasserstein,
                psi.statistic);
  }
  std::printf("time ks %.4f\ntime wasserstein %.4f\ntime psi %.4f\ntime all_three_shared_sort %.4f\n", ks_seconds,
              wasserstein_seconds, psi_seconds, shared_seconds);
  return 0;
}

long PeakMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

int Stream(std::size_t rows) {
  constexpr std::size_t kChunk = 65536;
  constexpr std::size_t kSampleSize = 100000;
  double start = CpuSeconds();
  std::vector<QuantileSketch> reference_sketches, current_sketches;
  std::vector<ReservoirSample> reference_samples, current_samples;
  for (int f = 0; f < kFeatures; ++f) {
    reference_sketches.emplace_back(QuantileSketch::kDefaultCapacity, f);
    current_sketches.emplace_back(QuantileSketch::kDefaultCapacity, 100 + f);
    reference_samples.emplace_back(kSampleSize, f);
    current_samples.emplace_back(kSampleSize, 100 + f);
  }
  std::vector<double> chunk(kChunk);
  for (bool current : {false, true}) {
    for (int f = 0; f < kFeatures; ++f) {
      for (std::size_t done = 0, part = 0; done < rows; done += kChunk, ++part) {
        chunk.resize(std::min(kChunk, rows - done));
        FillFeature(chunk, f, current, 2 + part);
        (current ? current_sketches : reference_sketches)[f].Add(chunk);
        (current ? current_samples : reference_samples)[f].Add(chunk);
      }
    }
  }
  const double summarize_seconds = (CpuSeconds() - start);
  start = CpuSeconds();
  int drifted = 0;
  double worst_bound = 0;
  for (int f = 0; f < kFeatures; ++f) {
    DriftResult ks = KsTest(reference_samples[f].values(), current_samples[f].values());
    DriftResult wasserstein = WassersteinTest(reference_samples[f].values(), current_samples[f].values());
    drifted += ks.drift || wasserstein.drift;
    worst_bound = std::max({worst_bound, reference_sketches[f].RankErrorBound(), current_sketches[f].RankErrorBound()});
  }
  std::printf(
      "stream rows %zu features %d summarize %.2f s tests %.2f s drifted %d worst_rank_bound %.5f peak_mb %ld\n", rows,
      kFeatures, summarize_seconds, (CpuSeconds() - start), drifted, worst_bound, PeakMegabytes());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "generate") return Generate(argv[2], std::stoul(argv[3]));
  if (argc >= 4 && std::string(argv[1]) == "run") return Run(argv[2], std::stoul(argv[3]));
  if (argc >= 3 && std::string(argv[1]) == "stream") return Stream(std::stoul(argv[2]));
  std::fprintf(stderr, "usage: stats_bench generate DIR ROWS | run DIR ROWS | stream ROWS\n");
  return 2;
}
