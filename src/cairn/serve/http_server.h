// The HTTP/1.1 front end: accepts connections on one address, reads requests
// with size limits and timeouts, passes them to the RequestHandler and writes
// the answers, keeping connections alive. One I/O thread per event loop;
// handlers run on those threads. Stop() is graceful: it stops accepting,
// closes idle connections and lets requests being answered finish.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cairn/serve/request_handler.h"

namespace cairn::serve {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; see HttpServer::port()
  int threads = 2;
  size_t max_body = 16 * 1024 * 1024;
  // How long a client may take to send a whole request (and how long an idle
  // keep-alive connection stays open), and to read a response.
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  // SIGTERM and SIGINT call on_terminate; SIGHUP calls on_hangup.
  bool handle_signals = false;
  std::function<void()> on_terminate;
  std::function<void()> on_hangup;
};

class HttpServer {
 public:
  // Binds and listens at once: kIo naming the address when it is taken.
  HttpServer(RequestHandler& handler, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  void Start();
  // Safe from any thread, signal handlers' callbacks included; returns at once.
  void Stop();
  // Returns when every I/O thread has finished (after Stop).
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::serve
