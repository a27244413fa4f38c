// Plan: a model compiled once for execution. Nodes in topological order with
// their kernels, every value given a slot, initializers and constant
// subgraphs folded at load time, and each slot freed after its last use so
// that later outputs can reuse its buffer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cairn/runtime/kernel.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/value.h"

namespace cairn::runtime {

class Plan {
 public:
  // kUnsupported naming the node, op, domain and opset when a node has no
  // kernel; kInvalidInput when a node reads a value nothing defines or when a
  // constant subgraph fails to compute. `model` must outlive the plan.
  static Plan Build(const Model& model, const OpRegistry& registry);

  // Runs the graph on values for model.graph.inputs (same order) and returns
  // the graph outputs in order. Const: all per-call state is local.
  std::vector<Value> Execute(std::vector<Value> inputs) const;

  // Nodes left to run per call after constant folding.
  size_t step_count() const { return steps_.size(); }
  size_t folded_node_count() const { return folded_nodes_; }

 private:
  struct Step {
    const Node* node = nullptr;
    std::unique_ptr<Kernel> kernel;
    std::vector<int> inputs;   // slot per node input, -1 when absent
    std::vector<int> outputs;  // slot per node output, -1 when unused
    std::vector<int> release;  // dynamic slots whose last use is this step
  };

  std::vector<Step> steps_;
  std::vector<Value> constants_;  // by slot; empty for slots computed per call
  std::vector<bool> is_constant_;
  std::vector<int> input_slots_;
  std::vector<int> output_slots_;
  size_t folded_nodes_ = 0;
};

}  // namespace cairn::runtime
