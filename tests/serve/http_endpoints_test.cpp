// Every endpoint and every error status over real sockets on 127.0.0.1, and
// /metrics read back with a strict Prometheus text parser.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <random>
#include <thread>

#include "cairn/core/json.h"
#include "cairn/serve/request_handler.h"
#include "serve_fixture.h"

namespace cairn::serve::testing {
namespace {

using EndpointsTest = ServeFixture;

TEST_F(EndpointsTest, HealthVersionAndMetadata) {
  auto server = Start(Options());
  HttpClient client(server->port());
  for (const char* path : {"/health", "/ping", "/v2/health/live", "/v2/health/ready", "/ready"}) {
    EXPECT_EQ(client.Get(path).status, 200) << path;
  }
  Json version = Json::parse(client.Get("/version").body);
  EXPECT_EQ(version["model"], "credit");
  EXPECT_EQ(version["version"], "1");
  EXPECT_EQ(version["ref"], "credit@champion");

  HttpResult metadata = client.Get("/v2/models/credit");
  ASSERT_EQ(metadata.status, 200) << metadata.body;
  Json meta = Json::parse(metadata.body);
  EXPECT_EQ(meta["name"], "credit");
  EXPECT_EQ(meta["versions"], Json::array({"1"}));
  EXPECT_EQ(meta["inputs"][0], Json::parse(R"({"name": "X", "datatype": "FP32", "shape": [-1, 3]})"));
  EXPECT_EQ(meta["outputs"][0]["name"], "label");
  EXPECT_EQ(meta["parameters"]["feature_order"], Json::array({"a", "b", "c"}));

  EXPECT_EQ(client.Get("/v2/models/other").status, 404);
  HttpResult ready = client.Get("/v2/models/credit/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(Json::parse(ready.body), Json::parse(R"({"name": "credit", "ready": true})"));
  HttpResult not_ready = client.Get("/v2/models/other/ready");
  EXPECT_EQ(not_ready.status, 404);
  EXPECT_NE(not_ready.body.find("no model 'other' is served here"), std::string::npos) << not_ready.body;
  EXPECT_EQ(client.PostJson("/v2/models/credit/ready", "{}").status, 405);
  HttpResult missing = client.Get("/no/such/route");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json::parse(missing.body)["error_code"], "not_found");
  EXPECT_EQ(client.Get("/invocations").status, 405);
  EXPECT_EQ(client.Request("DELETE", "/health").status, 405);
}

TEST_F(EndpointsTest, InvocationsInEveryFormat) {
  auto server = Start(Options());
  HttpClient client(server->port());
  const int64_t first = ExpectedLabel(1, 2, 3), second = ExpectedLabel(4, 1, 0);
  const std::vector<std::string> bodies{
      R"({"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2, 3], [4, 1, 0]]}})",
      R"({"dataframe_records": [{"a": 1, "b": 2, "c": 3}, {"a": 4, "b": 1, "c": 0}]})",
      R"({"instances": [[1, 2, 3], [4, 1, 0]]})",
      R"({"inputs": {"X": [[1, 2, 3], [4, 1, 0]]}})",
  };
  for (const auto& body : bodies) {
    HttpResult result = client.PostJson("/invocations", body);
    ASSERT_EQ(result.status, 200) << body << " -> " << result.body;
    Json json = Json::parse(result.body);
    EXPECT_EQ(json["predictions"]["label"], Json::array({first, second})) << result.body;
    EXPECT_EQ(result.header("x-request-id").size(), 32u);
    EXPECT_EQ(result.header("x-cairn-model"), "credit@1");
    EXPECT_EQ(result.header("x-cairn-variant"), "champion");
  }
  HttpResult csv = client.Request("POST", "/invocations", "a,b,c\n1,2,3\n4,1,0\n", {{"Content-Type", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(Json::parse(csv.body)["predictions"]["label"], Json::array({first, second}));
  HttpResult utf8 = client.Request("POST", "/invocations", "a,b,c\n1,2,3\n", {{"Content-Type", "text/csv; charset=UTF-8"}});
  EXPECT_EQ(utf8.status, 200) << utf8.body;
}

TEST_F(EndpointsTest, KserveInfer) {
  auto server = Start(Options());
  HttpClient client(server->port());
  HttpResult result = client.PostJson(
      "/v2/models/credit/infer",
      R"({"id": "abc", "inputs": [{"name": "X", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2, 3], [4, 1, 0]]}]})");
  ASSERT_EQ(result.status, 200) << result.body;
  Json json = Json::parse(result.body);
  EXPECT_EQ(json["model_name"], "credit");
  EXPECT_EQ(json["model_version"], "1");
  EXPECT_EQ(json["id"], "abc");
  EXPECT_EQ(json["outputs"][0]["name"], "label");
  EXPECT_EQ(json["outputs"][0]["shape"], Json::array({2}));
  EXPECT_EQ(json["outputs"][0]["data"], Json::array({ExpectedLabel(1, 2, 3), ExpectedLabel(4, 1, 0)}));
  EXPECT_EQ(json["outputs"][1]["datatype"], "FP32");
  HttpResult unknown = client.PostJson("/v2/models/fraud/infer", R"({"inputs": []})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("fraud"), std::string::npos);
  EXPECT_EQ(client.PostJson("/v2/models/credit/infer", R"({"inputs": [{"name": "X"}]})").status, 400);
}

TEST_F(EndpointsTest, BadRequestsGetTheirStatus) {
  ServeOptions options = Options();
  options.max_body = 4096;
  auto server = Start(options);
  HttpClient client(server->port());
  auto expect = [&](const HttpResult& result, int status, const std::string& code, const std::string& fragment) {
    EXPECT_EQ(result.status, status) << result.body;
    Json json = Json::parse(result.body, nullptr, false);
    ASSERT_TRUE(json.is_object()) << result.body;
    EXPECT_EQ(json["error_code"], code) << result.body;
    EXPECT_NE(json["message"].get<std::string>().find(fragment), std::string::npos) << result.body;
  };
  expect(client.PostJson("/invocations", "{\"instances\": [[1, 2"), 400, "invalid_input", "malformed JSON");
  expect(client.PostJson("/invocations", R"({"dataframe_records": [{"a": 1, "b": 2, "income": 3}]})"), 400,
         "invalid_input", "column 'income': unknown feature");
  expect(client.PostJson("/invocations", R"({"dataframe_records": [{"a": 1, "b": 2}]})"), 400, "invalid_input",
         "missing feature 'c'");
  expect(client.PostJson("/invocations", R"({"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2]]}})"),
         400, "invalid_input", "dataframe_split.data[0]: expected 3 values");
  expect(client.PostJson("/invocations", R"({"instances": [[1, 2, 3, 4]]})"), 400, "invalid_input", "X");
  expect(client.PostJson("/invocations", R"({"dataframe_records": [{"a": "x", "b": 2, "c": 3}]})"), 400,
         "invalid_input", "column 'a'");
  expect(client.Request("POST", "/invocations", "{}", {{"Content-Type", "application/json; charset=latin-1"}}), 415,
         "unsupported", "charset 'latin-1'");
  expect(client.Request("POST", "/invocations", "{}", {{"Content-Type", "application/xml"}}), 415, "unsupported",
         "application/xml");
  // Over the body limit: 413, and the connection is closed after the answer.
  const std::string big = R"({"instances": [)" + std::string(8000, ' ') + "[1, 2, 3]]}";
  expect(client.PostJson("/invocations", big), 413, "invalid_input", "over the limit of 4096 bytes");
  // The server keeps serving.
  EXPECT_EQ(client.PostJson("/invocations", SplitBody(1, 2, 3)).status, 200);
  // A request line that is not HTTP.
  HttpClient raw(server->port());
  EXPECT_EQ(raw.Raw("GARBAGE\r\n\r\n").status, 400);
}

TEST_F(EndpointsTest, TokensScopesAndUnauthenticatedProbes) {
  ServeOptions options = Options();
  options.token_file = workspace_.WriteFile("tokens.txt", "predictor predict\nops metrics,admin\nall\n").string();
  auto server = Start(options);
  HttpClient client(server->port());
  const std::string body = SplitBody(1, 2, 3);
  HttpResult none = client.PostJson("/invocations", body);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(client.PostJson("/invocations", body, {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(client.PostJson("/invocations", body, {{"Authorization", "Bearer ops"}}).status, 403);
  EXPECT_EQ(client.PostJson("/invocations", body, {{"Authorization", "Bearer predictor"}}).status, 200);
  EXPECT_EQ(client.PostJson("/invocations", body, {{"Authorization", "Bearer all"}}).status, 200);
  EXPECT_EQ(client.Get("/metrics", {{"Authorization", "Bearer predictor"}}).status, 403);
  EXPECT_EQ(client.Get("/metrics", {{"Authorization", "Bearer ops"}}).status, 200);
  EXPECT_EQ(client.Get("/metrics").status, 401);
  EXPECT_EQ(client.PostJson("/feedback", R"({"request_id": "x", "label": 1})", {{"Authorization", "Bearer predictor"}})
                .status,
            403);
  EXPECT_EQ(client.PostJson("/admin/reload", "", {{"Authorization", "Bearer ops"}}).status, 202);
  EXPECT_EQ(client.Get("/health").status, 200);  // probes need no token
}

TEST_F(EndpointsTest, OverloadAnswers503WithRetryAfter) {
  ServeOptions options = Options();
  options.max_inflight = 2;
  auto server = Start(options);
  HttpClient client(server->port());
  ASSERT_TRUE(server->handler().TryAdmit());
  ASSERT_TRUE(server->handler().TryAdmit());
  HttpResult busy = client.PostJson("/invocations", SplitBody(1, 2, 3));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.header("retry-after"), "1");
  EXPECT_EQ(Json::parse(busy.body)["error_code"], "io");
  EXPECT_EQ(client.Get("/health").status, 200);  // probes are not limited
  server->handler().Release();
  EXPECT_EQ(client.PostJson("/invocations", SplitBody(1, 2, 3)).status, 200);
  server->handler().Release();
}

TEST_F(EndpointsTest, SlowClientsTimeOut) {
  ServeOptions options = Options();
  options.read_timeout = std::chrono::milliseconds(300);
  auto server = Start(options);
  HttpClient slow(server->port());
  ASSERT_TRUE(slow.Connect());
  const std::string partial = "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"inst";
  ASSERT_EQ(::send(slow.fd(), partial.data(), partial.size(), MSG_NOSIGNAL), static_cast<ssize_t>(partial.size()));
  const auto start = std::chrono::steady_clock::now();
  char byte;
  const ssize_t n = ::recv(slow.fd(), &byte, 1, 0);  // blocks until the server closes
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(n, 0);
  EXPECT_LT(waited, 3.0);
  EXPECT_GT(waited, 0.2);
  HttpClient fast(server->port());
  EXPECT_EQ(fast.PostJson("/invocations", SplitBody(1, 2, 3)).status, 200);
}

TEST_F(EndpointsTest, TakenPortIsRefused) {
  auto first = Start(Options());
  ServeOptions options = Options();
  options.port = first->port();
  try {
    Server second(options);
    FAIL() << "a second server bound the same port";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first->port())), std::string::npos) << e.what();
  }
}

TEST_F(EndpointsTest, UnknownModelReferenceIsNotFound) {
  try {
    Server server(Options("fraud@champion"));
    FAIL() << "an unknown model was served";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST_F(EndpointsTest, PredictionLogAndFeedback) {
  ServeOptions options = Options();
  options.pii = {"b"};
  auto server = Start(options);
  HttpClient client(server->port());
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    HttpResult result = client.PostJson("/invocations", SplitBody(i, 2, 1));
    ASSERT_EQ(result.status, 200);
    ids.push_back(result.header("x-request-id"));
  }
  HttpResult feedback = client.PostJson("/feedback", Json{{"request_id", ids[0]}, {"labels", {1}}}.dump());
  EXPECT_EQ(feedback.status, 202) << feedback.body;
  feedback = client.PostJson(
      "/feedback", Json{{"feedback", {{{"request_id", ids[1]}, {"label", 0}}, {{"request_id", ids[2]}, {"label", 1}}}}}.dump());
  EXPECT_EQ(Json::parse(feedback.body)["accepted"], 2);
  EXPECT_EQ(client.PostJson("/feedback", R"({"labels": [1]})").status, 400);
  EXPECT_EQ(client.PostJson("/feedback", R"({"request_id": "x"})").status, 400);
  server->Stop();
  server->Wait();

  auto store = OpenStore();
  auto& log = store->predictions();
  EXPECT_EQ(log.CountPredictions("credit", "champion"), 20);
  auto record = log.FindPrediction(ids[5], "champion");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->model_version, 1);
  EXPECT_EQ(record->row_count, 1);
  Json inputs = Json::parse(record->inputs);
  EXPECT_EQ(inputs["a"], Json::array({5.0}));
  EXPECT_EQ(inputs["c"], Json::array({1.0}));
  // Personal data is stored hashed, never raw.
  ASSERT_TRUE(inputs["b"][0].is_string());
  EXPECT_EQ(inputs["b"][0].get<std::string>().rfind("sha256:", 0), 0u);
  EXPECT_EQ(record->inputs.find("\"b\":[2"), std::string::npos);
  EXPECT_EQ(Json::parse(record->labels), Json::array({ExpectedLabel(5, 2, 1)}));
  EXPECT_TRUE(Json::parse(record->outputs).contains("probabilities"));
  EXPECT_EQ(log.ListFeedback().size(), 3u);
  EXPECT_EQ(log.ListLabeledPredictions("credit").size(), 3u);
  // The window written at shutdown summarises the features, hashed ones by count only.
  auto windows = log.ListWindows("credit");
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].predictions, 20);
  EXPECT_EQ(windows[0].features["a"]["kind"], "numeric");
  EXPECT_DOUBLE_EQ(windows[0].features["a"]["mean"].get<double>(), 9.5);
  EXPECT_EQ(windows[0].features["a"]["sample"].size(), 20u);
  EXPECT_EQ(windows[0].features["b"]["kind"], "hashed");
  EXPECT_FALSE(windows[0].features["b"].contains("sample"));
}

TEST_F(EndpointsTest, MetricsParseStrictlyAndCountEveryRequest) {
  auto server = Start(Options());
  HttpClient client(server->port());
  const int good = 25, bad = 7, health = 3;
  for (int i = 0; i < good; ++i) ASSERT_EQ(client.PostJson("/invocations", SplitBody(i, 1, 2)).status, 200);
  for (int i = 0; i < bad; ++i) ASSERT_EQ(client.PostJson("/invocations", "{").status, 400);
  for (int i = 0; i < health; ++i) ASSERT_EQ(client.Get("/health").status, 200);
  ASSERT_EQ(client.PostJson("/v2/models/credit/infer",
                            R"({"inputs": [{"name": "X", "shape": [3, 3], "datatype": "FP32", "data": [1,2,3,4,5,6,7,8,9]}]})")
                .status,
            200);
  HttpResult metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  std::map<std::string, PromFamily> families;
  ASSERT_EQ(ParsePrometheus(metrics.body, families), "") << metrics.body;
  for (const char* family : {"cairn_requests_total", "cairn_request_duration_seconds", "cairn_predictions_total",
                             "cairn_model_info", "process_cpu_seconds_total", "process_resident_memory_bytes"}) {
    EXPECT_TRUE(families.count(family)) << family;
  }
  EXPECT_EQ(families["cairn_request_duration_seconds"].type, "histogram");
  EXPECT_EQ(SumSamples(families, "cairn_requests_total", "cairn_requests_total",
                       {{"route", "/invocations"}, {"code", "200"}, {"model", "credit"}, {"variant", "champion"}}),
            good);
  EXPECT_EQ(SumSamples(families, "cairn_requests_total", "cairn_requests_total", {{"route", "/invocations"}, {"code", "400"}}),
            bad);
  EXPECT_EQ(SumSamples(families, "cairn_requests_total", "cairn_requests_total", {{"route", "/health"}}), health);
  EXPECT_EQ(SumSamples(families, "cairn_requests_total", "cairn_requests_total", {{"route", "/v2/models/{name}/infer"}}), 1);
  EXPECT_EQ(SumSamples(families, "cairn_request_duration_seconds", "cairn_request_duration_seconds_count",
                       {{"route", "/invocations"}}),
            good + bad);
  EXPECT_EQ(SumSamples(families, "cairn_predictions_total", "cairn_predictions_total",
                       {{"model", "credit"}, {"version", "1"}, {"variant", "champion"}}),
            good + 3);
  EXPECT_EQ(SumSamples(families, "cairn_model_info", "cairn_model_info", {{"variant", "champion"}, {"version", "1"}}), 1);
  EXPECT_GT(SumSamples(families, "process_resident_memory_bytes", "process_resident_memory_bytes"), 1e6);
  // The parser itself refuses what Prometheus would refuse.
  std::map<std::string, PromFamily> scratch;
  EXPECT_NE(ParsePrometheus("x 1\n", scratch), "");
  scratch.clear();
  EXPECT_NE(ParsePrometheus("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", scratch), "");
  scratch.clear();
  EXPECT_NE(ParsePrometheus("# TYPE c counter\nc{a=\"x} 1\n", scratch), "");
}

// Random bytes, broken request lines and headers on many connections: the
// server answers or closes each one and stays healthy.
TEST_F(EndpointsTest, SocketFuzzNeverTakesTheServerDown) {
  ServeOptions options = Options();
  options.read_timeout = std::chrono::milliseconds(200);
  auto server = Start(options);
  std::mt19937 rng(5);
  const std::vector<std::string> seeds{
      "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n"
      R"({"instances": [[1, 2, 3]]})",
      "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /v2/models/credit/infer HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"inp\r\n0\r\n\r\n",
      "GET /health HTTP/1.0\r\n\r\n",
  };
  for (int i = 0; i < 150; ++i) {
    std::string bytes = seeds[rng() % seeds.size()];
    const int mutations = static_cast<int>(rng() % 5);
    for (int m = 0; m < mutations; ++m) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 3) {
        case 0: bytes[at] = static_cast<char>(rng() % 256); break;
        case 1: bytes.insert(at, "\r\n:" + std::string(rng() % 40, 'x')); break;
        case 2: bytes.erase(at, rng() % 10); break;
      }
    }
    if (rng() % 10 == 0) bytes = std::string(1 + rng() % 2000, static_cast<char>(rng() % 256));
    HttpClient client(server->port(), 2000);
    HttpResult result = client.Raw(bytes);
    if (result.status != 0) {
      EXPECT_NE(result.status, 500) << bytes;
    }
  }
  HttpClient client(server->port());
  EXPECT_EQ(client.Get("/health").status, 200);
  EXPECT_EQ(client.PostJson("/invocations", SplitBody(1, 2, 3)).status, 200);
}

}  // namespace
}  // namespace cairn::serve::testing
