#include "cairn/runtime/session.h"

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/runtime/plan.h"

namespace cairn::runtime {

Session::Session(std::unique_ptr<Model> model, std::unique_ptr<Plan> plan)
    : model_(std::move(model)), plan_(std::move(plan)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Session Session::Load(const std::string& path, const SessionOptions& options) {
  return FromModel(LoadModel(path), options);
}

Session Session::LoadFromBytes(std::string_view bytes, std::string_view source_name, const SessionOptions& options) {
  return FromModel(LoadModelFromBytes(bytes, source_name), options);
}

namespace {

// Graph inputs and outputs must be values cairn can hold; ZipMap-style
// sequences of maps are accepted as outputs only.
void CheckInterfaceTypes(const Model& model) {
  auto check = [&](const ValueInfo& info, const char* role, bool allow_maps) {
    const ValueType& type = info.type;
    bool ok = type.kind == ValueKind::kTensor ? IsStorableType(type.elem_type)
                                              : allow_maps && type.kind == ValueKind::kSequenceOfMaps;
    if (!ok) {
      ThrowUnsupported(model.source + ": " + role + " '" + info.name + "' is " + type.ToString() +
                       ", which cairn cannot hold");
    }
  };
  for (const auto& input : model.graph.inputs) check(input, "input", false);
  for (const auto& output : model.graph.outputs) check(output, "output", true);
}

}  // namespace

Session Session::FromModel(Model model, const SessionOptions& options) {
  CheckInterfaceTypes(model);
  auto owned = std::make_unique<Model>(std::move(model));
  const OpRegistry& registry = options.registry != nullptr ? *options.registry : DefaultRegistry();
  auto plan = std::make_unique<Plan>(Plan::Build(*owned, registry));
  return Session(std::move(owned), std::move(plan));
}

size_t Session::step_count() const { return plan_->step_count(); }
size_t Session::folded_node_count() const { return plan_->folded_node_count(); }

void Session::CheckInput(const ValueInfo& info, const Value& value) const {
  // Built only on failure: this runs on every call.
  auto where = [&] { return model_->source + ": input '" + info.name + "'"; };
  if (info.type.kind != ValueKind::kTensor) {
    if (value.is_tensor()) ThrowInvalidInput(where() + " expects " + info.type.ToString() + ", got a tensor");
    return;
  }
  if (!value.is_tensor()) ThrowInvalidInput(where() + " expects " + info.type.ToString() + ", got " + value.Describe());
  const Tensor& tensor = value.tensor();
  if (info.type.elem_type != tensor.dtype()) {
    ThrowInvalidInput(where() + " expects " + info.type.ToString() + ", got " + tensor.Describe());
  }
  if (!info.type.has_shape) return;
  const auto& dims = info.type.dims;
  if (dims.size() != tensor.rank()) {
    ThrowInvalidInput(where() + " expects shape " + info.type.ToString() + " (rank " + std::to_string(dims.size()) +
                      "), got " + tensor.Describe());
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    if (!dims[i].value || *dims[i].value == tensor.dim(i)) continue;
    // A leading dimension fixed at 1 is taken as "any batch size" (see session.h).
    if (i == 0 && *dims[i].value == 1 && dims.size() >= 1) continue;
    ThrowInvalidInput(where() + " expects shape " + info.type.ToString() + ", got " + tensor.Describe() +
                      " (dimension " + std::to_string(i) + " differs)");
  }
}

std::vector<Value> Session::RunOrdered(std::vector<Value> inputs) const {
  const auto& declared = model_->graph.inputs;
  if (inputs.size() != declared.size()) {
    ThrowInvalidInput(model_->source + ": the model takes " + std::to_string(declared.size()) + " input(s), got " +
                      std::to_string(inputs.size()));
  }
  for (size_t i = 0; i < declared.size(); ++i) CheckInput(declared[i], inputs[i]);
  std::vector<Value> outputs = plan_->Execute(std::move(inputs));
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].empty()) {
      ThrowInvalidInput(model_->source + ": output '" + model_->graph.outputs[i].name + "' was not computed");
    }
  }
  return outputs;
}

std::map<std::string, Value> Session::Run(const std::map<std::string, Value>& inputs) const {
  const auto& declared = model_->graph.inputs;
  std::vector<std::string> names;
  for (const auto& info : declared) names.push_back(info.name);
  for (const auto& [name, value] : inputs) {
    bool known = false;
    for (const auto& n : names) known = known || n == name;
    if (!known) {
      std::string hint = ClosestMatch(name, names);
      ThrowInvalidInput(model_->source + ": the model has no input '" + name + "'" +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?") + " (inputs: " + Join(names, ", ") +
                        ")");
    }
  }
  std::vector<Value> ordered;
  for (const auto& info : declared) {
    auto it = inputs.find(info.name);
    if (it == inputs.end()) {
      ThrowInvalidInput(model_->source + ": input '" + info.name + "' (" + info.type.ToString() + ") is missing");
    }
    ordered.push_back(it->second);
  }
  std::vector<Value> outputs = RunOrdered(std::move(ordered));
  std::map<std::string, Value> named;
  for (size_t i = 0; i < outputs.size(); ++i) named[model_->graph.outputs[i].name] = std::move(outputs[i]);
  return named;
}

}  // namespace cairn::runtime
