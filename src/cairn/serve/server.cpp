#include "cairn/serve/server.h"

#include <algorithm>
#include <iostream>
#include <mutex>

#include "cairn/core/error.h"
#include "cairn/serve/drift_gauges.h"
#include "cairn/serve/http_server.h"
#include "cairn/serve/inference_service.h"
#include "cairn/serve/model_loader.h"
#include "cairn/serve/model_watcher.h"
#include "cairn/serve/request_body.h"
#include "cairn/serve/request_handler.h"
#include "cairn/serve/server_metrics.h"
#include "cairn/serve/shadow_runner.h"

namespace cairn::serve {

struct Server::Impl {
  explicit Impl(ServeOptions serve_options) : options(std::move(serve_options)) {
    if (!options.challenger.empty() && !options.shadow.empty()) {
      ThrowInvalidInput("--challenger and --shadow cannot be combined; choose A/B or shadow");
    }
    auto loader = std::make_unique<ModelLoader>(options.workspace, options.pii);
    champion.Set(loader->Load(options.model));
    std::vector<ModelWatcher::Follow> follows;
    if (ModelLoader::Follows(options.model)) follows.push_back({&champion, options.model});
    if (!options.challenger.empty()) {
      challenger = std::make_unique<ModelSlot>();
      challenger->Set(loader->Load(options.challenger));
      if (ModelLoader::Follows(options.challenger)) follows.push_back({challenger.get(), options.challenger});
    }
    if (!options.shadow.empty()) {
      shadow = std::make_unique<ModelSlot>();
      shadow->Set(loader->Load(options.shadow));
      if (ModelLoader::Follows(options.shadow)) follows.push_back({shadow.get(), options.shadow});
      shadow_runner = std::make_unique<ShadowRunner>();
    }
    if (options.log) {
      if (artifacts::Workspace* workspace = loader->workspace_or_null()) {
        log = std::make_unique<PredictionLog>(workspace->store_uri(), options.log_options);
      } else {
        std::cerr << "cairn serve: no workspace or store: predictions are not logged\n";
      }
    }
    watcher = std::make_unique<ModelWatcher>(std::move(loader), std::move(follows), options.poll_interval,
                                             [this](const LoadedModel& before, const LoadedModel& after) {
                                               ++swaps;
                                               std::cerr << "cairn serve: " << after.ref << " moved from version "
                                                         << before.version << " to " << after.version << '\n';
                                             },
                                             [this](ModelLoader& loader) { RefreshDriftGauges(loader); });
    ServiceParts parts;
    parts.champion = &champion;
    parts.challenger = challenger.get();
    parts.shadow = shadow.get();
    parts.split = options.split;
    parts.metrics = &metrics;
    parts.log = log.get();
    parts.shadow_runner = shadow_runner.get();
    service = std::make_unique<InferenceService>(parts);

    HandlerOptions handler_options;
    if (!options.token_file.empty()) handler_options.auth = TokenAuth::FromFile(options.token_file);
    handler_options.key_field = options.key_field;
    handler_options.max_inflight = options.max_inflight;
    handler_options.external_metrics = [this] { return External(); };
    handler_options.reload = [this] { watcher->CheckNow(); };
    handler_options.ready = [this] { return ready.load(); };
    handler = std::make_unique<RequestHandler>(*service, metrics, std::move(handler_options));

    HttpServerOptions http_options;
    http_options.host = options.host;
    http_options.port = options.port;
    http_options.threads = options.threads;
    http_options.max_body = options.max_body;
    http_options.read_timeout = options.read_timeout;
    http_options.write_timeout = options.read_timeout;
    http_options.handle_signals = options.handle_signals;
    http_options.on_terminate = [this] { StopServing(); };
    http_options.on_hangup = [this] { watcher->CheckNow(); };
    http = std::make_unique<HttpServer>(*handler, std::move(http_options));
  }

  void RefreshDriftGauges(ModelLoader& loader) {
    artifacts::Workspace* workspace = loader.workspace_or_null();
    if (!workspace || !service) return;
    std::vector<std::string> names;
    for (const auto& model : service->Models())
      if (std::find(names.begin(), names.end(), model.name) == names.end()) names.push_back(model.name);
    auto gauges = ReadDriftGauges(workspace->store(), names);
    std::lock_guard lock(drift_mutex);
    drift = std::move(gauges);
  }

  ExternalMetrics External() {
    ExternalMetrics external;
    {
      std::lock_guard lock(drift_mutex);
      external.drift = drift;
    }
    external.models = service->Models();
    if (log) {
      external.log_written = log->written();
      external.log_dropped = log->dropped();
      external.log_queue_depth = log->depth();
    }
    if (shadow_runner) external.shadow_dropped = shadow_runner->dropped();
    external.shadow_errors = service->shadow_errors();
    external.swaps = swaps.load();
    return external;
  }

  void StopServing() {
    ready = false;
    http->Stop();
  }

  void Finish() {
    std::lock_guard lock(finish_mutex);
    if (finished) return;
    http->Wait();
    watcher->Stop();
    if (shadow_runner) shadow_runner->Stop();
    if (log) log->Stop();
    finished = true;
  }

  ServeOptions options;
  ModelSlot champion;
  std::unique_ptr<ModelSlot> challenger;
  std::unique_ptr<ModelSlot> shadow;
  ServerMetrics metrics;
  std::unique_ptr<PredictionLog> log;
  std::unique_ptr<ShadowRunner> shadow_runner;
  std::unique_ptr<ModelWatcher> watcher;
  std::mutex drift_mutex;
  std::vector<ModelDriftGauges> drift;  // the newest monitor reports, refreshed by the watcher
  std::unique_ptr<InferenceService> service;
  std::unique_ptr<RequestHandler> handler;
  std::unique_ptr<HttpServer> http;
  std::atomic<bool> ready{false};
  std::atomic<uint64_t> swaps{0};
  std::mutex finish_mutex;
  bool finished = false;
};

Server::Server(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  Stop();
  Wait();
}

uint16_t Server::port() const { return impl_->http->port(); }

void Server::Start() {
  impl_->watcher->Start();
  impl_->http->Start();
  impl_->ready = true;
}

void Server::Stop() { impl_->StopServing(); }

void Server::Wait() { impl_->Finish(); }

int Server::CheckModels() {
  return impl_->watcher->CheckOnce();
}

void Server::RequestCheck() { impl_->watcher->CheckNow(); }

InferenceService& Server::service() { return *impl_->service; }
RequestHandler& Server::handler() { return *impl_->handler; }
ServerMetrics& Server::metrics() { return impl_->metrics; }
PredictionLog* Server::log() { return impl_->log.get(); }

std::string Server::Describe() const {
  auto model = impl_->champion.Get();
  std::string out = impl_->options.model + " (" + model->name + " " + model->VersionText() + ")";
  if (impl_->challenger) {
    out += ", challenger " + impl_->options.challenger + " on " + FormatNumber(impl_->options.split * 100) + "% of keys";
  }
  if (impl_->shadow) out += ", shadow " + impl_->options.shadow;
  return out + " on " + impl_->options.host + ":" + std::to_string(port());
}

}  // namespace cairn::serve
