// Cross-checks every ai.onnx.ml and ai.onnx kernel against ONNX Runtime (and
// the ML ones against scikit-learn): ml_models.py writes the models, inputs
// and reference outputs once; each case is run in cairn and compared (floats
// within 1e-5, labels and integers exactly).
// Also: mutated copies of ML models must fail cleanly or run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cairn/core/error.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/session.h"

namespace cairn::runtime {
namespace {

using nlohmann::json;

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return json::parse(in);
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Generated once per test binary run; the directory goes at exit unless
// CAIRN_KEEP_ML_CASES is set (to look at a failure).
struct Cases {
  std::string dir;
  json list;
  std::string error;
  ~Cases() {
    if (!dir.empty() && std::getenv("CAIRN_KEEP_ML_CASES") == nullptr) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }
};

const Cases& GeneratedCases() {
  static const Cases cases = [] {
    Cases c;
    std::string source = CAIRN_SOURCE_DIR;
    if (!std::filesystem::exists(source + "/tests/tools/ort/node_modules/onnxruntime-node/package.json")) {
      c.error = "ONNX Runtime is not installed: run tests/tools/ort/install.sh";
      return c;
    }
    char pattern[] = "/tmp/cairn_ml_XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      c.error = "mkdtemp failed";
      return c;
    }
    c.dir = pattern;
    std::string command = "/usr/bin/python3 " + source + "/tests/runtime/ml_models.py " + c.dir + " > " + c.dir +
                          "/generate.log 2>&1";
    if (std::system(command.c_str()) != 0) {
      c.error = "ml_models.py failed: " + ReadBytes(c.dir + "/generate.log");
      return c;
    }
    c.list = ReadJson(c.dir + "/cases.json");
    return c;
  }();
  return cases;
}

Tensor TensorFromJson(const json& spec) {
  Shape shape = spec.at("shape").get<Shape>();
  std::string type = spec.at("type");
  const json& data = spec.at("data");
  if (type == "float32") {
    std::vector<float> v;
    for (const auto& x : data) v.push_back(x.is_null() ? NAN : x.get<float>());
    return Tensor::FromVector<float>(shape, v);
  }
  if (type == "float64") {
    std::vector<double> v;
    for (const auto& x : data) v.push_back(x.is_null() ? NAN : x.get<double>());
    return Tensor::FromVector<double>(shape, v);
  }
  if (type == "int64") return Tensor::FromVector<int64_t>(shape, data.get<std::vector<int64_t>>());
  if (type == "int32") return Tensor::FromVector<int32_t>(shape, data.get<std::vector<int32_t>>());
  if (type == "uint8") return Tensor::FromVector<uint8_t>(shape, data.get<std::vector<uint8_t>>());
  if (type == "int8") return Tensor::FromVector<int8_t>(shape, data.get<std::vector<int8_t>>());
  if (type == "bool") {
    std::vector<bool> v;
    for (const auto& x : data) v.push_back(x.is_boolean() ? x.get<bool>() : x.get<int>() != 0);
    return Tensor::FromVector<bool>(shape, v);
  }
  if (type == "string") return Tensor::FromVector<std::string>(shape, data.get<std::vector<std::string>>());
  throw std::runtime_error("unknown tensor type " + type);
}

DataType TypeNamed(const std::string& name) {
  if (name == "float32") return DataType::kFloat32;
  if (name == "float64") return DataType::kFloat64;
  if (name == "int64") return DataType::kInt64;
  if (name == "int32") return DataType::kInt32;
  if (name == "string") return DataType::kString;
  if (name == "uint8") return DataType::kUint8;
  if (name == "int8") return DataType::kInt8;
  if (name == "bool") return DataType::kBool;
  throw std::runtime_error("unknown type " + name);
}

Attribute AttributeFromJson(const json& a) {
  Attribute attribute;
  attribute.name = a.at("name");
  std::string type = a.at("type");
  auto floats = [](const json& values) {
    std::vector<float> v;
    for (const auto& x : values) v.push_back(x.is_null() ? NAN : x.get<float>());
    return v;
  };
  if (type == "int") {
    attribute.type = AttributeType::kInt;
    attribute.i = a.at("value");
  } else if (type == "ints") {
    attribute.type = AttributeType::kInts;
    attribute.ints = a.at("value").get<std::vector<int64_t>>();
  } else if (type == "float") {
    attribute.type = AttributeType::kFloat;
    attribute.f = a.at("value").is_null() ? NAN : a.at("value").get<float>();
  } else if (type == "floats") {
    attribute.type = AttributeType::kFloats;
    attribute.floats = floats(a.at("value"));
  } else if (type == "string") {
    attribute.type = AttributeType::kString;
    attribute.s = a.at("value");
  } else if (type == "strings") {
    attribute.type = AttributeType::kStrings;
    attribute.strings = a.at("value").get<std::vector<std::string>>();
  } else {
    attribute.type = AttributeType::kTensor;
    DataType dtype = TypeNamed(a.at("dtype"));
    int64_t n = static_cast<int64_t>(a.at("data").size());
    if (dtype == DataType::kUint8) {
      attribute.t = Tensor::FromVector<uint8_t>({n}, a.at("data").get<std::vector<uint8_t>>());
    } else if (dtype == DataType::kFloat64) {
      std::vector<double> v;
      for (const auto& x : a.at("data")) v.push_back(x.is_null() ? NAN : x.get<double>());
      attribute.t = Tensor::FromVector<double>({n}, v);
    } else {
      attribute.t = Tensor::FromVector<float>({n}, floats(a.at("data")));
    }
  }
  return attribute;
}

ValueInfo ValueInfoFromJson(const json& v) {
  ValueType type;
  if (v.at("kind") == "seq_map") {
    type.kind = ValueKind::kSequenceOfMaps;
  } else {
    type.kind = ValueKind::kTensor;
    type.elem_type = TypeNamed(v.at("elem"));
  }
  return ValueInfo{v.at("name"), type};
}

// Models built directly from the graph's JSON description, without protobuf.
Model ModelFromGraphJson(const json& graph, const std::string& name) {
  Model model;
  model.ir_version = 8;
  model.source = name;
  for (const auto& [domain, version] : graph.at("opsets").items()) model.opsets[domain] = version.get<int64_t>();
  for (const auto& n : graph.at("nodes")) {
    Node node;
    node.op_type = n.at("op");
    node.domain = n.at("domain");
    node.inputs = n.at("inputs").get<std::vector<std::string>>();
    node.outputs = n.at("outputs").get<std::vector<std::string>>();
    for (const auto& a : n.at("attributes")) node.attributes.push_back(AttributeFromJson(a));
    model.graph.nodes.push_back(std::move(node));
  }
  for (const auto& v : graph.at("inputs")) model.graph.inputs.push_back(ValueInfoFromJson(v));
  for (const auto& v : graph.at("outputs")) model.graph.outputs.push_back(ValueInfoFromJson(v));
  return model;
}

// Every case goes through the file loader; the graph form is loaded too and
// must agree, which checks the loader's conversion of ml opset 5 and ZipMap.
Session LoadCase(const json& c) {
  if (c.contains("graph")) {
    Session from_file = Session::Load(c.at("cairn_model"));
    (void)Session::FromModel(ModelFromGraphJson(ReadJson(c.at("graph")), c.at("name")));
    return from_file;
  }
  return Session::Load(c.at("model"));
}

std::map<std::string, Value> FeedsOf(const json& c) {
  std::map<std::string, Value> feeds;
  json specs = ReadJson(c.at("inputs"));
  for (const auto& [name, spec] : specs.items()) feeds[name] = TensorFromJson(spec);
  return feeds;
}

// Compares one cairn output with a reference in ort_run.js's layout; returns
// "" or a description of the first differences.
std::string Compare(const Value& value, const json& expected, double tolerance) {
  const Tensor* actual = nullptr;
  Tensor map_values;
  if (value.is_map_sequence()) {
    // A sequence of maps is compared as its [rows, keys] value matrix.
    map_values = value.map_sequence().values;
    actual = &map_values;
    if (value.map_sequence().keys.size() != map_values.dim(1)) return "map keys do not match the value columns";
  } else {
    actual = &value.tensor();
  }
  std::string type = expected.at("type");
  Shape shape = expected.at("shape").get<Shape>();
  if (ElementCount(shape) != actual->size()) {
    return "shape " + ShapeToString(actual->shape()) + ", expected " + ShapeToString(shape);
  }
  if (actual->shape() != shape && !value.is_map_sequence()) {
    return "shape " + ShapeToString(actual->shape()) + ", expected " + ShapeToString(shape);
  }
  const json& data = expected.at("data");
  // Floats agree within 1e-5 relative to the output's largest magnitude (at
  // least 1): float32 sums of large terms carry absolute error of that size.
  double scale = 1.0;
  for (const auto& x : data) {
    if (x.is_number()) scale = std::max(scale, std::fabs(x.get<double>()));
  }
  int mismatches = 0;
  std::string first;
  for (int64_t i = 0; i < actual->size(); ++i) {
    bool ok = true;
    std::string got, want = data[i].dump();
    if (type == "string") {
      got = actual->data<std::string>()[i];
      ok = data[i].is_string() && got == data[i].get<std::string>();
    } else if (type == "int64" || type == "int32" || type == "uint8" || type == "int8" || type == "bool") {
      double v = actual->ValueAsDouble(i);
      got = std::to_string(v);
      // int64 and int32 labels stand for each other (ai.onnx.ml label types vary);
      // other integer types must match exactly.
      bool same_type = actual->dtype() == TypeNamed(type) ||
                       (type != "uint8" && type != "int8" && type != "bool" &&
                        (actual->dtype() == DataType::kInt64 || actual->dtype() == DataType::kInt32));
      ok = same_type && data[i].is_number() && v == data[i].get<double>();
    } else {
      double v = actual->ValueAsDouble(i);
      got = std::to_string(v);
      if (data[i].is_null()) {
        ok = !std::isfinite(v);
      } else {
        double w = data[i].get<double>();
        ok = std::fabs(v - w) <= tolerance * scale;
      }
    }
    if (!ok) {
      if (mismatches++ == 0) first = "element " + std::to_string(i) + ": got " + got + ", expected " + want;
    }
  }
  if (mismatches == 0) return "";
  return std::to_string(mismatches) + " of " + std::to_string(actual->size()) + " elements differ; first " + first;
}

TEST(MlCrossCheck, EveryCaseMatchesOnnxRuntimeAndScikitLearn) {
  const Cases& cases = GeneratedCases();
  ASSERT_TRUE(cases.error.empty()) << cases.error;
  int ort_models = 0, sklearn_models = 0;
  // Ops with a case, and ops with an ONNX Runtime case, by domain ("" for ai.onnx).
  std::map<std::string, std::set<std::string>> ops, ort_ops;
  for (const auto& c : cases.list) {
    std::string name = c.at("name");
    SCOPED_TRACE(name);
    std::set<std::string> skip;
    for (const auto& s : c.at("skip")) skip.insert(s.get<std::string>());
    std::map<std::string, Value> outputs;
    try {
      Session session = LoadCase(c);
      for (const auto& node : session.model().graph.nodes) {
        ops[NormalizeDomain(node.domain)].insert(node.op_type);
        if (c.contains("ort")) ort_ops[NormalizeDomain(node.domain)].insert(node.op_type);
      }
      outputs = session.Run(FeedsOf(c));
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << ": " << e.what();
      continue;
    }
    auto check = [&](const std::string& reference_path, const char* reference) {
      json reference_outputs = ReadJson(reference_path);
      if (reference_outputs.contains("error")) {
        ADD_FAILURE() << name << ": " << reference << " failed: " << reference_outputs.at("error");
        return false;
      }
      for (const auto& [output, expected] : reference_outputs.items()) {
        if (skip.count(output)) continue;
        auto it = outputs.find(output);
        if (it == outputs.end()) {
          ADD_FAILURE() << name << ": no output '" << output << "'";
          continue;
        }
        std::string diff = Compare(it->second, expected, c.value("tolerance", 1e-5));
        EXPECT_TRUE(diff.empty()) << name << ": output '" << output << "' against " << reference << ": " << diff;
      }
      return true;
    };
    if (c.contains("ort") && check(c.at("ort"), "ONNX Runtime")) ++ort_models;
    if (c.contains("sklearn") && check(c.at("sklearn"), "scikit-learn")) ++sklearn_models;
  }
  for (const auto& [domain, names] : ops) {
    std::string op_list;
    for (const auto& op : names) op_list += " " + op;
    std::cout << "[ ml ] " << DomainDisplayName(domain) << ": " << names.size() << " ops:" << op_list << "\n";
  }
  std::cout << "[ ml ] " << cases.list.size() << " models: " << ort_models << " checked against ONNX Runtime, "
            << sklearn_models << " against scikit-learn\n";
  // A newly registered op fails here until ml_models.py checks it. ai.onnx
  // ops need an ONNX Runtime case; ai.onnx.ml's ZipMap has none (the node
  // binding cannot return maps), so ML ops need a case with any reference.
  for (const auto& key : DefaultRegistry().Ops()) {
    bool onnx_domain = key.domain.empty();
    EXPECT_TRUE((onnx_domain ? ort_ops : ops)[key.domain].count(key.op_type))
        << DomainDisplayName(key.domain) << "::" << key.op_type << " is registered but has no "
        << (onnx_domain ? "ONNX Runtime " : "") << "case in ml_models.py";
  }
}

// Truncated and bit-flipped copies of ML models: a cairn::Error or a run,
// never a crash (the sanitizers watch the rest).
TEST(MlCrossCheck, MutatedModelsFailCleanly) {
  const Cases& cases = GeneratedCases();
  ASSERT_TRUE(cases.error.empty()) << cases.error;
  std::mt19937 rng(20240611);
  int loaded = 0, rejected = 0;
  for (const std::string wanted : {"sklearn_gradient_boosting", "svm_classifier_RBF_3_1", "sklearn_pipeline_zipmap",
                                   "tree_regressor_SUM_NONE_0"}) {
    const json* found = nullptr;
    for (const auto& c : cases.list) {
      if (c.at("name") == wanted) found = &c;
    }
    if (found == nullptr) continue;
    std::string bytes = ReadBytes(found->at("model"));
    std::map<std::string, Value> feeds;
    json specs = ReadJson(found->at("inputs"));
    for (const auto& [name, spec] : specs.items()) {
      Tensor t = TensorFromJson(spec);
      feeds[name] = t.rank() > 0 && t.dim(0) > 8 ? t.Rows(0, 8) : t;
    }
    for (int i = 0; i < 200; ++i) {
      std::string copy = bytes;
      if (i % 3 == 0) {
        copy.resize(std::uniform_int_distribution<size_t>(0, copy.size() - 1)(rng));
      } else {
        int flips = std::uniform_int_distribution<int>(1, 8)(rng);
        for (int f = 0; f < flips; ++f) {
          size_t at = std::uniform_int_distribution<size_t>(0, copy.size() - 1)(rng);
          copy[at] = static_cast<char>(copy[at] ^ (1 << std::uniform_int_distribution<int>(0, 7)(rng)));
        }
      }
      try {
        Session session = Session::LoadFromBytes(copy, wanted + "#" + std::to_string(i));
        session.Run(feeds);
        ++loaded;
      } catch (const Error&) {
        ++rejected;
      } catch (const std::exception& e) {
        ADD_FAILURE() << wanted << " mutation " << i << " threw a non-cairn exception: " << e.what();
      }
    }
  }
  EXPECT_EQ(loaded + rejected, 800);
  std::cout << "[ ml ] mutated models: " << rejected << " rejected with cairn::Error, " << loaded << " ran\n";
}

// Malformed attributes are load-time errors naming the node and attribute.
Model TreeModel(std::vector<Attribute> attributes) {
  json graph = {{"opsets", {{"", 17}, {"ai.onnx.ml", 3}}},
                {"nodes", {{{"op", "TreeEnsembleRegressor"}, {"domain", "ai.onnx.ml"}, {"inputs", {"X"}},
                            {"outputs", {"Y"}}, {"attributes", json::array()}}}},
                {"inputs", {{{"name", "X"}, {"kind", "tensor"}, {"elem", "float32"}}}},
                {"outputs", {{{"name", "Y"}, {"kind", "tensor"}, {"elem", "float32"}}}}};
  Model model = ModelFromGraphJson(graph, "bad.onnx");
  model.graph.nodes[0].name = "trees";
  model.graph.nodes[0].attributes = std::move(attributes);
  return model;
}

Attribute Ints(const std::string& name, std::vector<int64_t> v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInts;
  a.ints = std::move(v);
  return a;
}
Attribute Floats(const std::string& name, std::vector<float> v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kFloats;
  a.floats = std::move(v);
  return a;
}
Attribute Strings(const std::string& name, std::vector<std::string> v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kStrings;
  a.strings = std::move(v);
  return a;
}

std::vector<Attribute> GoodTree() {
  return {Ints("nodes_treeids", {0, 0, 0}),          Ints("nodes_nodeids", {0, 1, 2}),
          Ints("nodes_featureids", {0, 0, 0}),       Floats("nodes_values", {0.5f, 0, 0}),
          Strings("nodes_modes", {"BRANCH_LEQ", "LEAF", "LEAF"}),
          Ints("nodes_truenodeids", {1, 0, 0}),      Ints("nodes_falsenodeids", {2, 0, 0}),
          Ints("target_treeids", {0, 0}),            Ints("target_nodeids", {1, 2}),
          Ints("target_ids", {0, 0}),                Floats("target_weights", {1.0f, 2.0f})};
}

void Replace(std::vector<Attribute>& attributes, Attribute replacement) {
  for (auto& a : attributes) {
    if (a.name == replacement.name) a = replacement;
  }
}

TEST(MlTreeAttributes, MalformedTreesAreLoadErrors) {
  EXPECT_NO_THROW(Session::FromModel(TreeModel(GoodTree())));
  struct Bad {
    Attribute attribute;
    std::string mentions;
  };
  std::vector<Bad> bad = {
      {Ints("nodes_featureids", {0, 0}), "nodes_featureids"},
      {Strings("nodes_modes", {"BRANCH_SOMETIMES", "LEAF", "LEAF"}), "nodes_modes"},
      {Ints("nodes_truenodeids", {7, 0, 0}), "nodes_truenodeids"},
      {Ints("nodes_truenodeids", {0, 0, 0}), "root"},
      {Ints("target_ids", {0, 3}), "target_ids"},
      {Ints("target_nodeids", {0, 2}), "target_nodeids"},
      {Ints("nodes_featureids", {-4, 0, 0}), "nodes_featureids"},
      {Strings("post_transform", {"SIGMOID"}), "post_transform"},
  };
  for (const auto& [attribute, mentions] : bad) {
    auto attributes = GoodTree();
    bool replaced = false;
    for (auto& a : attributes) replaced = replaced || a.name == attribute.name;
    if (replaced) {
      Replace(attributes, attribute);
    } else {
      attributes.push_back(attribute);
    }
    try {
      Session::FromModel(TreeModel(attributes));
      ADD_FAILURE() << attribute.name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
      EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("trees"), std::string::npos) << e.what();
    }
  }
  // A cycle: node 1 is a branch whose child is the root.
  auto attributes = GoodTree();
  Replace(attributes, Strings("nodes_modes", {"BRANCH_LEQ", "BRANCH_LEQ", "LEAF"}));
  Replace(attributes, Ints("nodes_truenodeids", {1, 0, 0}));
  Replace(attributes, Ints("nodes_falsenodeids", {2, 2, 0}));
  Replace(attributes, Ints("target_nodeids", {2, 2}));
  try {
    Session::FromModel(TreeModel(attributes));
    ADD_FAILURE() << "cycle: no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
  }
}

}  // namespace
}  // namespace cairn::runtime
