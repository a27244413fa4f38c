// Hot swap: a background thread that polls the registry every few seconds
// (or at once when asked, as on SIGHUP) and, when a followed alias has moved,
// loads the new version off the request path and swaps it into its slot.
// Requests already holding the old model finish on it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cairn/serve/loaded_model.h"
#include "cairn/serve/model_loader.h"

namespace cairn::serve {

class ModelWatcher {
 public:
  struct Follow {
    ModelSlot* slot = nullptr;
    std::string ref;  // an alias or latest reference
  };
  // Called on the watcher thread after each swap.
  using SwapCallback = std::function<void(const LoadedModel& before, const LoadedModel& after)>;
  // Called on the watcher thread after each check, with the loader's store at hand
  // (the server refreshes its drift gauges from the newest monitor reports here).
  using PollCallback = std::function<void(ModelLoader& loader)>;

  // `interval` of zero polls only when CheckNow() is called.
  ModelWatcher(std::unique_ptr<ModelLoader> loader, std::vector<Follow> follows, std::chrono::milliseconds interval,
               SwapCallback on_swap, PollCallback on_poll = {});
  ~ModelWatcher();

  void Start();
  void Stop();
  // Asks the thread for a check without waiting for it.
  void CheckNow();
  // Checks every followed reference on the calling thread; the number swapped.
  // Failures (the store busy, a blob missing) keep the current model and are
  // reported on stderr once per distinct message.
  int CheckOnce();

 private:
  void Loop();

  std::unique_ptr<ModelLoader> loader_;
  std::vector<Follow> follows_;
  std::chrono::milliseconds interval_;
  SwapCallback on_swap_;
  PollCallback on_poll_;
  std::mutex check_mutex_;  // one check at a time: the loader is single-threaded
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool check_requested_ = false;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace cairn::serve
