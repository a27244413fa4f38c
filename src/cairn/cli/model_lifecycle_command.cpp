#include <CLI/CLI.hpp>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/eval/evaluation.h"
#include "cairn/eval/model_comparison.h"
#include "cairn/eval/model_import.h"
#include "cairn/eval/promotion.h"
#include "cairn/store/model.h"

namespace cairn::cli {
namespace {

struct EvalOptions {
  std::string model;
  std::string data;
  std::string target;
  std::string report;
  bool no_record = false;
};

struct ImportOptions {
  std::string file;
  std::string name;
  std::string description;
  std::vector<std::string> features;
};

struct CompareOptions {
  std::string a, b, data, target;
};

struct PromoteOptions {
  std::string name;
  int64_t version = 0;
  std::string alias = "champion";
  std::string data;
  std::string target;
};

std::string RenderMetrics(const stats::MetricSuite& suite) {
  TextTable table({"metric", "value"});
  for (const auto& [name, value] : suite.values) table.AddRow({name, FormatNumber(value, 6)});
  return table.Render();
}

void RunEval(const EvalOptions& options, Context& context) {
  eval::EvaluationOptions evaluation{options.target, options.report, !options.no_record};
  auto result = eval::EvaluateModel(context.workspace(), options.model, options.data, evaluation);
  context.Emit(eval::ToJson(result), [&] {
    std::string out = "Evaluated " + result.model + " on " + result.data + " (" + std::to_string(result.rows) +
                      " rows, " + std::string(eval::ModelTaskName(result.task)) + ")\n\n" + RenderMetrics(result.metrics);
    if (result.recorded) out += "Recorded as an evaluation of " + result.model + "\n";
    if (!result.report.empty()) out += "Report: " + result.report + "\n";
    return out;
  });
}

std::string DescribeCreated(const store::CreatedModelVersion& created, const std::string& from) {
  const auto& v = created.version;
  std::string ref = store::FormatModelRef(v.name, v.version);
  if (!created.created) return ref + " already holds this model\n";
  return "Imported " + from + " as " + ref + " (" + std::to_string(v.size) + " bytes, sha256 " + v.blob_hash.substr(0, 12) +
         ", task " + v.metadata.value("task", std::string("?")) + ")\n";
}

void RunImport(const ImportOptions& options, Context& context, bool xgboost) {
  auto created = xgboost ? eval::ImportXgboostModel(context.workspace(), options.file, options.name, options.features,
                                                    options.description)
                         : eval::ImportOnnxModel(context.workspace(), options.file, options.name, options.description);
  Json json = store::ToJson(created.version);
  json["created"] = created.created;
  context.Emit(json, [&] { return DescribeCreated(created, options.file); });
}

std::string VerdictText(stats::Verdict verdict) {
  switch (verdict) {
    case stats::Verdict::kBetter: return "better";
    case stats::Verdict::kWorse: return "worse";
    case stats::Verdict::kNoSignificantDifference: return "no significant difference";
  }
  return "";
}

std::string RenderComparison(const eval::ModelComparison& c) {
  TextTable table({"metric", "A", "B", "B - A", "test", "p", "verdict"});
  for (const auto& m : c.metrics) {
    table.AddRow({m.metric + (m.metric == c.primary_metric ? " *" : ""), FormatNumber(m.a, 4), FormatNumber(m.b, 4),
                  FormatNumber(m.difference, 3), m.test, FormatNumber(m.p_value, 3),
                  VerdictText(m.verdict)});
  }
  return "A = " + c.model_a + ", B = " + c.model_b + ", on " + c.data + " (" + std::to_string(c.rows) + " rows)\n\n" +
         table.Render() + "\nB against A on " + c.primary_metric + " (the deciding metric *, alpha = 0.05): " +
         VerdictText(c.verdict) + "\n";
}

void RunCompare(const CompareOptions& options, Context& context) {
  eval::ComparisonOptions compare;
  compare.target = options.target;
  auto comparison = eval::CompareModels(context.workspace(), options.a, options.b, options.data, compare);
  context.Emit(eval::ToJson(comparison), [&] { return RenderComparison(comparison); });
}

void RunPromote(const PromoteOptions& options, Context& context) {
  eval::PromotionOptions promote;
  promote.alias = options.alias;
  promote.data = options.data;
  promote.target = options.target;
  auto decision = eval::PromoteModel(context.workspace(), options.name, options.version, promote);
  std::string ref = options.name + "@" + std::to_string(options.version);
  if (!decision.promoted) {
    if (context.global.json) context.Emit(eval::ToJson(decision), [] { return std::string(); });
    ThrowConflict(ref + " not promoted to " + options.alias + ": " + decision.reason);
  }
  context.Emit(eval::ToJson(decision), [&] {
    std::string out;
    if (decision.comparison) out += RenderComparison(*decision.comparison) + "\n";
    return out + "Promoted " + ref + " to " + options.alias + ": " + decision.reason + "\n";
  });
}

}  // namespace

void AddModelLifecycleCommands(CLI::App& app, Context& context) {
  auto eval_options = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Evaluate a model on a dataset version or file and record it");
  cmd->add_option("model", eval_options->model, "NAME@VERSION, NAME@ALIAS, run:ID or FILE.onnx")->required();
  cmd->add_option("--data", eval_options->data, "NAME@VERSION, NAME@latest or a CSV/JSON Lines file")->required();
  cmd->add_option("--target", eval_options->target, "Target column (default: the model's own)");
  cmd->add_option("-o,--report", eval_options->report, "Write an HTML report with ROC, PR, calibration, confusion");
  cmd->add_flag("--no-record", eval_options->no_record, "Do not record the evaluation in the registry");
  cmd->callback([eval_options, &context] { RunEval(*eval_options, context); });

  CLI::App* models = app.get_subcommand("models");
  auto onnx_import = std::make_shared<ImportOptions>();
  cmd = models->add_subcommand("import", "Register an ONNX file made elsewhere (e.g. scikit-learn via skl2onnx)");
  cmd->add_option("file", onnx_import->file, "ONNX file")->required();
  cmd->add_option("--name", onnx_import->name, "Model name")->required();
  cmd->add_option("--description", onnx_import->description, "Kept when the model is new");
  cmd->callback([onnx_import, &context] { RunImport(*onnx_import, context, false); });

  auto xgb_import = std::make_shared<ImportOptions>();
  cmd = models->add_subcommand("import-xgboost", "Convert an XGBoost JSON model to ONNX and register it");
  cmd->add_option("file", xgb_import->file, "XGBoost model saved as .json")->required();
  cmd->add_option("--name", xgb_import->name, "Model name")->required();
  cmd->add_option("--features", xgb_import->features, "Input column order (default: the model's feature names)")
      ->delimiter(',');
  cmd->add_option("--description", xgb_import->description, "Kept when the model is new");
  cmd->callback([xgb_import, &context] { RunImport(*xgb_import, context, true); });

  auto compare = std::make_shared<CompareOptions>();
  cmd = models->add_subcommand("compare", "Score two models on the same rows; deltas with paired significance tests");
  cmd->add_option("a", compare->a, "Model A (e.g. credit-risk@champion)")->required();
  cmd->add_option("b", compare->b, "Model B (e.g. credit-risk@3)")->required();
  cmd->add_option("--data", compare->data, "Dataset version or file both are scored on")->required();
  cmd->add_option("--target", compare->target, "Target column (default: A's own)");
  cmd->callback([compare, &context] { RunCompare(*compare, context); });

  auto promote = std::make_shared<PromoteOptions>();
  cmd = models->add_subcommand("promote", "Move an alias to a version unless it is significantly worse");
  cmd->add_option("name", promote->name, "Model name")->required();
  cmd->add_option("version", promote->version, "Version to promote")->required();
  cmd->add_option("--to", promote->alias, "Alias to move (default: champion)");
  cmd->add_option("--data", promote->data, "Comparison data (required when the alias is held)");
  cmd->add_option("--target", promote->target, "Target column (default: the model's own)");
  cmd->callback([promote, &context] { RunPromote(*promote, context); });
}

}  // namespace cairn::cli
