// Session: a loaded model ready to run. Load once, then call Run from any
// number of threads at the same time.
//
// Batch dimension: older converters fixed the first dimension of inputs at 1.
// cairn accepts any size for a leading dimension declared as 1, runs the whole
// batch in one pass, and relies on the kernels' own shape checks for graphs
// that hard-code the batch elsewhere (for example in a Reshape constant).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/runtime/model.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/value.h"

namespace cairn::runtime {

class Plan;

struct SessionOptions {
  // The kernels to use; null for DefaultRegistry().
  const OpRegistry* registry = nullptr;
};

class Session {
 public:
  // Errors as LoadModel and Plan::Build: kIo, kCorrupt, kUnsupported (naming
  // the node, op, domain and opset), kInvalidInput.
  static Session Load(const std::string& path, const SessionOptions& options = {});
  static Session LoadFromBytes(std::string_view bytes, std::string_view source_name = "<bytes>",
                               const SessionOptions& options = {});
  static Session FromModel(Model model, const SessionOptions& options = {});

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  const Model& model() const { return *model_; }
  const std::vector<ValueInfo>& inputs() const { return model_->graph.inputs; }
  const std::vector<ValueInfo>& outputs() const { return model_->graph.outputs; }

  // Named inputs in, every graph output out. kInvalidInput naming the input
  // for a missing or unknown name, a wrong type, rank or dimension.
  std::map<std::string, Value> Run(const std::map<std::string, Value>& inputs) const;
  // Inputs in the order of inputs(); outputs in the order of outputs().
  std::vector<Value> RunOrdered(std::vector<Value> inputs) const;

  // Nodes computed per call and nodes folded into constants at load time.
  size_t step_count() const;
  size_t folded_node_count() const;

 private:
  Session(std::unique_ptr<Model> model, std::unique_ptr<Plan> plan);
  void CheckInput(const ValueInfo& info, const Value& value) const;

  std::unique_ptr<Model> model_;  // heap-held: the plan points into it
  std::unique_ptr<Plan> plan_;
};

}  // namespace cairn::runtime
