// `cairn onnx check` and `cairn onnx test`: what a model needs from cairn's
// engine, and conformance runs over directories in ONNX's backend-test layout.
#include <CLI/CLI.hpp>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/runtime/backend_test.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/model_inspection.h"

namespace cairn::cli {
namespace {

struct CheckOptions {
  std::string file;
};

struct TestOptions {
  std::vector<std::string> directories;
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
}

}  // namespace cairn::cli
