#include "cairn/serve/model_watcher.h"

#include <iostream>

#include "cairn/core/error.h"

namespace cairn::serve {

ModelWatcher::ModelWatcher(std::unique_ptr<ModelLoader> loader, std::vector<Follow> follows,
                           std::chrono::milliseconds interval, SwapCallback on_swap, PollCallback on_poll)
    : loader_(std::move(loader)),
      follows_(std::move(follows)),
      interval_(interval),
      on_swap_(std::move(on_swap)),
      on_poll_(std::move(on_poll)) {}

ModelWatcher::~ModelWatcher() { Stop(); }

void ModelWatcher::Start() {
  if (thread_.joinable() || (follows_.empty() && !on_poll_)) return;
  thread_ = std::thread([this] { Loop(); });
}

void ModelWatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ModelWatcher::CheckNow() {
  {
    std::lock_guard lock(mutex_);
    check_requested_ = true;
  }
  wake_.notify_all();
}

int ModelWatcher::CheckOnce() {
  std::lock_guard check(check_mutex_);
  int swapped = 0;
  for (const auto& follow : follows_) {
    try {
      auto current = follow.slot->Get();
      const store::ModelVersion target = loader_->Resolve(follow.ref);
      if (current && current->name == target.name && current->version == target.version) continue;
      // Loading (reading, checking and planning the model) happens here, off the request path.
      auto next = loader_->LoadVersion(target, follow.ref);
      follow.slot->Set(next);
      ++swapped;
      if (on_swap_ && current) on_swap_(*current, *next);
    } catch (const std::exception& e) {
      const std::string message = std::string("cairn serve: keeping the current model for ") + follow.ref + ": " + e.what();
      std::lock_guard lock(mutex_);
      if (message != last_error_) std::cerr << message << '\n';
      last_error_ = message;
    }
  }
  if (on_poll_) {
    try {
      on_poll_(*loader_);
    } catch (const std::exception& e) {
      // Gauges are a view of the store: a busy or unreadable store leaves the last ones in place.
      const std::string message = std::string("cairn serve: drift gauges not refreshed: ") + e.what();
      std::lock_guard lock(mutex_);
      if (message != last_error_) std::cerr << message << '\n';
      last_error_ = message;
    }
  }
  return swapped;
}

void ModelWatcher::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (interval_.count() > 0) {
      wake_.wait_for(lock, interval_, [this] { return stop_ || check_requested_; });
    } else {
      wake_.wait(lock, [this] { return stop_ || check_requested_; });
    }
    if (stop_) break;
    check_requested_ = false;
    lock.unlock();
    CheckOnce();
    lock.lock();
  }
}

}  // namespace cairn::serve
