#include <gtest/gtest.h>

#include "cairn/core/error.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/tensor.h"
#include "cairn/runtime/tensor_io.h"

namespace cairn::runtime {
namespace {

TEST(TensorTest, StoresRowMajorValuesAndDescribesItself) {
  Tensor t = Tensor::FromVector<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(t.dtype(), DataType::kFloat32);
  EXPECT_EQ(t.size(), 6);
  EXPECT_EQ(t.byte_size(), 24u);
  EXPECT_EQ(t.data<float>()[4], 5.0f);
  EXPECT_EQ(t.Describe(), "float32[2, 3]");
  EXPECT_THROW(t.data<double>(), Error);
}

TEST(TensorTest, ViewsShareStorageAndClonesDoNot) {
  Tensor t = Tensor::FromVector<int64_t>({3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor rows = t.Rows(1, 3);
  EXPECT_EQ(rows.shape(), (Shape{2, 2}));
  EXPECT_EQ(rows.data<int64_t>()[0], 3);
  Tensor flat = t.Reshaped({6});
  Tensor copy = t.Clone();
  t.mutable_data<int64_t>()[5] = 60;
  EXPECT_EQ(flat.data<int64_t>()[5], 60);
  EXPECT_EQ(rows.data<int64_t>()[3], 60);
  EXPECT_EQ(copy.data<int64_t>()[5], 6);
  EXPECT_THROW(t.Reshaped({4}), Error);
  EXPECT_THROW(t.Rows(2, 4), Error);
}

TEST(TensorTest, HoldsStringsAndRefusesFloat16) {
  Tensor s = Tensor::FromVector<std::string>({2}, {"a", "bc"});
  EXPECT_EQ(s.values<std::string>()[1], "bc");
  EXPECT_EQ(s.Clone().values<std::string>()[0], "a");
  try {
    Tensor(DataType::kFloat16, {2});
    FAIL() << "float16 tensor was created";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
  }
  EXPECT_THROW(Tensor(DataType::kFloat32, {-1}), Error);
}

TEST(TensorTest, ProtoRoundTrip) {
  Tensor t = Tensor::FromVector<double>({2, 2}, {1.5, -2, 3, 4});
  Tensor back = TensorFromProtoBytes(TensorToProtoBytes(t, "x"), "x.pb");
  EXPECT_EQ(back.Describe(), "float64[2, 2]");
  EXPECT_EQ(back.data<double>()[1], -2);
  Tensor s = Tensor::FromVector<std::string>({1}, {"hi"});
  EXPECT_EQ(TensorFromProtoBytes(TensorToProtoBytes(s, "s"), "s.pb").values<std::string>()[0], "hi");
  EXPECT_THROW(TensorFromProtoBytes("\xff\xff\xff", "bad.pb"), Error);
}

TEST(OpRegistryTest, PicksTheNewestKernelNotAfterTheModelsOpset) {
  const OpRegistry& registry = DefaultRegistry();
  EXPECT_EQ(registry.Versions("", "Softmax"), (std::vector<int64_t>{1, 11, 13}));
  EXPECT_NE(registry.Find("", "Softmax", 12), nullptr);
  EXPECT_EQ(registry.Find("", "Softmax", 12), registry.Find("", "Softmax", 11));
  EXPECT_EQ(registry.Find("ai.onnx", "Add", 6), nullptr);  // before cairn's first Add
  EXPECT_NE(registry.Find("ai.onnx", "Add", 17), nullptr);
  EXPECT_EQ(registry.Find("", "NoSuchOp", 13), nullptr);
  EXPECT_EQ(registry.MaxOpset(""), 17);
  EXPECT_GE(registry.MaxOpset("ai.onnx.ml"), 3);

  OpRegistry local;
  local.Add("", "Relu", 6, registry.Find("", "Relu", 14));
  EXPECT_THROW(local.Add("ai.onnx", "Relu", 6, registry.Find("", "Relu", 14)), Error);
}

}  // namespace
}  // namespace cairn::runtime
