#include "cairn/runtime/plan.h"

#include <map>

#include "cairn/core/error.h"
#include "cairn/runtime/tensor_pool.h"

namespace cairn::runtime {
namespace {

// Prefixes errors raised while building one node with the model's source.
template <typename F>
auto WithSource(const std::string& source, F&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    throw Error(e.code(), source + ": " + e.what());
  }
}

std::string UnsupportedMessage(const Model& model, const Node& node, const OpRegistry& registry, int64_t opset) {
  std::string op = DomainDisplayName(node.domain) + "." + node.op_type;
  std::string where = model.source + ": " + node.Label() + ": ";
  if (opset == 0) {
    return where + "the model imports no opset for domain " + DomainDisplayName(node.domain);
  }
  auto versions = registry.Versions(node.domain, node.op_type);
  if (!versions.empty()) {
    return where + "cairn runs " + op + " from opset " + std::to_string(versions.front()) + ", not opset " +
           std::to_string(opset);
  }
  return where + "cairn has no kernel for op " + op + " (opset " + std::to_string(opset) + ")";
}

}  // namespace

Plan Plan::Build(const Model& model, const OpRegistry& registry) {
  Plan plan;
  std::map<std::string, int, std::less<>> slots;
  auto new_slot = [&](const std::string& name) {
    int slot = static_cast<int>(plan.constants_.size());
    plan.constants_.emplace_back();
    plan.is_constant_.push_back(false);
    slots[name] = slot;
    return slot;
  };
  for (const auto& input : model.graph.inputs) plan.input_slots_.push_back(new_slot(input.name));
  for (const auto& [name, tensor] : model.graph.initializers) {
    int slot = slots.count(name) ? slots[name] : new_slot(name);
    plan.constants_[slot] = tensor;
    plan.is_constant_[slot] = true;
  }

  for (const auto& node : model.graph.nodes) {
    int64_t opset = model.OpsetFor(node.domain);
    KernelFactory factory = opset > 0 ? registry.Find(node.domain, node.op_type, opset) : nullptr;
    if (factory == nullptr) ThrowUnsupported(UnsupportedMessage(model, node, registry, opset));

    Step step;
    step.node = &node;
    bool all_constant = true;
    std::vector<const Tensor*> constant_inputs;
    for (const auto& name : node.inputs) {
      if (name.empty()) {
        step.inputs.push_back(-1);
        constant_inputs.push_back(nullptr);
        continue;
      }
      auto it = slots.find(name);
      if (it == slots.end()) {
        ThrowInvalidInput(model.source + ": " + node.Label() + " reads '" + name +
                          "', which no earlier node, initializer or graph input defines");
      }
      step.inputs.push_back(it->second);
      bool constant = plan.is_constant_[it->second] && plan.constants_[it->second].is_tensor();
      all_constant = all_constant && constant;
      constant_inputs.push_back(constant ? &plan.constants_[it->second].tensor() : nullptr);
    }
    KernelInfo info(node, opset, std::move(constant_inputs));
    step.kernel = WithSource(model.source, [&] { return factory(info); });
    for (const auto& name : node.outputs) {
      if (name.empty()) {
        step.outputs.push_back(-1);
        continue;
      }
      if (slots.count(name)) {
        ThrowInvalidInput(model.source + ": " + node.Label() + " writes '" + name + "', which is already defined");
      }
      step.outputs.push_back(new_slot(name));
    }

    if (all_constant) {
      // Every input is known at load time: compute once, keep the results.
      std::vector<const Value*> inputs;
      for (int slot : step.inputs) inputs.push_back(slot < 0 ? nullptr : &plan.constants_[slot]);
      std::vector<Value> outputs(node.outputs.size());
      KernelContext context(node, inputs, &outputs);
      WithSource(model.source, [&] {
        step.kernel->Compute(context);
        return 0;
      });
      for (size_t i = 0; i < step.outputs.size(); ++i) {
        if (step.outputs[i] < 0) continue;
        plan.constants_[step.outputs[i]] = std::move(outputs[i]);
        plan.is_constant_[step.outputs[i]] = true;
      }
      ++plan.folded_nodes_;
      continue;
    }
    plan.steps_.push_back(std::move(step));
  }

  for (const auto& output : model.graph.outputs) {
    auto it = slots.find(output.name);
    if (it == slots.end()) {
      ThrowInvalidInput(model.source + ": graph output '" + output.name + "' is never computed");
    }
    plan.output_slots_.push_back(it->second);
  }

  // Liveness: each dynamic slot is freed after the last step that reads it
  // (or right after the step that writes it, when nothing reads it).
  std::vector<int> last_use(plan.constants_.size(), -1);
  for (size_t i = 0; i < plan.steps_.size(); ++i) {
    for (int slot : plan.steps_[i].outputs) {
      if (slot >= 0) last_use[slot] = static_cast<int>(i);
    }
    for (int slot : plan.steps_[i].inputs) {
      if (slot >= 0) last_use[slot] = static_cast<int>(i);
    }
  }
  for (int slot : plan.output_slots_) last_use[slot] = -1;
  for (size_t slot = 0; slot < last_use.size(); ++slot) {
    if (last_use[slot] >= 0 && !plan.is_constant_[slot]) plan.steps_[last_use[slot]].release.push_back(static_cast<int>(slot));
  }
  return plan;
}

std::vector<Value> Plan::Execute(std::vector<Value> inputs) const {
  std::vector<Value> values(constants_.size());
  for (size_t i = 0; i < input_slots_.size() && i < inputs.size(); ++i) values[input_slots_[i]] = std::move(inputs[i]);
  TensorPool pool;
  // Reused by every step: a call of a small model is mostly bookkeeping.
  std::vector<const Value*> step_inputs;
  std::vector<Value> step_outputs;
  for (const Step& step : steps_) {
    step_inputs.assign(step.inputs.size(), nullptr);
    for (size_t i = 0; i < step.inputs.size(); ++i) {
      int slot = step.inputs[i];
      if (slot >= 0) step_inputs[i] = is_constant_[slot] ? &constants_[slot] : &values[slot];
    }
    step_outputs.assign(step.outputs.size(), Value());
    KernelContext context(*step.node, step_inputs, &step_outputs, &pool);
    step.kernel->Compute(context);
    for (size_t i = 0; i < step.outputs.size(); ++i) {
      if (step.outputs[i] >= 0) values[step.outputs[i]] = std::move(step_outputs[i]);
    }
    for (int slot : step.release) {
      if (values[slot].is_tensor()) pool.Release(std::move(values[slot].mutable_tensor()));
      values[slot] = Value();
    }
  }
  std::vector<Value> outputs;
  outputs.reserve(output_slots_.size());
  for (int slot : output_slots_) outputs.push_back(is_constant_[slot] ? constants_[slot] : values[slot]);
  return outputs;
}

}  // namespace cairn::runtime
