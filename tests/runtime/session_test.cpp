#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <thread>

#include "cairn/core/file_io.h"
#include "cairn/runtime/backend_test.h"
#include "cairn/runtime/model_writer.h"
#include "cairn/runtime/session.h"
#include "cairn/runtime/tensor_io.h"
#include "test_models.h"

namespace cairn::runtime {
namespace {

namespace fs = std::filesystem;
using testing::MlpModel;

// The MLP computed by hand, for one row.
std::vector<float> ExpectedRow(const float* x) {
  std::vector<double> z(3);
  for (int j = 0; j < 3; ++j) {
    z[j] = testing::MlpBias()[j];
    for (int k = 0; k < 4; ++k) z[j] += x[k] * testing::MlpWeights()[k * 3 + j];
  }
  double max = std::max({z[0], z[1], z[2]}), sum = 0;
  for (double& v : z) sum += (v = std::exp(v - max));
  return {static_cast<float>(z[0] / sum), static_cast<float>(z[1] / sum), static_cast<float>(z[2] / sum)};
}

Tensor Rows(int n) {
  std::vector<float> values;
  for (int i = 0; i < n * 4; ++i) values.push_back(static_cast<float>((i * 37) % 11) / 5.0f - 1.0f);
  return Tensor::FromVector<float>({n, 4}, values);
}

TEST(SessionTest, RunsTheMlpCorrectly) {
  Session session = Session::FromModel(MlpModel());
  Tensor x = Rows(5);
  auto outputs = session.Run({{"X", x}});
  const Tensor& y = outputs.at("Y").tensor();
  ASSERT_EQ(y.shape(), (Shape{5, 3}));
  for (int r = 0; r < 5; ++r) {
    auto expected = ExpectedRow(x.data<float>() + r * 4);
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(y.data<float>()[r * 3 + j], expected[j], 1e-6);
  }
}

TEST(SessionTest, ABatchDimensionFixedAtOneAcceptsLargerBatches) {
  Session session = Session::FromModel(MlpModel(/*fixed_batch=*/true));
  auto outputs = session.RunOrdered({Rows(7)});
  EXPECT_EQ(outputs[0].tensor().shape(), (Shape{7, 3}));
}

TEST(SessionTest, FoldsConstantSubgraphs) {
  Model model = MlpModel();
  // B2 = B + B computed from initializers only: folded at load time.
  model.graph.nodes.insert(model.graph.nodes.begin(), Node{"double_b", "Add", "", {"B", "B"}, {"B2"}, {}});
  model.graph.nodes[2].inputs[1] = "B2";
  Session session = Session::FromModel(model);
  EXPECT_EQ(session.folded_node_count(), 1u);
  EXPECT_EQ(session.step_count(), 3u);
  EXPECT_EQ(session.RunOrdered({Rows(2)})[0].tensor().shape(), (Shape{2, 3}));
}

TEST(SessionTest, ConcurrentRunsGiveIdenticalOutputs) {
  Session session = Session::FromModel(MlpModel());
  Tensor x = Rows(64);
  Tensor reference = session.RunOrdered({x})[0].tensor();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        Tensor y = session.RunOrdered({x})[0].tensor();
        for (int64_t k = 0; k < y.size(); ++k) mismatches[t] += y.data<float>()[k] != reference.data<float>()[k];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

class BackendTestRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn_backend_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "mlp" / "test_data_set_0");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteCase(const Model& model, const Tensor& input, const Tensor& output) {
    SaveModel(model, (dir_ / "mlp" / "model.onnx").string());
    WriteFileAtomic(dir_ / "mlp" / "test_data_set_0" / "input_0.pb", TensorToProtoBytes(input, "X"));
    WriteFileAtomic(dir_ / "mlp" / "test_data_set_0" / "output_0.pb", TensorToProtoBytes(output, "Y"));
  }

  fs::path dir_;
};

TEST_F(BackendTestRunnerTest, PassesFailsAndSkips) {
  Tensor x = Rows(3);
  Tensor y = Session::FromModel(MlpModel()).RunOrdered({x})[0].tensor().Clone();
  WriteCase(MlpModel(), x, y);
  BackendTestResult result = RunBackendTest((dir_ / "mlp").string());
  EXPECT_EQ(result.status, BackendTestStatus::kPassed) << result.reason;
  EXPECT_EQ(result.name, "mlp");
  ASSERT_EQ(result.data_sets.size(), 1u);

  y.mutable_data<float>()[4] += 0.01f;
  WriteCase(MlpModel(), x, y);
  result = RunBackendTest((dir_ / "mlp").string());
  EXPECT_EQ(result.status, BackendTestStatus::kFailed);
  EXPECT_NE(result.reason.find("output 'Y'[4]"), std::string::npos) << result.reason;
  EXPECT_NEAR(result.max_abs_diff, 0.01, 1e-4);

  Model unsupported = MlpModel();
  unsupported.graph.nodes[2] = Node{"erf", "Erf", "", {"Z"}, {"Y"}, {}};
  WriteCase(unsupported, x, y);
  result = RunBackendTest((dir_ / "mlp").string());
  EXPECT_EQ(result.status, BackendTestStatus::kUnsupported);
  EXPECT_NE(result.reason.find("ai.onnx.Erf (opset 13)"), std::string::npos) << result.reason;

  result = RunBackendTest((dir_ / "missing").string());
  EXPECT_EQ(result.status, BackendTestStatus::kFailed);
}

}  // namespace
}  // namespace cairn::runtime
