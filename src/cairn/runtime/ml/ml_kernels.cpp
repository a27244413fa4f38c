#include "cairn/runtime/ml/ml_kernels.h"

#include "cairn/runtime/model.h"
#include "cairn/runtime/op_registry.h"

namespace cairn::runtime {

void RegisterMlKernels(OpRegistry& registry) {
  // ai.onnx.ml opsets 1-3 are the ones ONNX 1.12's checker knows.
  registry.SetMaxOpset(kOnnxMlDomain, 3);
}

}  // namespace cairn::runtime
