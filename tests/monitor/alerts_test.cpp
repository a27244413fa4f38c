// Alert rules, webhook delivery to a tiny HTTP listener, and the monitoring store.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "cairn/core/error.h"
#include "cairn/monitor/alert_rules.h"
#include "cairn/monitor/webhook.h"
#include "cairn/store/store.h"

namespace cairn::monitor {
namespace {

DriftReport SampleReport() {
  DriftReport report;
  report.features_tested = 4;
  report.features_drifted = 2;
  report.drift_share = 0.5;
  FeatureDrift income;
  income.feature = "income";
  income.method = "ks";
  income.statistic = 0.2;
  income.drift = true;
  FeatureDrift age = income;
  age.feature = "age";
  FeatureDrift region = income;
  region.feature = "region";
  region.drift = false;
  report.features = {income, age, region};
  return report;
}

TEST(AlertRules, EachRuleFiresOnlyWhenItsConditionHolds) {
  DriftReport report = SampleReport();
  auto fired = [&](AlertRule rule, const ServingStats& serving = {}) {
    return EvaluateAlertRules({rule}, report, serving);
  };
  EXPECT_EQ(fired({AlertRuleKind::kDriftShare, 0.5, Severity::kCritical, {}}).size(), 1u);
  EXPECT_TRUE(fired({AlertRuleKind::kDriftShare, 0.6, Severity::kCritical, {}}).empty());
  auto share = fired({AlertRuleKind::kDriftShare, 0.5, Severity::kCritical, {}});
  EXPECT_EQ(share[0].message, "dataset drift: 2 of 4 features drifted (share 0.5 >= 0.5)");
  EXPECT_EQ(share[0].severity, Severity::kCritical);
  EXPECT_EQ(ToJson(share[0])["severity"], "critical");

  auto any = fired({AlertRuleKind::kFeatureDrift, 0, Severity::kWarning, {}});
  ASSERT_EQ(any.size(), 1u);
  EXPECT_EQ(any[0].message, "feature drift in 2 features: income (ks 0.2), age (ks 0.2)");
  EXPECT_EQ(fired({AlertRuleKind::kFeatureDrift, 0, Severity::kInfo, std::string("age")}).size(), 1u);
  EXPECT_TRUE(fired({AlertRuleKind::kFeatureDrift, 0, Severity::kInfo, std::string("region")}).empty());

  EXPECT_TRUE(fired({AlertRuleKind::kMetricDrop, 0.02, Severity::kCritical, {}}).empty());  // no labels yet
  report.performance = PerformanceResult{"roc_auc", 0.90, 0.85, 0.02, true, 100};
  EXPECT_EQ(fired({AlertRuleKind::kMetricDrop, 0.02, Severity::kCritical, {}}).size(), 1u);
  EXPECT_TRUE(fired({AlertRuleKind::kMetricDrop, 0.1, Severity::kCritical, {}}).empty());
  report.performance = PerformanceResult{"log_loss", 0.30, 0.40, 0.02, true, 100};  // lower is better
  EXPECT_EQ(fired({AlertRuleKind::kMetricDrop, 0.05, Severity::kCritical, {}}).size(), 1u);
  report.performance = PerformanceResult{"log_loss", 0.40, 0.30, 0.02, false, 100};
  EXPECT_TRUE(fired({AlertRuleKind::kMetricDrop, 0.05, Severity::kCritical, {}}).empty());

  EXPECT_TRUE(fired({AlertRuleKind::kLatencyP99, 250, Severity::kWarning, {}}).empty());  // no serving stats
  EXPECT_EQ(fired({AlertRuleKind::kLatencyP99, 250, Severity::kWarning, {}}, {300.0, std::nullopt}).size(), 1u);
  EXPECT_TRUE(fired({AlertRuleKind::kLatencyP99, 250, Severity::kWarning, {}}, {200.0, std::nullopt}).empty());
  EXPECT_EQ(fired({AlertRuleKind::kErrorRate, 0.01, Severity::kCritical, {}}, {std::nullopt, 0.05}).size(), 1u);
  EXPECT_TRUE(fired({AlertRuleKind::kErrorRate, 0.01, Severity::kCritical, {}}, {std::nullopt, 0.001}).empty());
}

// Answers each POST with the next status of `statuses` (the last one repeats)
// and keeps the bodies it received.
class HttpListener {
 public:
  explicit HttpListener(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpListener() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }

 private:
  void Serve() {
    while (!stop_) {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      size_t expected = std::string::npos;
      while (true) {
        ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
        size_t end = request.find("\r\n\r\n");
        if (end != std::string::npos && expected == std::string::npos) {
          size_t cl = request.find("Content-Length: ");
          expected = end + 4 + std::stoul(request.substr(cl + 16));
        }
        if (expected != std::string::npos && request.size() >= expected) break;
      }
      int status;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        status = statuses_[std::min(count_, statuses_.size() - 1)];
        ++count_;
        bodies_.push_back(request.substr(request.find("\r\n\r\n") + 4));
      }
      std::string answer = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
      ::close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::vector<int> statuses_;
  size_t count_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::thread thread_;
};

WebhookOptions Fast() {
  WebhookOptions options;
  options.first_backoff = std::chrono::milliseconds(20);
  options.timeout = std::chrono::milliseconds(2000);
  return options;
}

TEST(Webhook, RetriesOnServerErrorsThenDelivers) {
  HttpListener listener({500, 503, 200});
  WebhookSender sender(ParseWebhookUrl("http://127.0.0.1:" + std::to_string(listener.port()) + "/alerts"), Fast());
  const auto start = std::chrono::steady_clock::now();
  sender.Enqueue("a1", R"({"rule":"drift_share"})");
  // Enqueue returns at once: the delivery happens on the sender's thread.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(15));
  auto results = sender.Wait(std::chrono::seconds(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].delivered);
  EXPECT_EQ(results[0].attempts, 3);
  EXPECT_EQ(results[0].status, 200);
  auto bodies = listener.bodies();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[2], R"({"rule":"drift_share"})");
}

TEST(Webhook, GivesUpOnClientErrorsAndAfterTheLastAttempt) {
  HttpListener refusing({404});
  WebhookSender sender(ParseWebhookUrl("http://127.0.0.1:" + std::to_string(refusing.port()) + "/"), Fast());
  sender.Enqueue("a", "{}");
  auto results = sender.Wait(std::chrono::seconds(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].delivered);
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_NE(results[0].error.find("404"), std::string::npos);

  HttpListener failing({500});
  WebhookOptions options = Fast();
  options.max_attempts = 3;
  WebhookSender retrying(ParseWebhookUrl("http://localhost:" + std::to_string(failing.port())), options);
  retrying.Enqueue("b", "{}");
  results = retrying.Wait(std::chrono::seconds(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].delivered);
  EXPECT_EQ(results[0].attempts, 3);
}

TEST(Webhook, UrlsAndUnreachableTargets) {
  auto target = ParseWebhookUrl("http://127.0.0.1:9000/hooks/cairn");
  EXPECT_EQ(target.host, "127.0.0.1");
  EXPECT_EQ(target.port, 9000);
  EXPECT_EQ(target.path, "/hooks/cairn");
  EXPECT_EQ(ParseWebhookUrl("http://example.org").port, 80);
  try {
    ParseWebhookUrl("https://hooks.example.org/x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  }
  EXPECT_THROW(ParseWebhookUrl("http://host:99999/"), Error);
  EXPECT_THROW(ParseWebhookUrl("ftp://host/"), Error);
  EXPECT_THROW(ParseWebhookUrl("http://:80/"), Error);
  // Nothing listens on port 1: a connection failure, retried, then reported.
  WebhookOptions options = Fast();
  options.max_attempts = 2;
  WebhookSender sender(ParseWebhookUrl("http://127.0.0.1:1/"), options);
  sender.Enqueue("x", "{}");
  auto results = sender.Wait(std::chrono::seconds(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].delivered);
  EXPECT_EQ(results[0].status, 0);
  EXPECT_NE(results[0].error.find("cannot connect"), std::string::npos) << results[0].error;
}

TEST(MonitorStore, ReportsAlertsAndDeliveriesAreStoredAndAudited) {
  store::Store store(":memory:");
  auto monitoring = store.monitoring();
  store::NewMonitorReport spec;
  spec.model_name = "credit-data";
  spec.data_ref = "credit@2";
  spec.reference_ref = "credit@1";
  spec.report = Json{{"drift_share", 0.6}};
  spec.dataset_drift = true;
  spec.drift_share = 0.6;
  spec.alerts = {{"drift_share", "critical", "dataset drift", Json{{"x", 1}}},
                 {"feature_drift", "warning", "income drifted", Json::object()}};
  auto recorded = monitoring.RecordReport(spec);
  ASSERT_EQ(recorded.alerts.size(), 2u);
  spec.dataset_drift = false;
  spec.alerts.clear();
  auto second = monitoring.RecordReport(spec);

  auto reports = monitoring.ListReports("credit-data");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(monitoring.ListReports("credit-data", 1).size(), 1u);
  EXPECT_EQ(monitoring.GetReport(recorded.report.id.substr(0, 10)).id, recorded.report.id);
  EXPECT_TRUE(monitoring.GetReport(recorded.report.id).dataset_drift);
  EXPECT_EQ(monitoring.GetReport(recorded.report.id).report["drift_share"], 0.6);
  EXPECT_THROW(monitoring.GetReport("ffffffffff"), Error);
  EXPECT_THROW(monitoring.GetReport("ab"), Error);
  EXPECT_TRUE(monitoring.ListReports("other").empty());

  auto alerts = monitoring.ListAlerts("credit-data");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(monitoring.ListReportAlerts(recorded.report.id).size(), 2u);
  EXPECT_TRUE(monitoring.ListReportAlerts(second.report.id).empty());
  monitoring.RecordAlertDelivery(recorded.alerts[0].id, true, 3, "");
  monitoring.RecordAlertDelivery(recorded.alerts[1].id, false, 5, "webhook answered 500");
  for (const auto& a : monitoring.ListAlerts("credit-data")) {
    if (a.id == recorded.alerts[0].id) {
      EXPECT_TRUE(a.delivered);
      EXPECT_EQ(a.attempts, 3);
    } else {
      EXPECT_FALSE(a.delivered);
      EXPECT_EQ(a.delivery_error, "webhook answered 500");
    }
  }
  EXPECT_THROW(monitoring.RecordAlertDelivery("nope", true, 1, ""), Error);
  store::NewMonitorReport bad = spec;
  bad.alerts = {{"drift_share", "loud", "x", Json::object()}};
  EXPECT_THROW(monitoring.RecordReport(bad), Error);

  std::vector<std::string> actions;
  for (const auto& e : store.ListAuditEvents()) actions.push_back(e.action);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "monitor.report.create"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "alert.create"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "alert.delivery"), 2);
  EXPECT_TRUE(store.VerifyAuditChain().ok);
}

TEST(MonitorStore, SchedulesAreDueWhenNewThenEveryInterval) {
  store::Store store(":memory:");
  auto monitoring = store.monitoring();
  store::MonitorSchedule spec;
  spec.model_name = "credit-risk";
  spec.every_seconds = 3600;
  spec.data_ref = "credit";
  auto schedule = monitoring.SetSchedule(spec);
  const int64_t hour = 3600LL * 1000000;
  const int64_t t0 = schedule.created_at;
  ASSERT_EQ(monitoring.DueSchedules(t0).size(), 1u);  // never ran: due at once
  auto ran = monitoring.MarkScheduleRun("credit-risk", t0 + 10);
  EXPECT_EQ(*ran.last_run_at, t0 + 10);
  EXPECT_EQ(ran.next_due_at, t0 + hour);
  EXPECT_TRUE(monitoring.DueSchedules(t0 + hour - 1).empty());
  EXPECT_EQ(monitoring.DueSchedules(t0 + hour).size(), 1u);
  // A daemon that slept through five intervals runs once and lands on the grid.
  ran = monitoring.MarkScheduleRun("credit-risk", t0 + 5 * hour + 30);
  EXPECT_EQ(ran.next_due_at, t0 + 6 * hour);
  EXPECT_TRUE(monitoring.DueSchedules(t0 + 6 * hour - 1).empty());

  spec.model_name = "fraud";
  spec.every_seconds = 86400;
  monitoring.SetSchedule(spec);
  EXPECT_EQ(monitoring.ListSchedules().size(), 2u);
  EXPECT_EQ(monitoring.DueSchedules(t0 + 6 * hour - 1).size(), 1u);  // the new one
  // Setting again replaces the schedule and makes it due at once.
  spec.model_name = "credit-risk";
  spec.every_seconds = 7200;
  auto replaced = monitoring.SetSchedule(spec);
  EXPECT_FALSE(replaced.last_run_at);
  EXPECT_EQ(monitoring.ListSchedules()[0].every_seconds, 7200);
  monitoring.DeleteSchedule("fraud");
  EXPECT_THROW(monitoring.DeleteSchedule("fraud"), Error);
  EXPECT_THROW(monitoring.MarkScheduleRun("fraud", t0), Error);
  spec.every_seconds = 10;
  EXPECT_THROW(monitoring.SetSchedule(spec), Error);
  EXPECT_TRUE(store.VerifyAuditChain().ok);
}

}  // namespace
}  // namespace cairn::monitor
