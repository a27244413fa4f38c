// A/B splits and shadow scoring over sockets, the A/B report on logged
// feedback, and a hot swap of the champion under sustained load.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <thread>

#include "cairn/core/error.h"
#include "cairn/core/json.h"
#include "cairn/serve/ab_report.h"
#include "serve_fixture.h"

namespace cairn::serve::testing {
namespace {

using TrafficTest = ServeFixture;

int64_t LabelOf(const HttpResult& result) { return Json::parse(result.body)["predictions"]["label"][0].get<int64_t>(); }

TEST_F(TrafficTest, AbSplitIsStickyPerKey) {
  ServeOptions options = Options();
  options.challenger = "credit@2";
  options.split = 0.3;
  auto server = Start(options);
  HttpClient client(server->port());
  int challenger = 0;
  const int keys = 300;
  for (int k = 0; k < keys; ++k) {
    const std::string key = "customer-" + std::to_string(k);
    // The key travels in the header for even keys and in the body for odd ones.
    auto send = [&] {
      return k % 2 ? client.PostJson("/invocations", SplitBody(3, 1, 0, key))
                   : client.PostJson("/invocations", SplitBody(3, 1, 0), {{"X-Request-Key", key}});
    };
    HttpResult first = send();
    HttpResult second = send();
    ASSERT_EQ(first.status, 200) << first.body;
    const std::string variant = first.header("x-cairn-variant");
    EXPECT_EQ(second.header("x-cairn-variant"), variant) << key;
    const bool is_challenger = variant == "challenger";
    challenger += is_challenger;
    EXPECT_EQ(first.header("x-cairn-model"), is_challenger ? "credit@2" : "credit@1");
    EXPECT_EQ(LabelOf(first), ExpectedLabel(3, 1, 0, is_challenger));
    EXPECT_EQ(TrafficRouter(0.3).Choose(key) == Variant::kChallenger, is_challenger) << key;
  }
  EXPECT_NEAR(challenger / static_cast<double>(keys), 0.3, 0.08);
}

TEST_F(TrafficTest, AbReportComparesVariantsOnFeedback) {
  ServeOptions options = Options();
  options.challenger = "credit@2";
  options.split = 0.5;
  auto server = Start(options);
  HttpClient client(server->port());
  Json feedback = Json::array();
  for (int k = 0; k < 200; ++k) {
    const double a = (k % 7) - 3.0, b = (k % 5) - 2.0, c = 1.0;
    HttpResult result = client.PostJson("/invocations", SplitBody(a, b, c, "k" + std::to_string(k)));
    ASSERT_EQ(result.status, 200);
    // The truth follows version 1 (except on one row in ten), so the challenger loses.
    int64_t truth = ExpectedLabel(a, b, c);
    if (k % 10 == 0) truth = 1 - truth;
    feedback.push_back({{"request_id", result.header("x-request-id")}, {"labels", {truth}}});
  }
  ASSERT_EQ(client.PostJson("/feedback", Json{{"feedback", feedback}}.dump()).status, 202);
  server->Stop();
  server->Wait();
  auto store = OpenStore();
  AbReport report = BuildAbReport(store->predictions(), "credit");
  ASSERT_EQ(report.variants.size(), 2u);
  EXPECT_EQ(report.variants[0].variant, "champion");
  EXPECT_EQ(report.variants[1].variant, "challenger");
  EXPECT_EQ(report.variants[0].rows + report.variants[1].rows, 200);
  EXPECT_GT(report.variants[0].accuracy, 0.8);
  EXPECT_LT(report.variants[1].accuracy, 0.5);
  ASSERT_EQ(report.comparisons.size(), 1u);
  EXPECT_EQ(report.comparisons[0].test, "two_proportion_z");
  EXPECT_EQ(report.comparisons[0].verdict, "worse");
  EXPECT_LT(report.comparisons[0].p_value, 1e-6);
  EXPECT_THROW(BuildAbReport(store->predictions(), "fraud"), cairn::Error);

  // The same report from the command line.
  const char* binary = std::getenv("CAIRN_BIN");
  if (!binary) return;
  const std::string command =
      "cd '" + workspace_.dir().string() + "' && '" + binary + "' --json models ab-report credit 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[4096];
  while (size_t n = fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, n);
  EXPECT_EQ(pclose(pipe), 0) << output;
  Json json = Json::parse(output, nullptr, false);
  ASSERT_TRUE(json.is_object()) << output;
  EXPECT_EQ(json["comparisons"][0]["verdict"], "worse");
  EXPECT_EQ(json["variants"][1]["variant"], "challenger");
}

TEST_F(TrafficTest, ShadowScoresEveryRequestAndIsLoggedNotReturned) {
  ServeOptions options = Options();
  options.shadow = "credit@2";
  auto server = Start(options);
  HttpClient client(server->port());
  std::vector<std::string> ids;
  Json feedback = Json::array();
  for (int i = 0; i < 40; ++i) {
    const double a = i % 5, b = 2, c = 0;
    HttpResult result = client.PostJson("/invocations", SplitBody(a, b, c));
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.header("x-cairn-variant"), "champion");
    EXPECT_EQ(LabelOf(result), ExpectedLabel(a, b, c));
    ids.push_back(result.header("x-request-id"));
    feedback.push_back({{"request_id", ids.back()}, {"label", ExpectedLabel(a, b, c, true)}});
  }
  ASSERT_EQ(client.PostJson("/feedback", Json{{"feedback", feedback}}.dump()).status, 202);
  server->Stop();
  server->Wait();
  auto store = OpenStore();
  auto& log = store->predictions();
  EXPECT_EQ(log.CountPredictions("credit", "champion"), 40);
  EXPECT_EQ(log.CountPredictions("credit", "shadow"), 40);
  for (int i = 0; i < 40; ++i) {
    auto shadow = log.FindPrediction(ids[static_cast<size_t>(i)], "shadow");
    ASSERT_TRUE(shadow.has_value()) << i;
    EXPECT_EQ(shadow->model_version, 2);
    EXPECT_EQ(Json::parse(shadow->labels)[0], ExpectedLabel(i % 5, 2, 0, true));
  }
  // Paired comparison: the truth follows the shadow here.
  AbReport report = BuildAbReport(log, "credit");
  ASSERT_EQ(report.comparisons.size(), 1u);
  EXPECT_EQ(report.comparisons[0].test, "mcnemar");
  EXPECT_EQ(report.comparisons[0].rows, 40);
  EXPECT_EQ(report.comparisons[0].verdict, "better");
}

double SwapSeconds() {
  const char* text = std::getenv("CAIRN_SERVE_SWAP_SECONDS");
  return text ? std::atof(text) : 6.0;
}

// Sustained load from several connections while the champion alias moves
// twice: every response is a 200, and the new version takes over.
TEST_F(TrafficTest, HotSwapUnderLoadDropsNoRequest) {
  ServeOptions options = Options();
  options.poll_interval = std::chrono::milliseconds(100);
  options.threads = 2;
  auto server = Start(options);
  const double seconds = SwapSeconds();
  std::atomic<bool> done{false};
  std::atomic<int64_t> total{0}, failures{0};
  std::atomic<int64_t> seen_v1{0}, seen_v2{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      HttpClient client(server->port());
      int i = 0;
      while (!done.load()) {
        const double a = (i++ % 9) - 4.0;
        HttpResult result = client.PostJson("/invocations", SplitBody(a, t, 1));
        ++total;
        if (result.status != 200) {
          ++failures;
          continue;
        }
        const bool v2 = result.header("x-cairn-model") == "credit@2";
        (v2 ? seen_v2 : seen_v1)++;
        if (LabelOf(result) != ExpectedLabel(a, t, 1, v2)) ++failures;
      }
    });
  }
  auto sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  sleep(seconds / 3);
  workspace_.SetAlias("credit", "champion", v2_);
  sleep(seconds / 3);
  const int64_t v2_before_swap_back = seen_v2.load();
  workspace_.SetAlias("credit", "champion", v1_);
  sleep(seconds / 3);
  done = true;
  for (auto& client : clients) client.join();
  EXPECT_EQ(failures.load(), 0) << "of " << total.load();
  EXPECT_GT(v2_before_swap_back, 0);
  EXPECT_GT(seen_v1.load(), 0);
  HttpClient client(server->port());
  EXPECT_EQ(client.PostJson("/invocations", SplitBody(1, 2, 3)).header("x-cairn-model"), "credit@1");
  std::map<std::string, PromFamily> families;
  ASSERT_EQ(ParsePrometheus(client.Get("/metrics").body, families), "");
  EXPECT_EQ(SumSamples(families, "cairn_model_swaps_total", "cairn_model_swaps_total"), 2);
  EXPECT_EQ(SumSamples(families, "cairn_requests_total", "cairn_requests_total", {{"route", "/invocations"}, {"code", "200"}}),
            total.load() + 1);
  std::cout << "hot swap: " << total.load() << " requests in " << seconds << " s, " << failures.load()
            << " not 200\n";
}

}  // namespace
}  // namespace cairn::serve::testing
