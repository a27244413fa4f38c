// libFuzzer target for cairn's model loader: arbitrary bytes go through
// LoadModelFromBytes and the plan build, and a model that loads is run once on
// small zero inputs. Any cairn::Error is an accepted outcome; a crash, a
// sanitizer report or another exception type is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cairn/core/error.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/session.h"

namespace {

using cairn::runtime::DataType;
using cairn::runtime::Shape;
using cairn::runtime::Tensor;
using cairn::runtime::Value;
using cairn::runtime::ValueKind;

// Inputs stay tiny so that a run measures the engine, not memory bandwidth:
// symbolic or unknown dimensions become 2, fixed ones are kept when small.
constexpr int64_t kMaxDimension = 64;
constexpr int64_t kMaxElements = 4096;

bool ZeroInputs(const cairn::runtime::Session& session, std::vector<Value>& inputs) {
  for (const auto& info : session.inputs()) {
    if (info.type.kind != ValueKind::kTensor) return false;
    Shape shape;
    for (const auto& dim : info.type.dims) {
      int64_t size = dim.value.has_value() ? *dim.value : 2;
      if (size < 0 || size > kMaxDimension) return false;
      shape.push_back(size);
    }
    if (cairn::runtime::ElementCount(shape) > kMaxElements) return false;
    inputs.emplace_back(Tensor(info.type.elem_type, shape));
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    auto session = cairn::runtime::Session::LoadFromBytes(bytes, "<fuzz>");
    std::vector<Value> inputs;
    if (ZeroInputs(session, inputs)) session.RunOrdered(std::move(inputs));
  } catch (const cairn::Error&) {
    // Rejected with a clear error: the behaviour cairn promises.
  }
  return 0;
}
