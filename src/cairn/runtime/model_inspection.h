// What a model needs from cairn: every op it uses, with its count and whether
// cairn has a kernel for it at the model's opset. Backs `cairn onnx check`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/runtime/model.h"

namespace cairn::runtime {

struct OpUsage {
  std::string domain;  // "" for ai.onnx
  std::string op_type;
  int64_t opset = 0;  // the model's opset for the domain
  int64_t count = 0;
  bool supported = false;
};

struct ModelInspection {
  std::vector<OpUsage> ops;  // in order of first use
  // "ai.onnx.ml.Foo (opset 3) at node 'n1'" for each unsupported op, and
  // problems found while building the plan (unholdable input types, ...).
  std::vector<std::string> problems;
  bool runnable() const { return problems.empty(); }
};

// Never throws for unsupported ops: they are listed in `problems`.
ModelInspection InspectModel(const Model& model);

}  // namespace cairn::runtime
