// A small builder for the ONNX files cairn's trainers emit (ir_version 8,
// opset 17, ai.onnx.ml 3): inputs, nodes with attributes, initializers,
// outputs and metadata, serialized deterministically so that the same model
// gives the same bytes. The protobuf types stay inside onnx_graph.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::learn {

inline constexpr int64_t kOnnxIrVersion = 8;
inline constexpr int64_t kOnnxOpset = 17;
inline constexpr int64_t kOnnxMlOpset = 3;
inline constexpr const char* kOnnxMlDomain = "ai.onnx.ml";

enum class TensorType { kFloat, kDouble, kInt64, kString };

// A dimension of -1 is the symbolic batch size "N".
struct TensorSpec {
  std::string name;
  TensorType type = TensorType::kFloat;
  std::vector<int64_t> dims;
};

class OnnxGraph;

// Attributes of one node, set right after AddNode.
class OnnxNode {
 public:
  OnnxNode& Int(const std::string& name, int64_t value);
  OnnxNode& Float(const std::string& name, float value);
  OnnxNode& String(const std::string& name, const std::string& value);
  OnnxNode& Ints(const std::string& name, const std::vector<int64_t>& values);
  OnnxNode& Floats(const std::string& name, const std::vector<float>& values);
  OnnxNode& Strings(const std::string& name, const std::vector<std::string>& values);

 private:
  friend class OnnxGraph;
  explicit OnnxNode(void* proto) : proto_(proto) {}
  void* proto_;
};

class OnnxGraph {
 public:
  explicit OnnxGraph(const std::string& graph_name);
  ~OnnxGraph();
  OnnxGraph(const OnnxGraph&) = delete;
  OnnxGraph& operator=(const OnnxGraph&) = delete;

  // A tensor name not used yet, from `base` ("scaled", "scaled_1", ...).
  std::string Fresh(const std::string& base);

  void AddInput(const TensorSpec& spec);
  void AddOutput(const TensorSpec& spec);
  // Declares the type and shape of an intermediate tensor, for ai.onnx.ml ops
  // whose schemas infer none (Imputer, Scaler, OneHotEncoder, LabelEncoder).
  void AddValueInfo(const TensorSpec& spec);
  std::string AddFloats(const std::string& base, const std::vector<int64_t>& dims, const std::vector<float>& values);
  std::string AddDoubles(const std::string& base, const std::vector<int64_t>& dims, const std::vector<double>& values);
  std::string AddInt64s(const std::string& base, const std::vector<int64_t>& dims, const std::vector<int64_t>& values);
  // `domain` empty for the default ONNX domain, kOnnxMlDomain for ai.onnx.ml.
  OnnxNode AddNode(const std::string& op_type, const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                   const std::string& domain = "");
  // Convenience for a node with one output named from `base`; returns that name.
  std::string Op(const std::string& op_type, const std::vector<std::string>& inputs, const std::string& base);
  void SetMetadata(const std::string& key, const std::string& value);
  void SetDocString(const std::string& text);

  // Deterministic protobuf bytes.
  std::string Serialize() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The ONNX checker with full checking (the model check plus strict shape and
// type inference); kInvalidInput with the checker's message on failure.
void CheckOnnxModel(std::string_view model_bytes);

// Reads metadata_props of a serialized model (key, value), in file order.
std::vector<std::pair<std::string, std::string>> ReadOnnxMetadata(std::string_view model_bytes);

}  // namespace cairn::learn
