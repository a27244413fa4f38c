// Shadow scoring off the request path: one worker thread runs queued jobs in
// order; when the bounded queue is full a job is skipped and counted, so a
// slow shadow model can never slow the answers clients wait for.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace cairn::serve {

class ShadowRunner {
 public:
  explicit ShadowRunner(size_t capacity = 4096);
  ~ShadowRunner();
  ShadowRunner(const ShadowRunner&) = delete;
  ShadowRunner& operator=(const ShadowRunner&) = delete;

  // False (and counted as dropped) when the queue is full or stopping.
  bool Submit(std::function<void()> job);
  // Runs what is queued, then stops the worker.
  void Stop();
  // Waits until the queue is empty and no job runs.
  void Drain();

  uint64_t dropped() const;

 private:
  void Loop();

  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  bool running_job_ = false;
  bool stop_ = false;
  uint64_t dropped_ = 0;
  std::thread thread_;
};

}  // namespace cairn::serve
