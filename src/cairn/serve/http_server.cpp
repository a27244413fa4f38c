// Boost 1.74's Asio misses this include for std::exchange under g++ 12.
#include <utility>

#include "cairn/serve/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/serve/http_status.h"

namespace cairn::serve {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

// One client connection. Its fields are touched only on its event loop's thread.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // a request has been read and is being answered
};

}  // namespace

struct HttpServer::Impl {
  Impl(RequestHandler& request_handler, HttpServerOptions server_options)
      : handler(request_handler), options(std::move(server_options)) {
    const int count = std::max(1, options.threads);
    for (int i = 0; i < count; ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      guards.emplace_back(contexts.back()->get_executor());
    }
    acceptor.emplace(*contexts.front());
    const std::string where = options.host + ":" + std::to_string(options.port);
    try {
      const tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
      acceptor->open(endpoint.protocol());
      // Lets a restarted server bind while old connections sit in TIME_WAIT; a
      // port another process listens on is still refused.
      acceptor->set_option(asio::socket_base::reuse_address(true));
      acceptor->bind(endpoint);
      acceptor->listen(asio::socket_base::max_listen_connections);
      port = acceptor->local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      ThrowIo("cannot listen on " + where + ": " + e.code().message());
    }
    if (options.handle_signals) {
      signals.emplace(*contexts.front(), SIGTERM, SIGINT, SIGHUP);
      WaitForSignal();
    }
  }

  void WaitForSignal() {
    signals->async_wait([this](const error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        if (options.on_hangup) options.on_hangup();
        WaitForSignal();
        return;
      }
      if (options.on_terminate) options.on_terminate();
    });
  }

  asio::awaitable<void> Accept() {
    size_t next = 0;
    for (;;) {
      asio::io_context& context = *contexts[next++ % contexts.size()];
      tcp::socket socket(context);
      error_code ec;
      co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping.load() || ec == asio::error::operation_aborted) co_return;
        // Out of descriptors or a connection reset before accept: pause, keep serving.
        asio::steady_timer pause(*contexts.front(), std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto connection = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(mutex);
        if (stopping.load()) {
          connection->stream.socket().close(ec);
          co_return;
        }
        connections.insert(connection);
      }
      asio::co_spawn(context, Serve(connection), asio::detached);
    }
  }

  asio::awaitable<void> Write(Connection& connection, http::response<http::string_body>& response) {
    error_code ec;
    connection.stream.expires_after(options.write_timeout);
    co_await http::async_write(connection.stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) response.keep_alive(false);
  }

  static http::response<http::string_body> ToBeast(HttpResponse&& answer, unsigned version, bool keep_alive) {
    http::response<http::string_body> response{static_cast<http::status>(answer.status), version};
    response.set(http::field::server, "cairn");
    response.set(http::field::content_type, answer.content_type);
    if (!answer.request_id.empty()) response.set("X-Request-Id", answer.request_id);
    if (!answer.model.empty()) response.set("X-Cairn-Model", answer.model);
    if (!answer.variant.empty()) response.set("X-Cairn-Variant", answer.variant);
    if (answer.retry_after > 0) response.set(http::field::retry_after, std::to_string(answer.retry_after));
    if (answer.authenticate) response.set(http::field::www_authenticate, "Bearer");
    response.keep_alive(keep_alive);
    response.body() = std::move(answer.body);
    response.prepare_payload();
    return response;
  }

  // Reads what the client is still sending (bounded), so that closing the
  // socket does not reset the connection before it has read our answer.
  asio::awaitable<void> Drain(Connection& connection) {
    error_code ec;
    connection.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    connection.stream.expires_after(std::chrono::seconds(1));
    std::vector<char> sink(64 * 1024);
    size_t total = 0;
    while (total < 16 * 1024 * 1024) {
      const size_t n =
          co_await connection.stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      total += n;
    }
  }

  asio::awaitable<void> Serve(std::shared_ptr<Connection> connection) {
    beast::flat_buffer buffer;
    bool drain = false;
    try {
      for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(options.max_body);
        error_code ec;
        connection->stream.expires_after(options.read_timeout);
        co_await http::async_read(connection->stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
          const bool body = ec == http::error::body_limit;
          HttpResponse answer =
              body ? handler.Reject(413, ErrorCode::kInvalidInput,
                                    "request body over the limit of " + std::to_string(options.max_body) + " bytes")
                   : handler.Reject(431, ErrorCode::kInvalidInput, "request headers over 16 KiB");
          auto response = ToBeast(std::move(answer), 11, false);
          co_await Write(*connection, response);
          drain = true;
          break;
        }
        const auto& http_category = http::make_error_code(http::error::end_of_stream).category();
        if (ec && ec.category() == http_category && ec != http::error::end_of_stream &&
            ec != http::error::partial_message) {
          // A malformed request: answer 400 once, then close.
          auto response = ToBeast(handler.Reject(400, ErrorCode::kInvalidInput,
                                                 std::string("malformed HTTP request: ") + ec.message()),
                                  11, false);
          co_await Write(*connection, response);
          drain = true;
          break;
        }
        if (ec) break;  // closed by the client, timed out, or closed by Stop()
        connection->busy = true;
        auto& request = parser.get();
        HttpRequest view{View(request.method_string()),          View(request.target()),
                         View(request[http::field::content_type]), View(request[http::field::authorization]),
                         View(request["X-Request-Key"]),           request.body()};
        HttpResponse answer = handler.Handle(view);
        const bool keep_alive = request.keep_alive() && !stopping.load();
        auto response = ToBeast(std::move(answer), request.version(), keep_alive);
        co_await Write(*connection, response);
        connection->busy = false;
        if (!response.keep_alive() || stopping.load()) break;
      }
    } catch (const std::exception& e) {
      // Only allocation failures reach here; the connection ends, the server keeps running.
      std::cerr << "cairn serve: connection dropped: " << e.what() << '\n';
    }
    if (drain) {
      try {
        co_await Drain(*connection);
      } catch (const std::exception&) {
      }
    }
    error_code ec;
    connection->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    connection->stream.socket().close(ec);
    std::lock_guard lock(mutex);
    connections.erase(connection);
  }

  void Stop() {
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(mutex);
      if (stopping.exchange(true)) return;
      open.assign(connections.begin(), connections.end());
    }
    asio::post(*contexts.front(), [this] {
      error_code ec;
      acceptor->close(ec);
      if (signals) signals->cancel(ec);
    });
    for (auto& connection : open) {
      asio::post(connection->stream.get_executor(), [connection] {
        if (connection->busy) return;  // it closes itself after answering
        error_code ec;
        connection->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        connection->stream.socket().close(ec);
      });
    }
    std::lock_guard lock(guard_mutex);
    for (auto& guard : guards) guard.reset();
  }

  RequestHandler& handler;
  HttpServerOptions options;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::mutex guard_mutex;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::shared_ptr<Connection>> connections;
  std::atomic<bool> stopping{false};
  uint16_t port = 0;
};

HttpServer::HttpServer(RequestHandler& handler, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(handler, std::move(options))) {}

HttpServer::~HttpServer() {
  Stop();
  Wait();
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Start() {
  if (!impl_->threads.empty()) return;
  asio::co_spawn(*impl_->contexts.front(), impl_->Accept(), asio::detached);
  for (auto& context : impl_->contexts) {
    impl_->threads.emplace_back([&context] {
      for (;;) {
        try {
          context->run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "cairn serve: " << e.what() << '\n';
        }
      }
    });
  }
}

void HttpServer::Stop() { impl_->Stop(); }

void HttpServer::Wait() {
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace cairn::serve
