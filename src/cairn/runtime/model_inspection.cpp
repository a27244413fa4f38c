#include "cairn/runtime/model_inspection.h"

#include "cairn/core/error.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/session.h"

namespace cairn::runtime {

ModelInspection InspectModel(const Model& model) {
  ModelInspection inspection;
  const OpRegistry& registry = DefaultRegistry();
  for (const auto& node : model.graph.nodes) {
    OpUsage* usage = nullptr;
    for (auto& existing : inspection.ops) {
      if (existing.domain == node.domain && existing.op_type == node.op_type) usage = &existing;
    }
    if (usage == nullptr) {
      int64_t opset = model.OpsetFor(node.domain);
      inspection.ops.push_back(
          OpUsage{node.domain, node.op_type, opset, 0, registry.Find(node.domain, node.op_type, opset) != nullptr});
      usage = &inspection.ops.back();
      if (!usage->supported) {
        inspection.problems.push_back(DomainDisplayName(node.domain) + "." + node.op_type + " (opset " +
                                      std::to_string(opset) + ") at " + node.Label());
      }
    }
    ++usage->count;
  }
  if (inspection.problems.empty()) {
    // Building the plan finds what the op list cannot: types cairn cannot
    // hold, bad attributes, constant subgraphs that fail.
    try {
      Session::FromModel(model);
    } catch (const Error& e) {
      inspection.problems.push_back(e.what());
    }
  }
  return inspection;
}

}  // namespace cairn::runtime
