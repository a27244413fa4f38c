// cairn's inference benchmark: rows/s at batch 1000 and in-process batch-1
// latency for the models bench/runtime_models.py writes, plus the int8 MLP
// (quantized here, and written beside the float one so that ONNX Runtime runs
// the same file). Prints one JSON object for bench/runtime_bench.sh.
// Usage: runtime_bench DIR [SECONDS_PER_CASE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cairn/core/file_io.h"
#include "cairn/runtime/ops/matmul_integer.h"
#include "cairn/runtime/quantize/quantize_model.h"
#include "cairn/runtime/session.h"

namespace {

using cairn::runtime::Session;
using cairn::runtime::Tensor;
using Clock = std::chrono::steady_clock;

template <typename T>
std::vector<T> ReadArray(const std::string& path) {
  std::string bytes = cairn::ReadFile(path);
  std::vector<T> out(bytes.size() / sizeof(T));
  std::copy_n(bytes.data(), out.size() * sizeof(T), reinterpret_cast<char*>(out.data()));
  return out;
}

struct Rows {
  std::vector<float> x;
  std::vector<int64_t> y;
  int64_t count = 0, features = 0;
  Tensor Batch(int64_t begin, int64_t size) const {
    std::vector<float> part(x.begin() + begin * features, x.begin() + (begin + size) * features);
    return Tensor::FromVector<float>({size, features}, part);
  }
};

// Rows per second over batches of 1000, repeated for about `seconds`.
double Throughput(const Session& session, const Rows& rows, double seconds) {
  constexpr int64_t kBatch = 1000;
  std::vector<Tensor> batches;
  for (int64_t b = 0; b + kBatch <= rows.count; b += kBatch) batches.push_back(rows.Batch(b, kBatch));
  session.RunOrdered({batches[0]});  // warm-up (first-call JIT and buffer pools)
  int64_t done = 0;
  auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (const auto& batch : batches) session.RunOrdered({batch});
    done += kBatch * static_cast<int64_t>(batches.size());
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return done / elapsed;
}

// p50 and p99 of single-row calls, in microseconds.
std::pair<double, double> Latency(const Session& session, const Rows& rows, int calls) {
  std::vector<Tensor> singles;
  for (int64_t r = 0; r < std::min<int64_t>(rows.count, 1000); ++r) singles.push_back(rows.Batch(r, 1));
  for (int i = 0; i < 200; ++i) session.RunOrdered({singles[i % singles.size()]});
  std::vector<double> micros;
  micros.reserve(calls);
  for (int i = 0; i < calls; ++i) {
    auto start = Clock::now();
    session.RunOrdered({singles[i % singles.size()]});
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  return {micros[micros.size() / 2], micros[micros.size() * 99 / 100]};
}

// Share of rows whose most probable class is the label (batch 1000).
double Accuracy(const Session& session, const Rows& rows) {
  int64_t correct = 0, seen = 0;
  for (int64_t b = 0; b + 1000 <= rows.count; b += 1000) {
    Tensor p = session.RunOrdered({rows.Batch(b, 1000)}).at(0).tensor();
    int64_t classes = p.dim(1);
    const float* data = p.data<float>();
    for (int64_t r = 0; r < 1000; ++r) {
      int64_t best = std::max_element(data + r * classes, data + (r + 1) * classes) - (data + r * classes);
      correct += best == rows.y[b + r];
      ++seen;
    }
  }
  return static_cast<double>(correct) / seen;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: runtime_bench DIR [SECONDS_PER_CASE]\n";
    return 2;
  }
  std::string dir = argv[1];
  double seconds = argc > 2 ? std::stod(argv[2]) : 2.0;
  try {
    nlohmann::json manifest = nlohmann::json::parse(cairn::ReadFile(dir + "/manifest.json"));
    Rows rows;
    rows.x = ReadArray<float>(dir + "/X.f32");
    rows.y = ReadArray<int64_t>(dir + "/y.i64");
    rows.count = manifest.at("rows");
    rows.features = manifest.at("features");

    // The int8 MLP, from the float file, as `cairn onnx quantize` writes it.
    auto quantized = cairn::runtime::quantize::QuantizeModelBytes(cairn::ReadFile(dir + "/mlp.onnx"));
    cairn::WriteFileAtomic(dir + "/mlp_int8.onnx", quantized.bytes);

    nlohmann::json out;
    out["int8_fast_path"] = cairn::runtime::Int8FastPathAvailable();
    out["mlp_weight_bytes"] = {{"float", quantized.summary.weight_bytes_before},
                               {"int8", quantized.summary.weight_bytes_after}};
    out["mlp_file_bytes"] = {{"float", quantized.summary.bytes_before}, {"int8", quantized.summary.bytes_after}};
    std::vector<std::string> names = manifest.at("models").get<std::vector<std::string>>();
    names.push_back("mlp_int8");
    for (const auto& name : names) {
      Session session = Session::Load(dir + "/" + name + ".onnx");
      auto [p50, p99] = Latency(session, rows, 20000);
      out["models"][name] = {{"rows_per_second", Throughput(session, rows, seconds)},
                             {"latency_p50_us", p50},
                             {"latency_p99_us", p99},
                             {"accuracy", Accuracy(session, rows)}};
      std::cerr << "cairn: " << name << " done\n";
    }
    std::cout << out.dump(2) << '\n';
  } catch (const std::exception& e) {
    std::cerr << "runtime_bench: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
