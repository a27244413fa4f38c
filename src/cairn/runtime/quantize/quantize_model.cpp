#include "cairn/runtime/quantize/quantize_model.h"

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "cairn/core/error.h"
#include "cairn/runtime/model_writer.h"
#include "cairn/runtime/quantize/weight_quantization.h"

namespace cairn::runtime::quantize {

std::string_view QuantizeFormatName(QuantizeFormat format) {
  switch (format) {
    case QuantizeFormat::kMatMulInteger: return "matmul-integer";
    case QuantizeFormat::kQdq: return "qdq";
  }
  return "unknown";
}

QuantizeFormat ParseQuantizeFormat(std::string_view name) {
  for (auto format : {QuantizeFormat::kMatMulInteger, QuantizeFormat::kQdq}) {
    if (name == QuantizeFormatName(format)) return format;
  }
  ThrowInvalidInput("unknown quantization form '" + std::string(name) + "'; choose matmul-integer or qdq");
}

namespace {

constexpr const char* kMetadataKey = "cairn.quantization";

// Fresh value and node names that collide with nothing in the graph.
class NameAllocator {
 public:
  explicit NameAllocator(const Graph& graph) {
    for (const auto& node : graph.nodes) {
      for (const auto& name : node.inputs) taken_.insert(name);
      for (const auto& name : node.outputs) taken_.insert(name);
      taken_.insert(node.name);
    }
    for (const auto& [name, tensor] : graph.initializers) taken_.insert(name);
    for (const auto& info : graph.inputs) taken_.insert(info.name);
    for (const auto& info : graph.outputs) taken_.insert(info.name);
    for (const auto& info : graph.value_info) taken_.insert(info.name);
  }
  std::string Fresh(const std::string& base) {
    std::string name = base;
    for (int i = 1; taken_.count(name) > 0; ++i) name = base + "_" + std::to_string(i);
    taken_.insert(name);
    return name;
  }

 private:
  std::set<std::string> taken_;
};

Attribute IntAttribute(const std::string& name, int64_t value) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInt;
  a.i = value;
  return a;
}

int64_t IntAttr(const Node& node, std::string_view name, int64_t fallback) {
  const Attribute* a = node.FindAttribute(name);
  return a != nullptr && a->type == AttributeType::kInt ? a->i : fallback;
}

float FloatAttr(const Node& node, std::string_view name, float fallback) {
  const Attribute* a = node.FindAttribute(name);
  return a != nullptr && a->type == AttributeType::kFloat ? a->f : fallback;
}

// What one MatMul or Gemm node needs to be rewritten.
struct Candidate {
  std::string activation;
  std::string weight;
  bool transpose = false;  // Gemm transB=1: the stored weight is [N, K]
  float alpha = 1.0f;
  std::string bias;        // a value to add after the product, "" for none
  std::optional<Tensor> folded_bias;  // beta * C when C is constant and beta != 1
};

class Rewriter {
 public:
  Rewriter(const Model& model, const QuantizeOptions& options, QuantizeResult& result)
      : model_(model), options_(options), result_(result), names_(model.graph) {
    for (size_t i = 0; i < model.graph.initializers.size(); ++i) {
      initializers_.emplace(model.graph.initializers[i].first, i);
    }
  }

  void Run() {
    Graph& graph = result_.quantized.graph;
    std::vector<Node> nodes;
    for (const Node& node : model_.graph.nodes) {
      std::optional<Candidate> candidate = Inspect(node);
      if (!candidate) {
        nodes.push_back(node);
        continue;
      }
      Emit(node, *candidate, nodes);
      ++result_.nodes_quantized;
    }
    graph.nodes = std::move(nodes);
    for (auto& entry : added_initializers_) graph.initializers.push_back(std::move(entry));
    DropUnusedWeights(graph);
  }

 private:
  const Tensor* Initializer(const std::string& name) const {
    auto it = initializers_.find(name);
    return it == initializers_.end() ? nullptr : &model_.graph.initializers[it->second].second;
  }

  std::optional<Candidate> Inspect(const Node& node) {
    if (!node.domain.empty() || (node.op_type != "MatMul" && node.op_type != "Gemm")) return std::nullopt;
    auto skip = [&](const std::string& why) -> std::optional<Candidate> {
      result_.skipped.push_back(node.Label() + ": " + why);
      return std::nullopt;
    };
    if (node.inputs.size() < 2) return std::nullopt;
    const Tensor* weight = Initializer(node.inputs[1]);
    if (weight == nullptr) return skip("its weight '" + node.inputs[1] + "' is not a constant initializer");
    if (Initializer(node.inputs[0]) != nullptr) return skip("both operands are constant (folded at load time)");
    if (weight->dtype() != DataType::kFloat32 || weight->rank() != 2) {
      return skip("weight " + weight->Describe() + " is not a float32 matrix");
    }
    if (weight->size() < options_.min_weight_elements) {
      return skip("weight of " + std::to_string(weight->size()) + " elements is under the minimum of " +
                  std::to_string(options_.min_weight_elements));
    }
    Candidate c;
    c.activation = node.inputs[0];
    c.weight = node.inputs[1];
    if (node.op_type == "Gemm") {
      if (IntAttr(node, "transA", 0) != 0) return skip("transA=1 is not quantized");
      c.transpose = IntAttr(node, "transB", 0) != 0;
      c.alpha = FloatAttr(node, "alpha", 1.0f);
      float beta = FloatAttr(node, "beta", 1.0f);
      if (node.inputs.size() > 2 && !node.inputs[2].empty() && beta != 0.0f) {
        const Tensor* bias = Initializer(node.inputs[2]);
        if (beta == 1.0f) {
          c.bias = node.inputs[2];
        } else if (bias != nullptr && bias->dtype() == DataType::kFloat32) {
          Tensor scaled = bias->Clone();
          for (float& v : scaled.mutable_values<float>()) v *= beta;
          c.folded_bias = std::move(scaled);
        } else {
          return skip("beta=" + std::to_string(beta) + " with a computed C is not quantized");
        }
      }
    }
    return c;
  }

  struct ActivationNames {
    std::string quantized, scale, zero_point, dequantized;
  };

  // DynamicQuantizeLinear once per activation, however many products read it.
  const ActivationNames& QuantizedActivation(const std::string& x, std::vector<Node>& nodes) {
    auto it = activations_.find(x);
    if (it != activations_.end()) {
      if (options_.format == QuantizeFormat::kQdq && it->second.dequantized.empty()) AddDequantized(it->second, x, nodes);
      return it->second;
    }
    ActivationNames n{names_.Fresh(x + "_quantized"), names_.Fresh(x + "_scale"), names_.Fresh(x + "_zero_point"), ""};
    nodes.push_back(Node{names_.Fresh(x + "_DynamicQuantizeLinear"), "DynamicQuantizeLinear", "", {x},
                         {n.quantized, n.scale, n.zero_point}, {}});
    if (options_.format == QuantizeFormat::kQdq) AddDequantized(n, x, nodes);
    return activations_.emplace(x, std::move(n)).first->second;
  }

  void AddDequantized(ActivationNames& n, const std::string& x, std::vector<Node>& nodes) {
    n.dequantized = names_.Fresh(x + "_dequantized");
    nodes.push_back(Node{names_.Fresh(x + "_DequantizeLinear"), "DequantizeLinear", "",
                         {n.quantized, n.scale, n.zero_point}, {n.dequantized}, {}});
  }

  struct WeightNames {
    std::string values, scales, zero_points, dequantized;
  };

  // One int8 copy per (weight, orientation, alpha), shared by the nodes using it.
  const WeightNames& QuantizedWeight(const Candidate& c, std::vector<Node>& nodes) {
    auto key = std::make_tuple(c.weight, c.transpose, c.alpha);
    auto it = weights_.find(key);
    if (it != weights_.end()) return it->second;
    const Tensor& original = *Initializer(c.weight);
    Tensor w = c.transpose ? Transpose2D(original) : original.Clone();
    if (c.alpha != 1.0f) {
      for (float& v : w.mutable_values<float>()) v *= c.alpha;
    }
    ChannelQuantizedWeights q = QuantizePerColumn(w);
    WeightNames n{names_.Fresh(c.weight + "_quantized"), names_.Fresh(c.weight + "_scale"), "", ""};
    result_.weight_bytes_before += original.byte_size();
    result_.weight_bytes_after += q.values.byte_size() + q.scales.byte_size();
    ++result_.weights_quantized;
    int64_t columns = q.scales.size();
    added_initializers_.emplace_back(n.values, std::move(q.values));
    added_initializers_.emplace_back(n.scales, std::move(q.scales));
    if (options_.format == QuantizeFormat::kQdq) {
      n.zero_points = names_.Fresh(c.weight + "_zero_point");
      n.dequantized = names_.Fresh(c.weight + "_dequantized");
      Tensor zeros(DataType::kInt8, {columns});
      result_.weight_bytes_after += zeros.byte_size();
      added_initializers_.emplace_back(n.zero_points, std::move(zeros));
      // Constant at load time: engines fold this back to float or fuse it.
      nodes.push_back(Node{names_.Fresh(c.weight + "_DequantizeLinear"), "DequantizeLinear", "",
                           {n.values, n.scales, n.zero_points}, {n.dequantized}, {IntAttribute("axis", 1)}});
    }
    replaced_.insert(c.weight);
    return weights_.emplace(key, std::move(n)).first->second;
  }

  void Emit(const Node& node, const Candidate& c, std::vector<Node>& nodes) {
    const std::string& output = node.outputs.at(0);
    const std::string stem = node.name.empty() ? output : node.name;
    const ActivationNames& x = QuantizedActivation(c.activation, nodes);
    const WeightNames& w = QuantizedWeight(c, nodes);
    std::string bias = c.bias;
    if (c.folded_bias) {
      bias = names_.Fresh(stem + "_bias");
      added_initializers_.emplace_back(bias, *c.folded_bias);
    }
    std::string product = bias.empty() ? output : names_.Fresh(stem + "_product");
    if (options_.format == QuantizeFormat::kQdq) {
      nodes.push_back(Node{names_.Fresh(stem + "_MatMul"), "MatMul", "", {x.dequantized, w.dequantized}, {product}, {}});
    } else {
      std::string accumulator = names_.Fresh(stem + "_int32");
      std::string as_float = names_.Fresh(stem + "_int32_float");
      std::string scale = names_.Fresh(stem + "_output_scale");
      nodes.push_back(Node{names_.Fresh(stem + "_MatMulInteger"), "MatMulInteger", "",
                           {x.quantized, w.values, x.zero_point}, {accumulator}, {}});
      nodes.push_back(Node{names_.Fresh(stem + "_Cast"), "Cast", "", {accumulator}, {as_float},
                           {IntAttribute("to", static_cast<int64_t>(DataType::kFloat32))}});
      nodes.push_back(Node{names_.Fresh(stem + "_scale_Mul"), "Mul", "", {x.scale, w.scales}, {scale}, {}});
      nodes.push_back(Node{names_.Fresh(stem + "_Mul"), "Mul", "", {as_float, scale}, {product}, {}});
    }
    if (!bias.empty()) {
      nodes.push_back(Node{names_.Fresh(stem + "_bias_Add"), "Add", "", {product, bias}, {output}, {}});
    }
  }

  // Float weights that no node reads any more leave the file.
  void DropUnusedWeights(Graph& graph) {
    std::set<std::string> used;
    for (const auto& node : graph.nodes) used.insert(node.inputs.begin(), node.inputs.end());
    for (const auto& info : graph.outputs) used.insert(info.name);
    std::set<std::string> dropped;
    std::vector<std::pair<std::string, Tensor>> kept;
    for (auto& entry : graph.initializers) {
      if (replaced_.count(entry.first) > 0 && used.count(entry.first) == 0) dropped.insert(entry.first);
      else kept.push_back(std::move(entry));
    }
    graph.initializers = std::move(kept);
    std::erase_if(graph.value_info, [&](const ValueInfo& info) { return dropped.count(info.name) > 0; });
  }

  const Model& model_;
  const QuantizeOptions& options_;
  QuantizeResult& result_;
  NameAllocator names_;
  std::map<std::string, size_t> initializers_;
  std::map<std::string, ActivationNames> activations_;
  std::map<std::tuple<std::string, bool, float>, WeightNames> weights_;
  std::vector<std::pair<std::string, Tensor>> added_initializers_;
  std::set<std::string> replaced_;
};

}  // namespace

QuantizeResult QuantizeModel(const Model& model, const QuantizeOptions& options) {
  // DynamicQuantizeLinear appeared in opset 11, per-axis DequantizeLinear in 13.
  int64_t needed = options.format == QuantizeFormat::kQdq ? 13 : 11;
  int64_t opset = model.OpsetFor(kOnnxDomain);
  if (opset < needed) {
    ThrowUnsupported(model.source + ": ai.onnx opset " + std::to_string(opset) + " is too old for the " +
                     std::string(QuantizeFormatName(options.format)) + " form, which needs opset " +
                     std::to_string(needed) + " or newer");
  }
  QuantizeResult result;
  result.quantized = model;
  result.bytes_before = SerializeModel(model).size();
  Rewriter(model, options, result).Run();
  if (result.nodes_quantized > 0) {
    auto& props = result.quantized.metadata_props;
    std::erase_if(props, [](const auto& entry) { return entry.first == kMetadataKey; });
    props.emplace_back(kMetadataKey, "int8 " + std::string(QuantizeFormatName(options.format)) +
                                         ": weights symmetric per output channel, activations dynamic u8 per tensor");
  }
  result.bytes_after = SerializeModel(result.quantized).size();
  return result;
}

QuantizedBytes QuantizeModelBytes(std::string_view onnx_bytes, const QuantizeOptions& options,
                                  std::string_view source_name) {
  QuantizedBytes out;
  out.summary = QuantizeModel(LoadModelFromBytes(onnx_bytes, source_name), options);
  out.bytes = SerializeModel(out.summary.quantized);
  // The result goes through the same checker as any model cairn loads.
  LoadModelFromBytes(out.bytes, std::string(source_name) + " (quantized)");
  return out;
}

}  // namespace cairn::runtime::quantize
