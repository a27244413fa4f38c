// A progress bar on stderr for long work; silent when stderr is not a terminal
// or CAIRN_NO_PROGRESS is set, so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cairn {

class ProgressBar {
 public:
  // `total` in the unit of `unit` ("rows", "bytes"); 0 when unknown.
  ProgressBar(std::string label, uint64_t total, std::string unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Advance(uint64_t amount) { Update(done_ + amount); }
  void Update(uint64_t done);
  void Finish();

 private:
  void Draw(bool final);

  std::string label_;
  uint64_t total_;
  std::string unit_;
  uint64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace cairn
