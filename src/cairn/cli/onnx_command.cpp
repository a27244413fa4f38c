// `cairn onnx check`, `cairn onnx test` and `cairn onnx quantize`: what a model
// needs from cairn's engine, conformance runs over directories in ONNX's
// backend-test layout, and the int8 quantization pass on a file.
#include <CLI/CLI.hpp>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/runtime/backend_test.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/model_inspection.h"
#include "cairn/runtime/quantize/quantize_model.h"

namespace cairn::cli {
namespace {

struct CheckOptions {
  std::string file;
};

struct TestOptions {
  std::vector<std::string> directories;
};

struct QuantizeOptions {
  std::string file;
  std::string output;
  std::string format = "matmul-integer";
};

Json ValueInfosToJson(const std::vector<runtime::ValueInfo>& infos) {
  Json json = Json::array();
  for (const auto& info : infos) json.push_back({{"name", info.name}, {"type", info.type.ToString()}});
  return json;
}

void RunCheck(const CheckOptions& options, Context& context) {
  runtime::Model model = runtime::LoadModel(options.file);
  runtime::ModelInspection inspection = runtime::InspectModel(model);

  Json json;
  json["file"] = options.file;
  json["ir_version"] = model.ir_version;
  json["producer"] = model.producer_name + (model.producer_version.empty() ? "" : " " + model.producer_version);
  json["opsets"] = Json::object();
  for (const auto& [domain, version] : model.opsets) json["opsets"][runtime::DomainDisplayName(domain)] = version;
  json["inputs"] = ValueInfosToJson(model.graph.inputs);
  json["outputs"] = ValueInfosToJson(model.graph.outputs);
  json["ops"] = Json::array();
  for (const auto& op : inspection.ops) {
    json["ops"].push_back({{"domain", runtime::DomainDisplayName(op.domain)},
                           {"op_type", op.op_type},
                           {"opset", op.opset},
                           {"count", op.count},
                           {"supported", op.supported}});
  }
  json["runnable"] = inspection.runnable();
  json["problems"] = inspection.problems;

  context.Emit(json, [&] {
    std::string out = "file      " + options.file + "\nir        " + std::to_string(model.ir_version) +
                      "\nproducer  " + json["producer"].get<std::string>() + "\nopsets   ";
    for (const auto& [domain, version] : model.opsets) {
      out += " " + runtime::DomainDisplayName(domain) + " " + std::to_string(version);
    }
    out += "\n\n";
    TextTable values({"", "name", "type"});
    for (const auto& info : model.graph.inputs) values.AddRow({"input", info.name, info.type.ToString()});
    for (const auto& info : model.graph.outputs) values.AddRow({"output", info.name, info.type.ToString()});
    out += values.Render() + "\n";
    TextTable ops({"domain", "op", "count", "cairn"});
    for (const auto& op : inspection.ops) {
      ops.AddRow({runtime::DomainDisplayName(op.domain), op.op_type, std::to_string(op.count),
                  op.supported ? "runs" : "UNSUPPORTED"});
    }
    out += ops.Render();
    if (inspection.runnable()) out += "cairn runs this model\n";
    return out;
  });
  if (!inspection.runnable()) {
    ThrowUnsupported(options.file + ": cairn cannot run this model: " + Join(inspection.problems, "; "));
  }
}

void RunTest(const TestOptions& options, Context& context) {
  std::vector<runtime::BackendTestResult> results;
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& directory : options.directories) {
    results.push_back(runtime::RunBackendTest(directory));
    switch (results.back().status) {
      case runtime::BackendTestStatus::kPassed: ++passed; break;
      case runtime::BackendTestStatus::kFailed: ++failed; break;
      case runtime::BackendTestStatus::kUnsupported: ++skipped; break;
    }
  }
  std::string summary = std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
  if (skipped > 0) summary += ", " + std::to_string(skipped) + " skipped";

  Json json;
  json["results"] = Json::array();
  for (const auto& r : results) {
    json["results"].push_back({{"name", r.name},
                               {"status", std::string(runtime::BackendTestStatusName(r.status))},
                               {"max_abs_diff", r.max_abs_diff},
                               {"reason", r.reason},
                               {"data_sets", r.data_sets.size()}});
  }
  json["passed"] = passed;
  json["failed"] = failed;
  json["skipped"] = skipped;
  context.Emit(json, [&] {
    std::string out;
    for (const auto& r : results) {
      switch (r.status) {
        case runtime::BackendTestStatus::kPassed:
          out += "PASS " + r.name + " (max diff " + FormatDouble(r.max_abs_diff) + ")\n";
          break;
        case runtime::BackendTestStatus::kFailed: out += "FAIL " + r.name + ": " + r.reason + "\n"; break;
        case runtime::BackendTestStatus::kUnsupported: out += "SKIP " + r.name + ": " + r.reason + "\n"; break;
      }
    }
    return out + summary + "\n";
  });
  if (failed > 0) ThrowInvalidInput(std::to_string(failed) + " of " + std::to_string(results.size()) + " ONNX test directories failed");
}

void RunQuantize(const QuantizeOptions& options, Context& context) {
  runtime::quantize::QuantizeOptions pass;
  pass.format = runtime::quantize::ParseQuantizeFormat(options.format);
  auto result = runtime::quantize::QuantizeModelBytes(ReadFile(options.file), pass, options.file);
  const auto& summary = result.summary;
  if (summary.nodes_quantized == 0) {
    ThrowInvalidInput(options.file + ": no MatMul or Gemm node with a constant weight to quantize" +
                      (summary.skipped.empty() ? std::string() : ": " + Join(summary.skipped, "; ")));
  }
  WriteFileAtomic(options.output, result.bytes);
  auto ratio = [](size_t before, size_t after) { return after == 0 ? 0.0 : static_cast<double>(before) / after; };
  Json json{{"file", options.file},
            {"output", options.output},
            {"format", options.format},
            {"bytes_before", summary.bytes_before},
            {"bytes_after", summary.bytes_after},
            {"weight_bytes_before", summary.weight_bytes_before},
            {"weight_bytes_after", summary.weight_bytes_after},
            {"weights_quantized", summary.weights_quantized},
            {"nodes_quantized", summary.nodes_quantized},
            {"skipped", summary.skipped}};
  context.Emit(json, [&] {
    std::string out = "wrote " + options.output + " (int8, " + options.format + ")\nfile     " +
                      std::to_string(summary.bytes_before) + " -> " + std::to_string(summary.bytes_after) + " bytes (" +
                      FormatNumber(ratio(summary.bytes_before, summary.bytes_after), 3) + "x smaller)\nweights  " +
                      std::to_string(summary.weight_bytes_before) + " -> " + std::to_string(summary.weight_bytes_after) +
                      " bytes (" + FormatNumber(ratio(summary.weight_bytes_before, summary.weight_bytes_after), 3) +
                      "x smaller), " + std::to_string(summary.nodes_quantized) + " nodes quantized\n";
    for (const auto& skipped : summary.skipped) out += "kept float: " + skipped + "\n";
    return out;
  });
}

}  // namespace

void AddOnnxCommands(CLI::App& app, Context& context) {
  auto* onnx = app.add_subcommand("onnx", "Inspect ONNX models and run ONNX backend-test directories");
  onnx->require_subcommand(1);

  auto check = std::make_shared<CheckOptions>();
  auto* cmd = onnx->add_subcommand("check", "Opsets, inputs, outputs and every op, with whether cairn runs it");
  cmd->add_option("file", check->file, "ONNX model file")->required();
  cmd->callback([check, &context] { RunCheck(*check, context); });

  auto test = std::make_shared<TestOptions>();
  cmd = onnx->add_subcommand("test", "Run directories in ONNX's backend-test layout and compare outputs");
  cmd->add_option("directories", test->directories, "Directories with model.onnx and test_data_set_N/")->required();
  cmd->callback([test, &context] { RunTest(*test, context); });

  auto quantize = std::make_shared<QuantizeOptions>();
  cmd = onnx->add_subcommand("quantize", "Rewrite MatMul and Gemm weights to int8 (dynamic u8 activations)");
  cmd->add_option("file", quantize->file, "ONNX model file")->required();
  cmd->add_option("-o,--output", quantize->output, "Quantized ONNX file to write")->required();
  cmd->add_option("--format", quantize->format, "matmul-integer (default) or qdq");
  cmd->callback([quantize, &context] { RunQuantize(*quantize, context); });
}

}  // namespace cairn::cli
