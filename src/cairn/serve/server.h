// `cairn serve` as a library call: loads the champion (and challenger or
// shadow), wires the router, prediction log, metrics, hot swap and token auth
// around the HTTP front end, and shuts everything down in order: stop
// accepting, finish requests in flight, finish shadow scoring, flush the log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/serve/prediction_log.h"

namespace cairn::serve {

class InferenceService;
class RequestHandler;
class ServerMetrics;

struct ServeOptions {
  std::string model;       // the champion: NAME@ALIAS, NAME@VERSION, NAME, run:ID or a .onnx path
  std::string challenger;  // A/B against this one when set
  double split = 0.1;      // the challenger's share of request keys
  std::string shadow;      // scores every request on the side when set
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 2;
  std::string token_file;  // bearer-token auth when set
  size_t max_body = 16 * 1024 * 1024;
  int64_t max_inflight = 1024;
  std::chrono::milliseconds read_timeout{30000};
  // How often the registry is asked whether followed aliases moved; 0 only on SIGHUP or /admin/reload.
  std::chrono::milliseconds poll_interval{10000};
  std::string key_field = "request_key";
  std::vector<std::string> pii;  // features to log hashed, besides the dataset schema's "pii" flags
  bool log = true;               // write the prediction log when a workspace or store is at hand
  PredictionLogOptions log_options;
  artifacts::WorkspaceOptions workspace;
  bool handle_signals = false;  // SIGTERM/SIGINT stop gracefully, SIGHUP checks the registry
};

class Server {
 public:
  // Loads the models and binds the address; errors as ModelLoader and HttpServer.
  explicit Server(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  void Start();
  // Begins a graceful stop; safe from any thread; returns at once.
  void Stop();
  // Blocks until the server has stopped and the log is flushed.
  void Wait();

  // Checks the followed aliases now, on the calling thread; the number of models swapped.
  int CheckModels();
  // Asks the watcher thread for a check (as SIGHUP does).
  void RequestCheck();

  // Parts, for tests and the command line's start-up message.
  InferenceService& service();
  RequestHandler& handler();
  ServerMetrics& metrics();
  PredictionLog* log();
  std::string Describe() const;  // "credit@champion (credit 3) on 127.0.0.1:8080"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::serve
