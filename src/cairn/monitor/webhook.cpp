#include "cairn/monitor/webhook.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::monitor {
namespace {

// Closes the socket on every path out.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

bool Retryable(int status) { return status == 429 || status >= 500; }

}  // namespace

WebhookTarget ParseWebhookUrl(std::string_view url) {
  const std::string shown(url);
  if (StartsWith(url, "https://"))
    ThrowUnsupported("webhook '" + shown + "': https is not supported; point it at an http:// relay");
  if (!StartsWith(url, "http://")) ThrowInvalidInput("webhook '" + shown + "' is not an http:// URL");
  WebhookTarget target;
  target.url = shown;
  std::string_view rest = url.substr(7);
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) target.path = std::string(rest.substr(slash));
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string port(authority.substr(colon + 1));
    char* end = nullptr;
    const long value = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || value < 1 || value > 65535)
      ThrowInvalidInput("webhook '" + shown + "' has port '" + port + "'; expected 1 to 65535");
    target.port = static_cast<std::uint16_t>(value);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) ThrowInvalidInput("webhook '" + shown + "' has no host");
  target.host = std::string(authority);
  return target;
}

int PostJson(const WebhookTarget& target, std::string_view body, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(target.port);
  if (int rc = ::getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    ThrowIo("webhook " + target.url + ": cannot resolve '" + target.host + "': " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);

  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  std::string last_error = "no address";
  for (addrinfo* a = addresses.get(); a; a = a->ai_next) {
    Socket socket(::socket(a->ai_family, a->ai_socktype, a->ai_protocol));
    if (socket.fd() < 0) continue;
    // On Linux the send timeout also bounds connect().
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(socket.fd(), a->ai_addr, a->ai_addrlen) != 0) {
      last_error = std::strerror(errno);
      continue;
    }
    std::string request = "POST " + target.path + " HTTP/1.1\r\nHost: " + target.host + ":" + port +
                          "\r\nUser-Agent: cairn\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    request.append(body);
    for (std::size_t sent = 0; sent < request.size();) {
      const ssize_t n = ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) ThrowIo("webhook " + target.url + ": sending failed: " + std::strerror(errno));
      sent += static_cast<std::size_t>(n);
    }
    // Only the status line matters; read until it is complete.
    std::string answer;
    char buffer[1024];
    while (answer.find("\r\n") == std::string::npos && answer.size() < 8192) {
      const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
      if (n < 0) ThrowIo("webhook " + target.url + ": no answer: " + std::strerror(errno));
      if (n == 0) break;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    if (!StartsWith(answer, "HTTP/1.") || answer.size() < 12)
      ThrowIo("webhook " + target.url + ": the answer is not HTTP");
    const int status = std::atoi(answer.substr(9, 3).c_str());
    if (status < 100 || status > 599) ThrowIo("webhook " + target.url + ": the answer has no status code");
    return status;
  }
  ThrowIo("webhook " + target.url + ": cannot connect: " + last_error);
}

WebhookSender::WebhookSender(WebhookTarget target, WebhookOptions options)
    : target_(std::move(target)), options_(options), worker_([this] { Run(); }) {}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void WebhookSender::Enqueue(std::string id, std::string body) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Job{std::move(id), std::move(body)});
    ++pending_;
  }
  changed_.notify_all();
}

std::vector<DeliveryResult> WebhookSender::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return pending_ == 0; });
  std::vector<DeliveryResult> out = std::move(results_);
  results_.clear();
  return out;
}

void WebhookSender::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    DeliveryResult result = Deliver(job, lock);
    results_.push_back(std::move(result));
    --pending_;
    changed_.notify_all();
  }
}

DeliveryResult WebhookSender::Deliver(const Job& job, std::unique_lock<std::mutex>& lock) {
  DeliveryResult result;
  result.id = job.id;
  auto backoff = options_.first_backoff;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    result.attempts = attempt;
    // The network call runs unlocked so that Enqueue and Wait never block on it.
    lock.unlock();
    try {
      result.status = PostJson(target_, job.body, options_.timeout);
      result.error.clear();
    } catch (const Error& e) {
      result.status = 0;
      result.error = e.what();
    }
    lock.lock();
    if (result.status >= 200 && result.status < 300) {
      result.delivered = true;
      return result;
    }
    if (result.status != 0) result.error = "webhook " + target_.url + " answered " + std::to_string(result.status);
    if ((result.status != 0 && !Retryable(result.status)) || attempt == options_.max_attempts) break;
    if (changed_.wait_for(lock, backoff, [this] { return stopping_; })) break;
    backoff = std::chrono::milliseconds(static_cast<int64_t>(static_cast<double>(backoff.count()) * options_.backoff_factor));
  }
  return result;
}

}  // namespace cairn::monitor
