// Model: an ONNX model parsed into cairn's own plain structures (no protobuf
// types), plus the loaders that read and check it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/runtime/tensor.h"

namespace cairn::runtime {

// The default ONNX domain is spelled "" in models; cairn normalises
// "ai.onnx" to "" as well.
inline constexpr std::string_view kOnnxDomain = "";
inline constexpr std::string_view kOnnxMlDomain = "ai.onnx.ml";
// "ai.onnx" for the default domain, else the domain itself (for messages).
std::string DomainDisplayName(std::string_view domain);

enum class AttributeType { kUndefined, kFloat, kInt, kString, kTensor, kGraph, kFloats, kInts, kStrings, kOther };
std::string_view AttributeTypeName(AttributeType type);

struct Attribute {
  std::string name;
  AttributeType type = AttributeType::kUndefined;
  float f = 0;
  int64_t i = 0;
  std::string s;
  Tensor t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;  // "" for ai.onnx
  std::vector<std::string> inputs;   // "" marks an absent optional input
  std::vector<std::string> outputs;  // "" marks an unused optional output
  std::vector<Attribute> attributes;

  const Attribute* FindAttribute(std::string_view attribute_name) const;
  // "node 'name' (Op)" or "node #index (Op)" when unnamed; for messages.
  std::string Label() const;
};

// A dimension is a number, a symbol ("batch") or unknown.
struct Dimension {
  std::optional<int64_t> value;
  std::string symbol;
  std::string ToString() const;  // "3", "batch" or "?"
};

enum class ValueKind { kTensor, kSequenceOfMaps, kMap, kOther };

struct ValueType {
  ValueKind kind = ValueKind::kTensor;
  DataType elem_type = DataType::kUndefined;  // tensor element, or map value
  DataType key_type = DataType::kUndefined;   // maps only
  bool has_shape = false;                     // false: rank unknown
  std::vector<Dimension> dims;
  // "float32[batch, 4]", "seq(map(int64, float32))".
  std::string ToString() const;
};

struct ValueInfo {
  std::string name;
  ValueType type;
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<std::pair<std::string, Tensor>> initializers;
  std::vector<ValueInfo> inputs;  // graph inputs that are not initializers
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> value_info;  // intermediate types, declared or inferred
};

struct Model {
  int64_t ir_version = 0;
  std::string producer_name;
  std::string producer_version;
  std::string domain;
  int64_t model_version = 0;
  std::string doc_string;
  std::map<std::string, int64_t> opsets;  // domain ("" for ai.onnx) -> version
  std::vector<std::pair<std::string, std::string>> metadata_props;
  Graph graph;
  std::string source;  // file name or "<bytes>", for messages

  // The model's opset for a domain, or 0 when it does not import it.
  int64_t OpsetFor(std::string_view domain) const;
};

// The newest IR version cairn reads (ONNX 1.12's).
inline constexpr int64_t kMaxIrVersion = 8;

// Parse, check (ONNX checker, full check with shape inference) and convert.
// Errors: kIo when the file cannot be read; kCorrupt when the bytes are not
// an ONNX model; kUnsupported for a newer IR version or opset, or a value
// type cairn cannot hold; kInvalidInput when the checker or shape inference
// finds the graph inconsistent. Every message starts with the source name.
Model LoadModel(const std::string& path);
Model LoadModelFromBytes(std::string_view bytes, std::string_view source_name = "<bytes>");

}  // namespace cairn::runtime
