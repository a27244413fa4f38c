// Inputs the loader fuzzer once found crashing cairn: each must now load and
// run, or fail with cairn::Error, exactly as the fuzz target drives them.
#include <gtest/gtest.h>

#include <filesystem>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/runtime/session.h"

namespace cairn::runtime {
namespace {

namespace fs = std::filesystem;

TEST(FuzzRegressions, EveryFoundInputIsHandled) {
  fs::path dir = fs::path(CAIRN_SOURCE_DIR) / "tests/fuzz/regressions";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string bytes = ReadFile(entry.path());
    try {
      Session session = Session::LoadFromBytes(bytes, entry.path().filename().string());
      std::vector<Value> inputs;
      bool runnable = true;
      for (const auto& info : session.inputs()) {
        if (info.type.kind != ValueKind::kTensor) runnable = false;
        Shape shape;
        for (const auto& dim : info.type.dims) shape.push_back(dim.value.value_or(2));
        if (runnable && ElementCount(shape) <= 4096) inputs.emplace_back(Tensor(info.type.elem_type, shape));
        else runnable = false;
      }
      if (runnable) session.RunOrdered(std::move(inputs));
    } catch (const Error&) {
    }
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace cairn::runtime
