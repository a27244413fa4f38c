// Requests meeting models without sockets: every MLflow and KServe body
// format parsed and mapped to a model's inputs, error messages that name the
// field, and random bodies that must only ever produce error responses.
#include <gtest/gtest.h>

#include <random>

#include "cairn/core/json.h"
#include "cairn/serve/request_handler.h"
#include "cairn/serve/request_parser.h"
#include "cairn/serve/response_writer.h"
#include "serve_test_support.h"

namespace cairn::serve {
namespace {

using testing::ColumnClassifier;
using testing::ExpectedLabel;
using testing::MatrixClassifier;
using testing::Serialize;

std::shared_ptr<const LoadedModel> Load(const runtime::Model& model, const std::string& name = "credit") {
  return std::make_shared<LoadedModel>(runtime::Session::LoadFromBytes(Serialize(model), name), name, 1,
                                       name + "@1", "hash");
}

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

std::vector<int64_t> Labels(const LoadedModel& model, const RequestBody& body) {
  auto inputs = MapInputs(model.signature, body);
  auto outputs = model.session.Run(inputs.values);
  auto values = outputs.at("label").tensor().values<int64_t>();
  return {values.begin(), values.end()};
}

TEST(RequestParserTest, EveryMlflowFormatGivesTheSameAnswer) {
  auto matrix = Load(MatrixClassifier());
  auto columns = Load(ColumnClassifier());
  const std::vector<int64_t> expected{ExpectedLabel(1, 2, 3), ExpectedLabel(4, 1, 0)};
  const std::vector<std::string> frames{
      R"({"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2, 3], [4, 1, 0]]}})",
      R"({"dataframe_split": {"index": [7, 8], "columns": ["c", "a", "b"], "data": [[3, 1, 2], [0, 4, 1]]}})",
      R"({"dataframe_records": [{"a": 1, "b": 2, "c": 3}, {"c": 0, "b": 1, "a": 4}]})",
      R"({"instances": [{"a": 1, "b": 2, "c": 3}, {"a": 4, "b": 1, "c": 0}]})",
  };
  for (const auto& text : frames) {
    RequestBody body = ParseMlflowJson(text, "request_key");
    EXPECT_EQ(body.kind, BodyKind::kFrame);
    EXPECT_EQ(Labels(*matrix, body), expected) << text;
    EXPECT_EQ(Labels(*columns, body), expected) << text;
  }
  // Tensors: a matrix for the one-input model, named columns for the other.
  EXPECT_EQ(Labels(*matrix, ParseMlflowJson(R"({"instances": [[1, 2, 3], [4, 1, 0]]})", "")), expected);
  EXPECT_EQ(Labels(*matrix, ParseMlflowJson(R"({"inputs": [[1, 2, 3], [4, 1, 0]]})", "")), expected);
  EXPECT_EQ(Labels(*matrix, ParseMlflowJson(R"({"inputs": {"X": [[1, 2, 3], [4, 1, 0]]}})", "")), expected);
  EXPECT_EQ(Labels(*columns, ParseMlflowJson(R"({"inputs": {"a": [1, 4], "b": [2, 1], "c": [3, 0]}})", "")), expected);
  EXPECT_EQ(Labels(*matrix, ParseCsvBody("a,b,c\n1,2,3\n4,1,0\n")), expected);
  EXPECT_EQ(Labels(*columns, ParseCsvBody("b,a,c\n2,1,3\n1,4,0\n")), expected);
  // One instance without its batch dimension.
  EXPECT_EQ(Labels(*matrix, ParseMlflowJson(R"({"inputs": [1, 2, 3]})", "")), std::vector<int64_t>{expected[0]});
}

TEST(RequestParserTest, RoutingKeyAndKserveBodies) {
  RequestBody body = ParseMlflowJson(R"({"dataframe_records": [{"a": 1}], "request_key": "user-7"})", "request_key");
  EXPECT_EQ(body.request_key, "user-7");
  body = ParseMlflowJson(R"({"dataframe_records": [{"a": 1}], "customer": 12})", "customer");
  EXPECT_EQ(body.request_key, "12");
  body = ParseKserveInfer(
      R"({"id": "r1", "parameters": {"request_key": "k"}, "inputs": [{"name": "X", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, 1, 0]}]})",
      "request_key");
  EXPECT_EQ(body.client_id, "r1");
  EXPECT_EQ(body.request_key, "k");
  auto matrix = Load(MatrixClassifier());
  EXPECT_EQ(Labels(*matrix, body), (std::vector<int64_t>{ExpectedLabel(1, 2, 3), ExpectedLabel(4, 1, 0)}));
  body = ParseKserveInfer(
      R"({"inputs": [{"name": "X", "shape": [1, 3], "datatype": "FP32", "data": [[1, 2, 3]]}]})", "request_key");
  EXPECT_EQ(Labels(*matrix, body), std::vector<int64_t>{ExpectedLabel(1, 2, 3)});
}

TEST(RequestParserTest, ErrorsNameTheField) {
  auto matrix = Load(MatrixClassifier());
  auto columns = Load(ColumnClassifier());
  auto map = [&](const LoadedModel& model, const std::string& text) {
    return ErrorOf([&] { MapInputs(model.signature, ParseMlflowJson(text, "request_key")); });
  };
  EXPECT_NE(ErrorOf([] { ParseMlflowJson("{\"dataframe_split\": ", ""); }).find("malformed JSON"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMlflowJson("[1, 2]", ""); }).find("expected an object"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMlflowJson("{}", ""); }).find("exactly one of"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMlflowJson(R"({"instances": [], "inputs": []})", ""); }).find("got instances, inputs"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMlflowJson(R"({"instances": [], "extra": 1})", ""); }).find("unknown field 'extra'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ParseMlflowJson(R"({"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3]]}})", "");
            }).find("dataframe_split.data[1]: expected 2 values"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ParseMlflowJson(R"({"dataframe_split": {"columns": ["a"], "data": [[{"x": 1}]]}})", "");
            }).find("dataframe_split.data[0][0] (column 'a')"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMlflowJson(R"({"inputs": [[1, 2], [3]]})", ""); }).find("inputs[1]"), std::string::npos);
  EXPECT_NE(map(*matrix, R"({"dataframe_records": [{"a": 1, "b": 2, "c": 3, "d": 4}]})").find("column 'd': unknown feature"),
            std::string::npos);
  EXPECT_NE(map(*matrix, R"({"dataframe_records": [{"a": 1, "b": 2}]})").find("missing feature 'c'"), std::string::npos);
  EXPECT_NE(map(*columns, R"({"dataframe_records": [{"a": 1, "b": 2, "cc": 3}]})").find("column 'cc': unknown feature"),
            std::string::npos);
  EXPECT_NE(map(*columns, R"({"dataframe_records": [{"a": 1, "b": "x", "c": 3}]})").find("column 'b'"), std::string::npos);
  EXPECT_NE(map(*matrix, R"({"inputs": {"Y": [[1, 2, 3]]}})").find("input 'Y': unknown"), std::string::npos);
  EXPECT_NE(map(*columns, R"({"inputs": {"a": [1], "b": [2]}})").find("missing input 'c'"), std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ParseKserveInfer(R"({"inputs": [{"name": "X", "shape": [2, 3], "datatype": "FP32", "data": [1, 2]}]})", "");
            }).find("inputs[0] ('X'): shape [2, 3] holds 6 values but data has 2"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseKserveInfer(R"({"inputs": [{"name": "X", "shape": [1]}]})", ""); }).find("inputs[0].datatype"),
            std::string::npos);
  // A wrong width reaches the session, whose message names the input.
  EXPECT_NE(ErrorOf([&] {
              auto inputs = MapInputs(matrix->signature, ParseMlflowJson(R"({"inputs": [[1, 2, 3, 4]]})", ""));
              matrix->session.Run(inputs.values);
            }).find("X"),
            std::string::npos);
}

TEST(ResponseWriterTest, MlflowAndKserveShapes) {
  auto matrix = Load(MatrixClassifier());
  auto inputs = MapInputs(matrix->signature, ParseMlflowJson(R"({"instances": [[1, 2, 3]]})", ""));
  auto outputs = matrix->session.Run(inputs.values);
  Json mlflow = Json::parse(MlflowPredictions(outputs, matrix->session.outputs()));
  ASSERT_TRUE(mlflow["predictions"].is_object()) << mlflow.dump();
  EXPECT_EQ(mlflow["predictions"]["label"], Json::array({ExpectedLabel(1, 2, 3)}));
  EXPECT_EQ(mlflow["predictions"]["probabilities"].size(), 1u);
  EXPECT_EQ(mlflow["predictions"]["probabilities"][0].size(), 2u);
  Json kserve = Json::parse(KserveInferResponse({"credit", "1", "id-1"}, outputs, matrix->session.outputs()));
  EXPECT_EQ(kserve["model_name"], "credit");
  EXPECT_EQ(kserve["id"], "id-1");
  EXPECT_EQ(kserve["outputs"][0]["name"], "label");
  EXPECT_EQ(kserve["outputs"][0]["datatype"], "INT64");
  EXPECT_EQ(kserve["outputs"][1]["shape"], Json::array({1, 2}));
  std::map<std::string, runtime::Value> one{{"y", runtime::Tensor::FromVector<float>({2, 1}, {0.5f, NAN})}};
  EXPECT_EQ(MlflowPredictions(one, {{"y", {}}}), R"({"predictions":[0.5,null]})");
}

// Random and mutated bodies and headers through the whole handler: every
// answer is a JSON error or a prediction, never an exception or a crash.
TEST(RequestFuzzTest, RandomBodiesOnlyGiveErrorResponses) {
  ModelSlot slot;
  slot.Set(Load(MatrixClassifier()));
  ServerMetrics metrics;
  InferenceService service(ServiceParts{&slot, nullptr, nullptr, 0.0, &metrics, nullptr, nullptr});
  RequestHandler handler(service, metrics, HandlerOptions{});
  const std::vector<std::string> seeds{
      R"({"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2, 3]]}})",
      R"({"dataframe_records": [{"a": 1, "b": 2, "c": 3}]})",
      R"({"instances": [[1, 2, 3]]})",
      R"({"inputs": {"X": [[1, 2, 3]]}})",
      R"({"inputs": [{"name": "X", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]})",
      "a,b,c\n1,2,3\n",
  };
  const std::vector<std::string> targets{"/invocations", "/v2/models/credit/infer", "/feedback", "/v2/models/credit",
                                         "/metrics", "/nope", "/v2/models//infer", "/invocations?x=%00"};
  const std::vector<std::string> types{"application/json", "text/csv", "", "application/json; charset=latin-1",
                                       "text/csv; charset=\"utf-8\"", "image/png", ";;;=", "application/json; charset"};
  std::mt19937 rng(11);
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string body = seeds[rng() % seeds.size()];
    const int mutations = static_cast<int>(rng() % 6);
    for (int m = 0; m < mutations && !body.empty(); ++m) {
      const size_t at = rng() % body.size();
      switch (rng() % 4) {
        case 0: body[at] = static_cast<char>(rng() % 256); break;
        case 1: body.erase(at, 1 + rng() % 4); break;
        case 2: body.insert(at, std::string(1 + rng() % 3, "[]{}\",:0e-9"[rng() % 11])); break;
        case 3: body = body.substr(0, at); break;
      }
    }
    HttpRequest request{rng() % 8 ? "POST" : "GET", targets[rng() % targets.size()], types[rng() % types.size()], "",
                        "", body};
    HttpResponse response;
    ASSERT_NO_THROW(response = handler.Handle(request));
    ASSERT_GE(response.status, 200);
    ASSERT_LT(response.status, 600);
    ASSERT_NE(response.status, 500) << request.target << " " << body << " -> " << response.body;
    if (response.status == 200) ++ok;
    if (response.status >= 400) {
      Json error = Json::parse(response.body, nullptr, false);
      ASSERT_TRUE(error.is_object() && error.contains("error_code") && error.contains("message")) << response.body;
    }
  }
  EXPECT_GT(ok, 50);
}

}  // namespace
}  // namespace cairn::serve
