// Reads ONNX bytes into a Model: parse, version checks, the ONNX checker and
// strict shape inference, then conversion into cairn's structures.
#include <algorithm>
#include <climits>
#include <set>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/proto_convert.h"
#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"

namespace cairn::runtime {
namespace {

// The checker's messages can run to many lines of context; the first says what is wrong.
std::string FirstLine(const std::string& text) {
  auto end = text.find('\n');
  std::string line = end == std::string::npos ? text : text.substr(0, end);
  if (!line.empty() && line.back() == '.') line.pop_back();
  return line;
}

Attribute AttributeFromProto(const onnx::AttributeProto& proto, const std::string& where) {
  Attribute attribute;
  attribute.name = proto.name();
  switch (proto.type()) {
    case onnx::AttributeProto::FLOAT:
      attribute.type = AttributeType::kFloat;
      attribute.f = proto.f();
      break;
    case onnx::AttributeProto::INT:
      attribute.type = AttributeType::kInt;
      attribute.i = proto.i();
      break;
    case onnx::AttributeProto::STRING:
      attribute.type = AttributeType::kString;
      attribute.s = proto.s();
      break;
    case onnx::AttributeProto::TENSOR:
      attribute.type = AttributeType::kTensor;
      attribute.t = TensorFromProto(proto.t(), where + ": attribute '" + proto.name() + "'");
      break;
    case onnx::AttributeProto::FLOATS:
      attribute.type = AttributeType::kFloats;
      attribute.floats.assign(proto.floats().begin(), proto.floats().end());
      break;
    case onnx::AttributeProto::INTS:
      attribute.type = AttributeType::kInts;
      attribute.ints.assign(proto.ints().begin(), proto.ints().end());
      break;
    case onnx::AttributeProto::STRINGS:
      attribute.type = AttributeType::kStrings;
      attribute.strings.assign(proto.strings().begin(), proto.strings().end());
      break;
    case onnx::AttributeProto::GRAPH: attribute.type = AttributeType::kGraph; break;
    default: attribute.type = AttributeType::kOther; break;
  }
  return attribute;
}

void CheckVersions(const onnx::ModelProto& proto, const std::string& source) {
  if (proto.ir_version() > kMaxIrVersion) {
    ThrowUnsupported(source + ": IR version " + std::to_string(proto.ir_version()) +
                     " is newer than cairn supports (up to " + std::to_string(kMaxIrVersion) + ")");
  }
  const OpRegistry& registry = DefaultRegistry();
  for (const auto& opset : proto.opset_import()) {
    std::string domain = NormalizeDomain(opset.domain());
    int64_t max = registry.MaxOpset(domain);
    if (max > 0 && opset.version() > max) {
      ThrowUnsupported(source + ": opset " + std::to_string(opset.version()) + " of domain " +
                       DomainDisplayName(domain) + " is newer than cairn supports (up to " + std::to_string(max) +
                       ")");
    }
  }
}

// The newest ai.onnx.ml opset whose schemas ONNX 1.12's checker knows.
constexpr int64_t kCheckerMaxMlOpset = 3;

bool ImportsNewerMlOpset(const onnx::ModelProto& proto) {
  for (const auto& opset : proto.opset_import()) {
    if (NormalizeDomain(opset.domain()) == kOnnxMlDomain && opset.version() > kCheckerMaxMlOpset) return true;
  }
  return false;
}

// Sequences and maps, as ZipMap outputs them.
bool HasNonTensorValues(const onnx::ModelProto& proto) {
  auto non_tensor = [](const onnx::ValueInfoProto& info) {
    return info.type().value_case() != onnx::TypeProto::kTensorType;
  };
  const auto& graph = proto.graph();
  return std::any_of(graph.output().begin(), graph.output().end(), non_tensor) ||
         std::any_of(graph.value_info().begin(), graph.value_info().end(), non_tensor) ||
         std::any_of(graph.node().begin(), graph.node().end(),
                     [](const onnx::NodeProto& node) { return node.op_type() == "ZipMap"; });
}

void RunChecker(onnx::ModelProto& proto, const std::string& source) {
  // ai.onnx.ml 4 and 5 (TreeEnsemble) are unknown to this ONNX release's
  // checker; such models rely on cairn's own checks: every kernel validates
  // its attributes and the plan validates the graph's wiring.
  if (ImportsNewerMlOpset(proto)) return;
  try {
    onnx::checker::check_model(proto);
  } catch (const std::exception& e) {
    ThrowInvalidInput(source + ": the ONNX checker rejects the model: " + FirstLine(e.what()));
  }
  // ONNX 1.12's shape inference cannot type sequences of maps (ZipMap's
  // output), even when not strict; such graphs skip it, and cairn's plan checks
  // their wiring.
  if (HasNonTensorValues(proto)) return;
  try {
    // Strict inference: a type or shape conflict between nodes is an error.
    onnx::ShapeInferenceOptions options(/*check_type_val=*/true, /*strict_mode_val=*/1);
    onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    ThrowInvalidInput(source + ": inconsistent shapes or types: " + FirstLine(e.what()));
  }
}

ValueInfo ValueInfoFromProto(const onnx::ValueInfoProto& proto) {
  return ValueInfo{proto.name(), ValueTypeFromProto(proto.type())};
}

Model Convert(const onnx::ModelProto& proto, const std::string& source) {
  Model model;
  model.source = source;
  model.ir_version = proto.ir_version();
  model.producer_name = proto.producer_name();
  model.producer_version = proto.producer_version();
  model.domain = proto.domain();
  model.model_version = proto.model_version();
  model.doc_string = proto.doc_string();
  for (const auto& opset : proto.opset_import()) model.opsets[NormalizeDomain(opset.domain())] = opset.version();
  for (const auto& prop : proto.metadata_props()) model.metadata_props.emplace_back(prop.key(), prop.value());

  const auto& graph = proto.graph();
  model.graph.name = graph.name();
  std::set<std::string> initializer_names;
  for (const auto& initializer : graph.initializer()) {
    model.graph.initializers.emplace_back(
        initializer.name(), TensorFromProto(initializer, source + ": initializer '" + initializer.name() + "'"));
    initializer_names.insert(initializer.name());
  }
  for (const auto& input : graph.input()) {
    // Older IR versions list initializers among the inputs; they are not fed.
    if (initializer_names.count(input.name()) == 0) model.graph.inputs.push_back(ValueInfoFromProto(input));
  }
  for (const auto& output : graph.output()) model.graph.outputs.push_back(ValueInfoFromProto(output));
  for (const auto& info : graph.value_info()) model.graph.value_info.push_back(ValueInfoFromProto(info));
  for (const auto& node_proto : graph.node()) {
    Node node;
    node.name = node_proto.name();
    node.op_type = node_proto.op_type();
    node.domain = NormalizeDomain(node_proto.domain());
    node.inputs.assign(node_proto.input().begin(), node_proto.input().end());
    node.outputs.assign(node_proto.output().begin(), node_proto.output().end());
    std::string where = source + ": " + node.Label();
    for (const auto& attribute : node_proto.attribute()) node.attributes.push_back(AttributeFromProto(attribute, where));
    model.graph.nodes.push_back(std::move(node));
  }
  return model;
}

}  // namespace

Model LoadModelFromBytes(std::string_view bytes, std::string_view source_name) {
  std::string source(source_name);
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    ThrowUnsupported(source + ": models over 2 GiB (protobuf's limit) are not supported");
  }
  onnx::ModelProto proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    ThrowCorrupt(source + ": not a valid ONNX model (protobuf parse failed on " + std::to_string(bytes.size()) +
                 " bytes: truncated or damaged)");
  }
  if (!proto.has_graph()) ThrowCorrupt(source + ": not a valid ONNX model (no graph)");
  if (proto.ir_version() <= 0) ThrowCorrupt(source + ": not a valid ONNX model (no IR version)");
  if (proto.opset_import_size() == 0) ThrowCorrupt(source + ": not a valid ONNX model (no opset imports)");
  CheckVersions(proto, source);
  RunChecker(proto, source);
  return Convert(proto, source);
}

Model LoadModel(const std::string& path) {
  std::string bytes = ReadFile(path);
  return LoadModelFromBytes(bytes, path);
}

}  // namespace cairn::runtime
