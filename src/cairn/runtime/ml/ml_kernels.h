// Registration of the ai.onnx.ml kernels (tree ensembles, linear and SVM
// models, scalers, encoders, ZipMap...), called from the one table in
// op_registry.cpp.
#pragma once

namespace cairn::runtime {

class OpRegistry;

void RegisterMlKernels(OpRegistry& registry);

}  // namespace cairn::runtime
