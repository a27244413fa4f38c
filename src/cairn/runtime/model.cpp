#include "cairn/runtime/model.h"

namespace cairn::runtime {

std::string DomainDisplayName(std::string_view domain) {
  return domain.empty() ? std::string("ai.onnx") : std::string(domain);
}

std::string_view AttributeTypeName(AttributeType type) {
  switch (type) {
    case AttributeType::kUndefined: return "undefined";
    case AttributeType::kFloat: return "float";
    case AttributeType::kInt: return "int";
    case AttributeType::kString: return "string";
    case AttributeType::kTensor: return "tensor";
    case AttributeType::kGraph: return "graph";
    case AttributeType::kFloats: return "floats";
    case AttributeType::kInts: return "ints";
    case AttributeType::kStrings: return "strings";
    case AttributeType::kOther: return "other";
  }
  return "unknown";
}

const Attribute* Node::FindAttribute(std::string_view attribute_name) const {
  for (const auto& attribute : attributes) {
    if (attribute.name == attribute_name) return &attribute;
  }
  return nullptr;
}

std::string Node::Label() const {
  std::string op = domain.empty() ? op_type : domain + "." + op_type;
  if (!name.empty()) return "node '" + name + "' (" + op + ")";
  for (const auto& output : outputs) {
    if (!output.empty()) return "node producing '" + output + "' (" + op + ")";
  }
  return "unnamed node (" + op + ")";
}

std::string Dimension::ToString() const {
  if (value) return std::to_string(*value);
  if (!symbol.empty()) return symbol;
  return "?";
}

std::string ValueType::ToString() const {
  switch (kind) {
    case ValueKind::kTensor: {
      std::string out(DataTypeName(elem_type));
      if (!has_shape) return out + "[...]";
      out += "[";
      for (size_t i = 0; i < dims.size(); ++i) out += (i > 0 ? ", " : "") + dims[i].ToString();
      return out + "]";
    }
    case ValueKind::kSequenceOfMaps:
      return "seq(map(" + std::string(DataTypeName(key_type)) + ", " + std::string(DataTypeName(elem_type)) + "))";
    case ValueKind::kMap:
      return "map(" + std::string(DataTypeName(key_type)) + ", " + std::string(DataTypeName(elem_type)) + ")";
    case ValueKind::kOther: return "other";
  }
  return "other";
}

int64_t Model::OpsetFor(std::string_view domain) const {
  std::string key = domain == "ai.onnx" ? std::string() : std::string(domain);
  auto it = opsets.find(key);
  return it == opsets.end() ? 0 : it->second;
}

}  // namespace cairn::runtime
