#include "cairn/runtime/model_writer.h"

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/runtime/proto_convert.h"

namespace cairn::runtime {
namespace {

void TensorToProto(const Tensor& tensor, const std::string& name, onnx::TensorProto* proto) {
  proto->set_name(name);
  proto->set_data_type(static_cast<int32_t>(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto->add_dims(d);
  if (tensor.dtype() == DataType::kString) {
    for (const auto& s : tensor.values<std::string>()) proto->add_string_data(s);
  } else {
    proto->set_raw_data(static_cast<const char*>(tensor.raw_data()), tensor.byte_size());
  }
}

void TypeToProto(const ValueType& type, onnx::TypeProto* proto) {
  switch (type.kind) {
    case ValueKind::kTensor: {
      auto* tensor = proto->mutable_tensor_type();
      tensor->set_elem_type(static_cast<int32_t>(type.elem_type));
      if (type.has_shape) {
        auto* shape = tensor->mutable_shape();
        for (const auto& dim : type.dims) {
          auto* d = shape->add_dim();
          if (dim.value) d->set_dim_value(*dim.value);
          else if (!dim.symbol.empty()) d->set_dim_param(dim.symbol);
        }
      }
      break;
    }
    case ValueKind::kSequenceOfMaps: {
      auto* map = proto->mutable_sequence_type()->mutable_elem_type()->mutable_map_type();
      map->set_key_type(static_cast<int32_t>(type.key_type));
      map->mutable_value_type()->mutable_tensor_type()->set_elem_type(static_cast<int32_t>(type.elem_type));
      break;
    }
    case ValueKind::kMap: {
      auto* map = proto->mutable_map_type();
      map->set_key_type(static_cast<int32_t>(type.key_type));
      map->mutable_value_type()->mutable_tensor_type()->set_elem_type(static_cast<int32_t>(type.elem_type));
      break;
    }
    case ValueKind::kOther: ThrowUnsupported("cannot write a value of an unknown type");
  }
}

void ValueInfoToProto(const ValueInfo& info, onnx::ValueInfoProto* proto) {
  proto->set_name(info.name);
  TypeToProto(info.type, proto->mutable_type());
}

void AttributeToProto(const Attribute& attribute, onnx::AttributeProto* proto) {
  proto->set_name(attribute.name);
  switch (attribute.type) {
    case AttributeType::kFloat:
      proto->set_type(onnx::AttributeProto::FLOAT);
      proto->set_f(attribute.f);
      break;
    case AttributeType::kInt:
      proto->set_type(onnx::AttributeProto::INT);
      proto->set_i(attribute.i);
      break;
    case AttributeType::kString:
      proto->set_type(onnx::AttributeProto::STRING);
      proto->set_s(attribute.s);
      break;
    case AttributeType::kTensor:
      proto->set_type(onnx::AttributeProto::TENSOR);
      TensorToProto(attribute.t, "", proto->mutable_t());
      break;
    case AttributeType::kFloats:
      proto->set_type(onnx::AttributeProto::FLOATS);
      for (float f : attribute.floats) proto->add_floats(f);
      break;
    case AttributeType::kInts:
      proto->set_type(onnx::AttributeProto::INTS);
      for (int64_t i : attribute.ints) proto->add_ints(i);
      break;
    case AttributeType::kStrings:
      proto->set_type(onnx::AttributeProto::STRINGS);
      for (const auto& s : attribute.strings) proto->add_strings(s);
      break;
    default: ThrowUnsupported("attribute '" + attribute.name + "': cannot write " + std::string(AttributeTypeName(attribute.type)) + " attributes");
  }
}

}  // namespace

std::string SerializeModel(const Model& model) {
  onnx::ModelProto proto;
  proto.set_ir_version(model.ir_version);
  proto.set_producer_name(model.producer_name);
  proto.set_producer_version(model.producer_version);
  proto.set_domain(model.domain);
  proto.set_model_version(model.model_version);
  proto.set_doc_string(model.doc_string);
  for (const auto& [domain, version] : model.opsets) {
    auto* opset = proto.add_opset_import();
    opset->set_domain(domain);
    opset->set_version(version);
  }
  for (const auto& [key, value] : model.metadata_props) {
    auto* prop = proto.add_metadata_props();
    prop->set_key(key);
    prop->set_value(value);
  }
  auto* graph = proto.mutable_graph();
  graph->set_name(model.graph.name);
  for (const auto& node : model.graph.nodes) {
    auto* n = graph->add_node();
    n->set_name(node.name);
    n->set_op_type(node.op_type);
    n->set_domain(node.domain);
    for (const auto& input : node.inputs) n->add_input(input);
    for (const auto& output : node.outputs) n->add_output(output);
    for (const auto& attribute : node.attributes) AttributeToProto(attribute, n->add_attribute());
  }
  for (const auto& [name, tensor] : model.graph.initializers) TensorToProto(tensor, name, graph->add_initializer());
  for (const auto& input : model.graph.inputs) ValueInfoToProto(input, graph->add_input());
  for (const auto& output : model.graph.outputs) ValueInfoToProto(output, graph->add_output());
  for (const auto& info : model.graph.value_info) ValueInfoToProto(info, graph->add_value_info());
  return proto.SerializeAsString();
}

void SaveModel(const Model& model, const std::string& path) { WriteFileAtomic(path, SerializeModel(model)); }

}  // namespace cairn::runtime
