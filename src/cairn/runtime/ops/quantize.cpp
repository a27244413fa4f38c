#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {

void RegisterQuantizeKernels(OpRegistry& registry) { (void)registry; }

}  // namespace cairn::runtime
