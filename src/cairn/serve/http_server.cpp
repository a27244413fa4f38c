// Boost 1.74's Asio misses this include for std::exchange under g++ 12.
#include <utility>

#include "cairn/serve/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
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
using Clock = std::chrono::steady_clock;

constexpr Clock::time_point kNoDeadline = Clock::time_point::max();
constexpr uint32_t kHeaderLimit = 16 * 1024;

// What a connection keeps of the request it reads. The strings are reused
// from one request to the next, so a warm connection reads without allocating.
struct RequestData {
  std::string method;
  std::string target;
  std::string content_type;
  std::string authorization;
  std::string request_key;
  std::string body;
  unsigned version = 11;
};

// Beast's HTTP/1.1 parser (limits, chunked bodies, keep-alive rules), keeping
// only the parts of a request the routes read instead of a whole header map.
class RequestReader final : public http::basic_parser<true> {
 public:
  explicit RequestReader(RequestData& data) : data_(data) {
    data_.method.clear();
    data_.target.clear();
    data_.content_type.clear();
    data_.authorization.clear();
    data_.request_key.clear();
    data_.body.clear();
  }

 private:
  // A repeated header keeps its first value, as a header map's lookup did.
  static void Keep(std::string& out, bool& seen, beast::string_view value) {
    if (seen) return;
    seen = true;
    out.assign(value.data(), value.size());
  }

  void on_request_impl(http::verb, beast::string_view method, beast::string_view target, int version,
                       error_code&) override {
    data_.method.assign(method.data(), method.size());
    data_.target.assign(target.data(), target.size());
    data_.version = static_cast<unsigned>(version);
  }
  void on_response_impl(int, beast::string_view, int, error_code&) override {}
  void on_field_impl(http::field name, beast::string_view name_text, beast::string_view value, error_code&) override {
    if (name == http::field::content_type) {
      Keep(data_.content_type, content_type_seen_, value);
    } else if (name == http::field::authorization) {
      Keep(data_.authorization, authorization_seen_, value);
    } else if (name == http::field::unknown && beast::iequals(name_text, "X-Request-Key")) {
      Keep(data_.request_key, request_key_seen_, value);
    }
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    // The parser has already refused a Content-Length over the body limit.
    if (length) data_.body.reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(beast::string_view body, error_code&) override {
    data_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code&) override {
    data_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  RequestData& data_;
  bool content_type_seen_ = false;
  bool authorization_seen_ = false;
  bool request_key_seen_ = false;
};

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

void AppendUnsigned(std::string& out, uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// The status line and headers of `response`, written into the connection's
// reused buffer; the body follows it in the same gathered write.
void WriteHead(std::string& out, const HttpResponse& response, unsigned version, bool keep_alive) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  AppendUnsigned(out, static_cast<uint64_t>(response.status));
  out += ' ';
  const beast::string_view reason = http::obsolete_reason(static_cast<http::status>(response.status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  AppendField(out, "Server", "cairn");
  AppendField(out, "Content-Type", response.content_type);
  if (!response.request_id.empty()) AppendField(out, "X-Request-Id", response.request_id);
  if (!response.model.empty()) AppendField(out, "X-Cairn-Model", response.model);
  if (!response.variant.empty()) AppendField(out, "X-Cairn-Variant", response.variant);
  if (response.retry_after > 0) {
    out += "Retry-After: ";
    AppendUnsigned(out, static_cast<uint64_t>(response.retry_after));
    out += "\r\n";
  }
  if (response.authenticate) AppendField(out, "WWW-Authenticate", "Bearer");
  // HTTP/1.1 keeps connections open unless told; HTTP/1.0 closes them unless told.
  if (version >= 11 && !keep_alive) AppendField(out, "Connection", "close");
  if (version < 11 && keep_alive) AppendField(out, "Connection", "keep-alive");
  out += "Content-Length: ";
  AppendUnsigned(out, response.body.size());
  out += "\r\n\r\n";
}

// One client connection. Its fields are touched only on its event loop's thread.
struct Connection {
  explicit Connection(tcp::socket client) : socket(std::move(client)) {}
  tcp::socket socket;
  beast::flat_buffer buffer;
  RequestData request;
  HttpResponse response;
  std::string head;
  // When the read or write under way must have finished; the loop's sweeper
  // closes the socket past it. Cheaper than arming a timer per operation.
  Clock::time_point deadline = kNoDeadline;
  bool busy = false;  // a request has been read and is being answered
};

// One event loop: its thread's io_context, the connections it serves and the
// timer that enforces their deadlines.
struct Loop {
  asio::io_context context{1};
  std::optional<asio::steady_timer> sweeper;
  std::unordered_set<Connection*> connections;
};

void Close(Connection& connection) {
  error_code ec;
  connection.socket.shutdown(tcp::socket::shutdown_both, ec);
  connection.socket.close(ec);
}

}  // namespace

struct HttpServer::Impl {
  Impl(RequestHandler& request_handler, HttpServerOptions server_options)
      : handler(request_handler), options(std::move(server_options)) {
    const int count = std::max(1, options.threads);
    for (int i = 0; i < count; ++i) {
      loops.push_back(std::make_unique<Loop>());
      loops.back()->sweeper.emplace(loops.back()->context);
      guards.emplace_back(loops.back()->context.get_executor());
    }
    // A quarter of the shortest timeout, so a deadline is enforced within 25 % of its length.
    const auto shortest = std::min(options.read_timeout, options.write_timeout);
    sweep_interval = std::clamp<std::chrono::milliseconds>(shortest / 4, std::chrono::milliseconds(5),
                                                           std::chrono::milliseconds(1000));
    asio::io_context& front = loops.front()->context;
    acceptor.emplace(front);
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
      signals.emplace(front, SIGTERM, SIGINT, SIGHUP);
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
      Loop& loop = *loops[next++ % loops.size()];
      tcp::socket socket(loop.context);
      error_code ec;
      co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping.load() || ec == asio::error::operation_aborted) co_return;
        // Out of descriptors or a connection reset before accept: pause, keep serving.
        asio::steady_timer pause(loops.front()->context, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(loop.context, Serve(loop, std::move(socket)), asio::detached);
    }
  }

  // Closes the connections whose read or write is overdue. Ends once the
  // server stops and the loop has no connection left.
  asio::awaitable<void> Sweep(Loop& loop) {
    for (;;) {
      if (stopping.load() && loop.connections.empty()) co_return;
      loop.sweeper->expires_after(sweep_interval);
      error_code ec;
      co_await loop.sweeper->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      const auto now = Clock::now();
      for (Connection* connection : loop.connections) {
        if (connection->deadline <= now) {
          connection->deadline = kNoDeadline;
          Close(*connection);  // the pending read or write completes with an error
        }
      }
    }
  }

  // Sends the connection's response; false when the write failed or timed out.
  asio::awaitable<bool> Write(Connection& connection, unsigned version, bool keep_alive) {
    WriteHead(connection.head, connection.response, version, keep_alive);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(connection.head),
                                                    asio::buffer(connection.response.body)};
    error_code ec;
    connection.deadline = Clock::now() + options.write_timeout;
    co_await asio::async_write(connection.socket, buffers, asio::redirect_error(asio::use_awaitable, ec));
    connection.deadline = kNoDeadline;
    co_return !ec;
  }

  // Reads what the client is still sending (bounded), so that closing the
  // socket does not reset the connection before it has read our answer.
  asio::awaitable<void> Drain(Connection& connection) {
    error_code ec;
    connection.socket.shutdown(tcp::socket::shutdown_send, ec);
    connection.deadline = Clock::now() + std::chrono::seconds(1);
    std::vector<char> sink(64 * 1024);
    size_t total = 0;
    while (total < 16 * 1024 * 1024) {
      const size_t n =
          co_await connection.socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      total += n;
    }
  }

  asio::awaitable<void> Serve(Loop& loop, tcp::socket socket) {
    Connection connection(std::move(socket));
    if (stopping.load()) {
      Close(connection);
      co_return;
    }
    loop.connections.insert(&connection);
    bool drain = false;
    try {
      for (;;) {
        RequestReader reader(connection.request);
        reader.header_limit(kHeaderLimit);
        reader.body_limit(options.max_body);
        error_code ec;
        connection.deadline = Clock::now() + options.read_timeout;
        co_await http::async_read(connection.socket, connection.buffer, reader,
                                  asio::redirect_error(asio::use_awaitable, ec));
        connection.deadline = kNoDeadline;
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
          connection.response =
              ec == http::error::body_limit
                  ? handler.Reject(413, ErrorCode::kInvalidInput,
                                   "request body over the limit of " + std::to_string(options.max_body) + " bytes")
                  : handler.Reject(431, ErrorCode::kInvalidInput, "request headers over 16 KiB");
          co_await Write(connection, 11, false);
          drain = true;
          break;
        }
        const auto& http_category = http::make_error_code(http::error::end_of_stream).category();
        if (ec && ec.category() == http_category && ec != http::error::end_of_stream &&
            ec != http::error::partial_message) {
          // A malformed request: answer 400 once, then close.
          connection.response =
              handler.Reject(400, ErrorCode::kInvalidInput, std::string("malformed HTTP request: ") + ec.message());
          co_await Write(connection, 11, false);
          drain = true;
          break;
        }
        if (ec) break;  // closed by the client, timed out, or closed by Stop()
        connection.busy = true;
        const RequestData& request = connection.request;
        const HttpRequest view{request.method,        request.target,      request.content_type,
                               request.authorization, request.request_key, request.body};
        handler.Handle(view, connection.response);
        const bool keep_alive = reader.keep_alive() && !stopping.load();
        const bool written = co_await Write(connection, request.version, keep_alive);
        connection.busy = false;
        if (!written || !keep_alive || stopping.load()) break;
      }
    } catch (const std::exception& e) {
      // Only allocation failures reach here; the connection ends, the server keeps running.
      std::cerr << "cairn serve: connection dropped: " << e.what() << '\n';
    }
    if (drain) {
      try {
        co_await Drain(connection);
      } catch (const std::exception&) {
      }
    }
    Close(connection);
    loop.connections.erase(&connection);
    if (stopping.load() && loop.connections.empty()) loop.sweeper->cancel();
  }

  void Stop() {
    if (stopping.exchange(true)) return;
    asio::post(loops.front()->context, [this] {
      error_code ec;
      acceptor->close(ec);
      if (signals) signals->cancel(ec);
    });
    for (auto& loop : loops) {
      asio::post(loop->context, [loop = loop.get()] {
        for (Connection* connection : loop->connections) {
          if (!connection->busy) Close(*connection);  // a busy one closes itself after answering
        }
        if (loop->connections.empty()) loop->sweeper->cancel();
      });
    }
    std::lock_guard lock(guard_mutex);
    for (auto& guard : guards) guard.reset();
  }

  RequestHandler& handler;
  HttpServerOptions options;
  std::vector<std::unique_ptr<Loop>> loops;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::mutex guard_mutex;
  std::chrono::milliseconds sweep_interval{1000};
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> threads;
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
  asio::co_spawn(impl_->loops.front()->context, impl_->Accept(), asio::detached);
  for (auto& loop : impl_->loops) {
    asio::co_spawn(loop->context, impl_->Sweep(*loop), asio::detached);
    impl_->threads.emplace_back([&context = loop->context] {
      for (;;) {
        try {
          context.run();
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
