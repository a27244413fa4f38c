#include "cairn/serve/shadow_runner.h"

namespace cairn::serve {

ShadowRunner::ShadowRunner(size_t capacity) : capacity_(capacity), thread_([this] { Loop(); }) {}

ShadowRunner::~ShadowRunner() { Stop(); }

bool ShadowRunner::Submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stop_ || jobs_.size() >= capacity_) {
      ++dropped_;
      return false;
    }
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void ShadowRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void ShadowRunner::Drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return (jobs_.empty() && !running_job_) || !thread_.joinable(); });
}

uint64_t ShadowRunner::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void ShadowRunner::Loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) {
      if (stop_) break;
      continue;
    }
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    running_job_ = true;
    lock.unlock();
    job();  // jobs catch their own errors
    job = nullptr;
    lock.lock();
    running_job_ = false;
    if (jobs_.empty()) idle_.notify_all();
  }
  idle_.notify_all();
}

}  // namespace cairn::serve
