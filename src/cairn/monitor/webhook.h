// Alert delivery to a webhook: each alert's JSON POSTed over plain HTTP/1.1
// from a background thread, retried with exponential backoff, so the caller
// (a monitoring run, later the server) never waits on the receiver.
//
// Retries: on a connection failure, a timeout, 429 or any 5xx, after 250 ms,
// then 500 ms, 1 s, 2 s (five attempts by default); other 4xx answers are final.
// https:// is refused with kUnsupported: cairn does not ship a TLS client for
// this, and alerts to a local relay need none.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cairn::monitor {

struct WebhookTarget {
  std::string url;
  std::string host;
  std::uint16_t port = 80;
  std::string path = "/";
};

// kUnsupported for https://, kInvalidInput naming the URL for anything else
// that is not http://HOST[:PORT][/PATH].
WebhookTarget ParseWebhookUrl(std::string_view url);

// One POST of a JSON body; returns the HTTP status. kIo naming the URL when the
// connection fails, times out or the answer is not HTTP.
int PostJson(const WebhookTarget& target, std::string_view body, std::chrono::milliseconds timeout);

struct WebhookOptions {
  int max_attempts = 5;
  std::chrono::milliseconds first_backoff{250};
  double backoff_factor = 2.0;
  std::chrono::milliseconds timeout{5000};  // per attempt
};

struct DeliveryResult {
  std::string id;  // the alert's
  bool delivered = false;
  int attempts = 0;
  int status = 0;     // the last HTTP status; 0 when no answer came
  std::string error;  // the last failure, when not delivered
};

class WebhookSender {
 public:
  explicit WebhookSender(WebhookTarget target, WebhookOptions options = {});
  // Stops after the attempt in flight; deliveries not finished are dropped
  // (their alerts stay recorded as undelivered).
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Returns at once; the delivery happens on the background thread.
  void Enqueue(std::string id, std::string body);
  // Waits until every enqueued delivery finished or `timeout` passed, then
  // returns (and forgets) the results finished so far.
  std::vector<DeliveryResult> Wait(std::chrono::milliseconds timeout);

 private:
  struct Job {
    std::string id;
    std::string body;
  };
  void Run();
  DeliveryResult Deliver(const Job& job, std::unique_lock<std::mutex>& lock);

  WebhookTarget target_;
  WebhookOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> queue_;
  std::vector<DeliveryResult> results_;
  std::size_t pending_ = 0;  // queued or in flight
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace cairn::monitor
