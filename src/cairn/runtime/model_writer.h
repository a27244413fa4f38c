// Serialising a cairn Model back to ONNX bytes, for models cairn builds or
// rewrites (tests, trainers, the quantization pass).
#pragma once

#include <string>

#include "cairn/runtime/model.h"

namespace cairn::runtime {

// The ModelProto encoding of `model`; value_info is written as given.
std::string SerializeModel(const Model& model);
// Writes SerializeModel(model) to `path` atomically.
void SaveModel(const Model& model, const std::string& path);

}  // namespace cairn::runtime
