#include "cairn/core/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cairn/core/clock.h"

namespace cairn {
namespace {

std::string HumanAmount(uint64_t amount, const std::string& unit) {
  char buf[64];
  if (unit == "bytes") {
    double mb = static_cast<double>(amount) / (1024.0 * 1024.0);
    std::snprintf(buf, sizeof buf, "%.1f MiB", mb);
  } else {
    std::snprintf(buf, sizeof buf, "%llu %s", static_cast<unsigned long long>(amount), unit.c_str());
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, uint64_t total, std::string unit)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)) {
  enabled_ = ::isatty(STDERR_FILENO) && std::getenv("CAIRN_NO_PROGRESS") == nullptr;
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t done) {
  done_ = done;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(false);
}

void ProgressBar::Finish() {
  if (finished_) return;
  finished_ = true;
  if (enabled_) Draw(true);
}

void ProgressBar::Draw(bool final) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = "\r";
  line += label_;
  line += ' ';
  if (total_ > 0) {
    double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    constexpr int kWidth = 30;
    int filled = static_cast<int>(fraction * kWidth);
    line += "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%3.0f%% ", fraction * 100);
    line += pct;
  }
  line += HumanAmount(done_, unit_) + " " + FormatDuration(elapsed);
  if (!final && total_ > 0 && done_ > 0) {
    double remaining = elapsed * (static_cast<double>(total_) / static_cast<double>(done_) - 1.0);
    line += " (eta " + FormatDuration(remaining) + ")";
  }
  line += "\x1b[K";
  if (final) line += "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace cairn
