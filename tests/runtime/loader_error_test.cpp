// Loading damaged or unsupported models gives cairn::Error with a clear
// message, never a crash or another exception type.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/runtime/model_writer.h"
#include "cairn/runtime/session.h"
#include "test_models.h"

namespace cairn::runtime {
namespace {

using testing::MlpModel;
using testing::MlpModelBytes;

// Loads and, when that works, runs the model once; any failure must be a cairn::Error.
void ExpectLoadIsSafe(const std::string& bytes, const std::string& label) {
  try {
    Session session = Session::LoadFromBytes(bytes, label);
    std::vector<Value> inputs;
    for (const auto& info : session.inputs()) {
      Shape shape;
      for (const auto& dim : info.type.dims) shape.push_back(dim.value.value_or(2));
      if (shape.size() > 0 && ElementCount(shape) > 1'000'000) return;
      inputs.emplace_back(Tensor(info.type.elem_type, shape));
    }
    session.RunOrdered(inputs);
  } catch (const Error&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << label << ": non-cairn exception: " << e.what();
  }
}

void MutateAndLoad(const std::string& bytes, const std::string& name) {
  ASSERT_GT(bytes.size(), 20u);
  std::mt19937 rng(7);
  for (int i = 0; i < 100; ++i) {
    size_t cut = bytes.size() * static_cast<size_t>(i) / 100;
    ExpectLoadIsSafe(bytes.substr(0, cut), name + " truncated at " + std::to_string(cut));
  }
  for (int i = 0; i < 200; ++i) {
    std::string mutated = bytes;
    int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      size_t at = rng() % mutated.size();
      mutated[at] = static_cast<char>(mutated[at] ^ (1 << (rng() % 8)));
    }
    ExpectLoadIsSafe(mutated, name + " mutation " + std::to_string(i));
  }
}

ErrorCode CodeOf(const std::function<void()>& fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const Error& e) {
    if (message != nullptr) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::kIo;
}

TEST(LoaderErrorTest, TruncatedAndBitFlippedMlpNeverCrash) { MutateAndLoad(MlpModelBytes(), "mlp.onnx"); }

TEST(LoaderErrorTest, TruncatedAndBitFlippedConformanceModelNeverCrash) {
  std::string path = "/usr/share/libonnx-testdata/data/node/test_gemm_all_attributes/model.onnx";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "libonnx-testdata is not installed";
  MutateAndLoad(ReadFile(path), "gemm.onnx");
}

TEST(LoaderErrorTest, GarbageAndEmptyBytesAreCorrupt) {
  std::string message;
  EXPECT_EQ(CodeOf([] { Session::LoadFromBytes("\x08\x07\xff\xff\xff", "model.onnx"); }, &message), ErrorCode::kCorrupt);
  EXPECT_NE(message.find("model.onnx: not a valid ONNX model"), std::string::npos) << message;
  EXPECT_EQ(CodeOf([] { Session::LoadFromBytes("", "empty.onnx"); }, &message), ErrorCode::kCorrupt);
  EXPECT_NE(message.find("empty.onnx"), std::string::npos) << message;
  EXPECT_EQ(CodeOf([] { Session::Load("/nonexistent/model.onnx"); }), ErrorCode::kIo);
}

TEST(LoaderErrorTest, NewerIrOrOpsetIsUnsupported) {
  Model model = MlpModel();
  model.ir_version = 99;
  std::string message;
  EXPECT_EQ(CodeOf([&] { Session::LoadFromBytes(SerializeModel(model), "m.onnx"); }, &message), ErrorCode::kUnsupported);
  EXPECT_NE(message.find("IR version 99"), std::string::npos) << message;
  model = MlpModel();
  model.opsets[""] = 99;
  EXPECT_EQ(CodeOf([&] { Session::LoadFromBytes(SerializeModel(model), "m.onnx"); }, &message), ErrorCode::kUnsupported);
  EXPECT_NE(message.find("opset 99 of domain ai.onnx"), std::string::npos) << message;
}

TEST(LoaderErrorTest, UnsupportedOpNamesNodeOpAndOpset) {
  Model model = MlpModel();
  model.graph.nodes[2] = Node{"the_erf", "Erf", "", {"Z"}, {"Y"}, {}};
  std::string message;
  EXPECT_EQ(CodeOf([&] { Session::LoadFromBytes(SerializeModel(model), "m.onnx"); }, &message), ErrorCode::kUnsupported);
  EXPECT_NE(message.find("node 'the_erf'"), std::string::npos) << message;
  EXPECT_NE(message.find("ai.onnx.Erf"), std::string::npos) << message;
  EXPECT_NE(message.find("opset 13"), std::string::npos) << message;
}

TEST(LoaderErrorTest, InconsistentShapesAreInvalidInput) {
  Model model = MlpModel();
  model.graph.initializers[0].second = Tensor::FromVector<float>({5, 3}, std::vector<float>(15, 1.0f));
  std::string message;
  EXPECT_EQ(CodeOf([&] { Session::LoadFromBytes(SerializeModel(model), "m.onnx"); }, &message), ErrorCode::kInvalidInput);
  EXPECT_NE(message.find("m.onnx"), std::string::npos) << message;
}

TEST(LoaderErrorTest, UndefinedInputIsInvalidInput) {
  Model model = MlpModel();
  model.graph.nodes[1].inputs[1] = "nowhere";
  EXPECT_EQ(CodeOf([&] { Session::LoadFromBytes(SerializeModel(model), "m.onnx"); }), ErrorCode::kInvalidInput);
}

TEST(LoaderErrorTest, WrongInputsNameTheInput) {
  Session session = Session::LoadFromBytes(MlpModelBytes(), "mlp.onnx");
  std::string message;
  auto run = [&](Tensor x) { session.Run({{"X", x}}); };
  EXPECT_EQ(CodeOf([&] { run(Tensor(DataType::kInt64, {2, 4})); }, &message), ErrorCode::kInvalidInput);
  EXPECT_NE(message.find("input 'X' expects float32[batch, 4], got int64[2, 4]"), std::string::npos) << message;
  EXPECT_EQ(CodeOf([&] { run(Tensor(DataType::kFloat32, {2, 5})); }, &message), ErrorCode::kInvalidInput);
  EXPECT_NE(message.find("input 'X' expects shape float32[batch, 4], got float32[2, 5]"), std::string::npos) << message;
  EXPECT_EQ(CodeOf([&] { run(Tensor(DataType::kFloat32, {4})); }, &message), ErrorCode::kInvalidInput);
  EXPECT_NE(message.find("rank 2"), std::string::npos) << message;
  EXPECT_EQ(CodeOf([&] { session.Run({}); }, &message), ErrorCode::kInvalidInput);
  EXPECT_NE(message.find("input 'X'"), std::string::npos) << message;
  EXPECT_EQ(CodeOf([&] { session.Run({{"x", Tensor(DataType::kFloat32, {1, 4})}}); }, &message), ErrorCode::kInvalidInput);
  EXPECT_NE(message.find("did you mean 'X'"), std::string::npos) << message;
}

}  // namespace
}  // namespace cairn::runtime
