// CSV reading throughput: generates the benchmark files and times ReadCsvFile
// on them (best of three), for bench/csv_bench.sh to set beside pandas.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/data/csv_reader.h"

namespace {

namespace fs = std::filesystem;

// splitmix64: fast, and the files come out the same on every run.
struct Random {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

void AppendFixed(std::string& out, double value, int digits) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, digits);
  out.append(buffer, result.ptr);
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Two integer and eight float columns, ~200 MB.
void GenerateNumeric(const fs::path& path, size_t target_bytes) {
  Random random{42};
  std::string text = "id,count,f1,f2,f3,f4,f5,f6,f7,f8\n";
  text.reserve(target_bytes + 4096);
  for (uint64_t row = 0; text.size() < target_bytes; ++row) {
    text += std::to_string(row);
    text += ',';
    text += std::to_string(static_cast<int64_t>(random.Next() % 20001) - 10000);
    for (int c = 0; c < 8; ++c) {
      text += ',';
      AppendFixed(text, (random.Uniform() - 0.3) * 2000.0, 6);
    }
    text += '\n';
  }
  WriteFile(path, text);
}

// Numbers, strings (some quoted with commas), dates, timestamps, booleans and missing values.
void GenerateMixed(const fs::path& path, size_t target_bytes) {
  static const char* kCities[] = {"Lyon", "Oslo", "Porto", "Graz", "Turku", "Bern", "\"Frankfurt, Main\"", "Kraków"};
  static const char* kWords[] = {"late", "payment", "renewal", "review", "closed", "urgent", "on hold", "new"};
  Random random{7};
  std::string text = "id,amount,rate,city,segment,opened,updated,active,score,note\n";
  text.reserve(target_bytes + 4096);
  char date[40];
  for (uint64_t row = 0; text.size() < target_bytes; ++row) {
    text += std::to_string(row);
    text += ',';
    AppendFixed(text, random.Uniform() * 50000.0, 2);
    text += ',';
    if (random.Next() % 20 == 0) {
      text += "NA";
    } else {
      AppendFixed(text, random.Uniform() * 0.2, 4);
    }
    text += ',';
    text += kCities[random.Next() % 8];
    text += ",S";
    text += std::to_string(random.Next() % 40);
    text += ',';
    std::snprintf(date, sizeof date, "20%02d-%02d-%02d", static_cast<int>(10 + random.Next() % 14),
                  static_cast<int>(1 + random.Next() % 12), static_cast<int>(1 + random.Next() % 28));
    text += date;
    text += ',';
    std::snprintf(date, sizeof date, "2024-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(1 + random.Next() % 12),
                  static_cast<int>(1 + random.Next() % 28), static_cast<int>(random.Next() % 24),
                  static_cast<int>(random.Next() % 60), static_cast<int>(random.Next() % 60));
    text += date;
    text += random.Next() % 2 ? ",true," : ",false,";
    if (random.Next() % 10 != 0) text += std::to_string(random.Next() % 1000);
    text += ',';
    text += kWords[random.Next() % 8];
    text += ' ';
    text += kWords[random.Next() % 8];
    text += '\n';
  }
  WriteFile(path, text);
}

int Read(const std::vector<std::string>& files) {
  for (const auto& file : files) {
    double best = 1e300;
    size_t rows = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto start = std::chrono::steady_clock::now();
      cairn::data::Table table = cairn::data::ReadCsvFile(file);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      rows = table.num_rows();
      if (seconds < best) best = seconds;
    }
    double megabytes = static_cast<double>(fs::file_size(file)) / 1e6;
    std::printf("%s %.1f MB %zu rows %.3f s %.1f MB/s\n", fs::path(file).stem().c_str(), megabytes, rows, best,
                megabytes / best);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() >= 2 && args[0] == "generate") {
      size_t megabytes = args.size() >= 3 ? std::stoul(args[2]) : 200;
      GenerateNumeric(fs::path(args[1]) / "numeric.csv", megabytes * 1000000);
      GenerateMixed(fs::path(args[1]) / "mixed.csv", megabytes / 2 * 1000000);
      return 0;
    }
    if (args.size() >= 2 && args[0] == "read") return Read({args.begin() + 1, args.end()});
  } catch (const std::exception& error) {
    std::fprintf(stderr, "csv_bench: %s\n", error.what());
    return 1;
  }
  std::fprintf(stderr, "usage: csv_bench generate DIR [MB] | csv_bench read FILE...\n");
  return 2;
}
