// `cairn models export`: a registered model's ONNX file, as registered or
// quantized to int8, with the float/int8 comparison on the model's holdout.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/eval/model_export.h"
#include "cairn/runtime/quantize/quantize_model.h"
#include "cairn/store/model.h"

namespace cairn::cli {
namespace {

struct ExportCommandOptions {
  std::string ref;
  std::string output;
  std::string quantize;
  std::string format;
  std::string data;
  std::string target;
};

std::string Smaller(size_t before, size_t after) {
  if (after == 0) return "-";
  return FormatNumber(static_cast<double>(before) / static_cast<double>(after), 3) + "x smaller";
}

// Metrics and their changes in fixed point, so float noise in a change reads as +0.0000.
std::string Fixed(double value, bool sign = false) {
  if (std::fabs(value) < 5e-5) value = 0.0;  // no "-0.0000"
  char text[64];
  std::snprintf(text, sizeof text, sign ? "%+.4f" : "%.4f", value);
  return text;
}

std::string RenderQuantized(const eval::ExportResult& result) {
  const eval::QuantizationReport& report = *result.quantization;
  const std::string name(eval::ExportQuantizationName(report.quantization));
  std::string out = "Exported " + result.model + " as " + name + " (" +
                    std::string(runtime::quantize::QuantizeFormatName(report.format)) + ", " +
                    std::to_string(report.nodes_quantized) + " nodes quantized) to " + result.output + "\n";
  out += "Holdout: " + report.holdout + " (" + std::to_string(report.rows) + " rows, " +
         std::string(eval::ModelTaskName(report.task)) + ")\n\n";
  TextTable table({"", "float", name, "change"});
  table.AddRow({"file bytes", std::to_string(report.bytes_before), std::to_string(report.bytes_after),
                Smaller(report.bytes_before, report.bytes_after)});
  table.AddRow({"weight bytes", std::to_string(report.weight_bytes_before), std::to_string(report.weight_bytes_after),
                Smaller(report.weight_bytes_before, report.weight_bytes_after)});
  for (const auto& change : report.metrics) {
    table.AddRow({change.metric, Fixed(change.before), Fixed(change.after), Fixed(change.delta(), true)});
  }
  table.AddRow({"max abs output diff", "", "", FormatNumber(report.max_abs_diff, 3)});
  out += table.Render();
  for (const auto& skipped : report.skipped) out += "kept float: " + skipped + "\n";

  const std::string ref = store::FormatModelRef(report.registered.name, report.registered.version);
  if (!report.created) return out + "\n" + ref + " already holds this " + name + " copy of " + result.model + "\n";
  out += "\nRegistered " + ref + " (quantized_from=" + result.model + ", quantization=" + name + ")\n";
  if (report.evaluation_recorded) out += "Recorded its evaluation on the holdout as an evaluation of " + ref + "\n";
  return out;
}

void RunExport(const ExportCommandOptions& options, Context& context) {
  eval::ExportOptions export_options;
  export_options.output = options.output;
  if (!options.quantize.empty()) export_options.quantization = eval::ParseExportQuantization(options.quantize);
  if (!options.format.empty()) export_options.format = runtime::quantize::ParseQuantizeFormat(options.format);
  export_options.data = options.data;
  export_options.target = options.target;
  const eval::ExportResult result = eval::ExportRegisteredModel(context.workspace(), options.ref, export_options);
  context.Emit(eval::ToJson(result), [&] {
    if (result.quantization) return RenderQuantized(result);
    return "Exported " + result.model + " to " + result.output + " (" + std::to_string(result.bytes) +
           " bytes, sha256 " + result.sha256.substr(0, 12) + ")\n";
  });
}

}  // namespace

void AddModelExportCommand(CLI::App& app, Context& context) {
  CLI::App* models = app.get_subcommand("models");
  auto options = std::make_shared<ExportCommandOptions>();
  auto* cmd = models->add_subcommand(
      "export", "Write a model version's ONNX file, or quantize it to int8 and register the result");
  cmd->add_option("ref", options->ref, "NAME@VERSION, NAME@ALIAS, NAME or run:RUN_ID")->required();
  cmd->add_option("-o,--output", options->output,
                  "File to write (default: NAME-vN.onnx, NAME-vN-int8.onnx when quantized)");
  cmd->add_option("--quantize", options->quantize,
                  "int8: MatMul/Gemm weights int8 per output channel, activations dynamic u8");
  cmd->add_option("--format", options->format, "With --quantize: matmul-integer (default) or qdq");
  cmd->add_option("--data", options->data,
                  "With --quantize: holdout DATASET or FILE (default: the training run's test split)");
  cmd->add_option("--target", options->target, "With --quantize: target column (default: the model's own)");
  cmd->callback([options, &context] { RunExport(*options, context); });
}

}  // namespace cairn::cli
