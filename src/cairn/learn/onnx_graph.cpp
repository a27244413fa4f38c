#include "cairn/learn/onnx_graph.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/onnx-ml.pb.h>
#include <onnx/shape_inference/implementation.h>

#include <set>

#include "cairn/core/error.h"
#include "cairn/core/version.h"

namespace cairn::learn {
namespace {

int32_t ElementType(TensorType type) {
  switch (type) {
    case TensorType::kFloat:
      return onnx::TensorProto::FLOAT;
    case TensorType::kDouble:
      return onnx::TensorProto::DOUBLE;
    case TensorType::kInt64:
      return onnx::TensorProto::INT64;
    case TensorType::kString:
      return onnx::TensorProto::STRING;
  }
  return onnx::TensorProto::FLOAT;
}

void FillValueInfo(onnx::ValueInfoProto* info, const TensorSpec& spec) {
  info->set_name(spec.name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(ElementType(spec.type));
  auto* shape = tensor->mutable_shape();
  for (int64_t dim : spec.dims) {
    if (dim < 0) {
      shape->add_dim()->set_dim_param("N");
    } else {
      shape->add_dim()->set_dim_value(dim);
    }
  }
}

onnx::NodeProto* Proto(void* proto) { return static_cast<onnx::NodeProto*>(proto); }

onnx::AttributeProto* NewAttribute(void* node, const std::string& name, onnx::AttributeProto::AttributeType type) {
  auto* attribute = Proto(node)->add_attribute();
  attribute->set_name(name);
  attribute->set_type(type);
  return attribute;
}

}  // namespace

OnnxNode& OnnxNode::Int(const std::string& name, int64_t value) {
  NewAttribute(proto_, name, onnx::AttributeProto::INT)->set_i(value);
  return *this;
}
OnnxNode& OnnxNode::Float(const std::string& name, float value) {
  NewAttribute(proto_, name, onnx::AttributeProto::FLOAT)->set_f(value);
  return *this;
}
OnnxNode& OnnxNode::String(const std::string& name, const std::string& value) {
  NewAttribute(proto_, name, onnx::AttributeProto::STRING)->set_s(value);
  return *this;
}
OnnxNode& OnnxNode::Ints(const std::string& name, const std::vector<int64_t>& values) {
  auto* attribute = NewAttribute(proto_, name, onnx::AttributeProto::INTS);
  for (int64_t value : values) attribute->add_ints(value);
  return *this;
}
OnnxNode& OnnxNode::Floats(const std::string& name, const std::vector<float>& values) {
  auto* attribute = NewAttribute(proto_, name, onnx::AttributeProto::FLOATS);
  for (float value : values) attribute->add_floats(value);
  return *this;
}
OnnxNode& OnnxNode::Strings(const std::string& name, const std::vector<std::string>& values) {
  auto* attribute = NewAttribute(proto_, name, onnx::AttributeProto::STRINGS);
  for (const auto& value : values) attribute->add_strings(value);
  return *this;
}

struct OnnxGraph::State {
  onnx::ModelProto model;
  std::set<std::string> names;
  int node_count = 0;
};

OnnxGraph::OnnxGraph(const std::string& graph_name) : state_(std::make_unique<State>()) {
  auto& model = state_->model;
  model.set_ir_version(kOnnxIrVersion);
  model.set_producer_name("cairn");
  model.set_producer_version(kVersion);
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  auto* ml = model.add_opset_import();
  ml->set_domain(kOnnxMlDomain);
  ml->set_version(kOnnxMlOpset);
  model.mutable_graph()->set_name(graph_name);
}

OnnxGraph::~OnnxGraph() = default;

std::string OnnxGraph::Fresh(const std::string& base) {
  std::string name = base;
  for (int i = 1; state_->names.count(name); ++i) name = base + "_" + std::to_string(i);
  state_->names.insert(name);
  return name;
}

void OnnxGraph::AddInput(const TensorSpec& spec) {
  state_->names.insert(spec.name);
  FillValueInfo(state_->model.mutable_graph()->add_input(), spec);
}

void OnnxGraph::AddOutput(const TensorSpec& spec) {
  state_->names.insert(spec.name);
  FillValueInfo(state_->model.mutable_graph()->add_output(), spec);
}

void OnnxGraph::AddValueInfo(const TensorSpec& spec) { FillValueInfo(state_->model.mutable_graph()->add_value_info(), spec); }

std::string OnnxGraph::AddFloats(const std::string& base, const std::vector<int64_t>& dims, const std::vector<float>& values) {
  std::string name = Fresh(base);
  auto* tensor = state_->model.mutable_graph()->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t dim : dims) tensor->add_dims(dim);
  for (float value : values) tensor->add_float_data(value);
  return name;
}

std::string OnnxGraph::AddDoubles(const std::string& base, const std::vector<int64_t>& dims, const std::vector<double>& values) {
  std::string name = Fresh(base);
  auto* tensor = state_->model.mutable_graph()->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::DOUBLE);
  for (int64_t dim : dims) tensor->add_dims(dim);
  for (double value : values) tensor->add_double_data(value);
  return name;
}

std::string OnnxGraph::AddInt64s(const std::string& base, const std::vector<int64_t>& dims, const std::vector<int64_t>& values) {
  std::string name = Fresh(base);
  auto* tensor = state_->model.mutable_graph()->add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::INT64);
  for (int64_t dim : dims) tensor->add_dims(dim);
  for (int64_t value : values) tensor->add_int64_data(value);
  return name;
}

OnnxNode OnnxGraph::AddNode(const std::string& op_type, const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs, const std::string& domain) {
  auto* node = state_->model.mutable_graph()->add_node();
  node->set_op_type(op_type);
  node->set_name(op_type + "_" + std::to_string(state_->node_count++));
  if (!domain.empty()) node->set_domain(domain);
  for (const auto& input : inputs) node->add_input(input);
  for (const auto& output : outputs) {
    state_->names.insert(output);
    node->add_output(output);
  }
  return OnnxNode(node);
}

std::string OnnxGraph::Op(const std::string& op_type, const std::vector<std::string>& inputs, const std::string& base) {
  std::string output = Fresh(base);
  AddNode(op_type, inputs, {output});
  return output;
}

void OnnxGraph::SetMetadata(const std::string& key, const std::string& value) {
  auto* entry = state_->model.add_metadata_props();
  entry->set_key(key);
  entry->set_value(value);
}

void OnnxGraph::SetDocString(const std::string& text) { state_->model.mutable_graph()->set_doc_string(text); }

std::string OnnxGraph::Serialize() const {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    state_->model.SerializeToCodedStream(&coded);
  }
  return bytes;
}

void CheckOnnxModel(std::string_view model_bytes) {
  onnx::ModelProto model;
  if (!model.ParseFromArray(model_bytes.data(), static_cast<int>(model_bytes.size()))) {
    ThrowInvalidInput("not an ONNX model: the protobuf does not parse");
  }
  try {
    onnx::checker::check_model(model);
    onnx::ShapeInferenceOptions options(/*check_type=*/true, /*strict_mode=*/1, /*data_prop=*/false);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    ThrowInvalidInput(std::string("ONNX checker: ") + e.what());
  }
}

std::vector<std::pair<std::string, std::string>> ReadOnnxMetadata(std::string_view model_bytes) {
  onnx::ModelProto model;
  if (!model.ParseFromArray(model_bytes.data(), static_cast<int>(model_bytes.size()))) {
    ThrowInvalidInput("not an ONNX model: the protobuf does not parse");
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : model.metadata_props()) out.emplace_back(entry.key(), entry.value());
  return out;
}

}  // namespace cairn::learn
