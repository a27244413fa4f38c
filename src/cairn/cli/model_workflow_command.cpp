// `cairn models lineage` and `cairn models retrain`: where a model's versions
// came from, and the retraining loop run by hand (the monitor runs it on alerts).
#include <CLI/CLI.hpp>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/text_table.h"
#include "cairn/monitor/logged_traffic.h"
#include "cairn/monitor/policy.h"
#include "cairn/workflow/model_lineage.h"
#include "cairn/workflow/retraining.h"

namespace cairn::cli {
namespace {

struct LineageOptions {
  std::string name;
};

struct RetrainOptions {
  std::string name, data, compare_data, window, from, to, policy;
};

std::string Join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string RenderLineage(const workflow::ModelLineage& lineage) {
  TextTable versions({"version", "aliases", "created", "run", "trained on", "from", "triggered by"});
  for (const auto& v : lineage.versions) {
    std::vector<std::string> alerts;
    for (const auto& id : v.triggered_by) alerts.push_back("alert " + id.substr(0, 12));
    std::string from = v.retrained_from ? "retrained " + *v.retrained_from : "";
    if (v.version.parent_version) from = "derived from @" + std::to_string(*v.version.parent_version);
    versions.AddRow({std::to_string(v.version.version), Join(v.aliases), FormatUtc(v.version.created_at).substr(0, 19),
                     v.version.run_id ? v.version.run_id->substr(0, 12) + (v.run_name ? " " + *v.run_name : "") : "-",
                     Join(v.datasets), from, Join(alerts)});
  }
  std::string out = "Lineage of " + lineage.name + "\n\n" + versions.Render() + "\nHistory\n";
  for (const auto& e : lineage.history) out += "  " + FormatUtc(e.at).substr(0, 19) + "  " + e.text + "\n";
  return out;
}

void RunLineage(const LineageOptions& options, Context& context) {
  const workflow::ModelLineage lineage = workflow::BuildModelLineage(context.workspace(), options.name);
  context.Emit(workflow::ToJson(lineage), [&] { return RenderLineage(lineage); });
}

std::optional<std::string> NonEmpty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

void RunRetrain(const RetrainOptions& options, Context& context) {
  auto& workspace = context.workspace();
  const monitor::Policy policy = monitor::LoadProjectPolicy(workspace.root(), options.policy);
  workflow::RetrainRequest request;
  request.model_name = options.name;
  request.data = NonEmpty(options.data);
  request.compare_data = NonEmpty(options.compare_data);
  if (!options.window.empty() || !options.from.empty() || !options.to.empty() || !request.compare_data) {
    request.window = monitor::ResolveTrafficWindow(NonEmpty(options.window), NonEmpty(options.from),
                                                   NonEmpty(options.to), NowMicros());
  }
  const workflow::RetrainOutcome outcome = workflow::Retrain(workspace, request, policy);
  context.Emit(workflow::ToJson(outcome), [&] {
    const auto& d = outcome.decision;
    return "Retrained " + outcome.champion + " on " + outcome.dataset + ": run " +
           outcome.training.run_id.substr(0, 12) + ", registered " + d.model + "@" +
           std::to_string(outcome.challenger_version) + " as " + workflow::kChallengerAlias + "\nCompared on " +
           outcome.compared_on + "\n" + (d.promoted ? "Promoted to " : "Not promoted to ") + d.alias + ": " +
           d.reason + "\n";
  });
}

}  // namespace

void AddModelWorkflowCommands(CLI::App& app, Context& context) {
  CLI::App* models = app.get_subcommand("models");
  auto lineage = std::make_shared<LineageOptions>();
  auto* cmd = models->add_subcommand("lineage", "Where each version came from: runs, datasets, alerts, retraining, promotions");
  cmd->add_option("name", lineage->name, "Model name")->required();
  cmd->callback([lineage, &context] { RunLineage(*lineage, context); });

  auto retrain = std::make_shared<RetrainOptions>();
  cmd = models->add_subcommand("retrain",
                               "Retrain the champion with its recorded config on newer data, register the challenger "
                               "and promote it only if significantly better");
  cmd->add_option("name", retrain->name, "Model name")->required();
  cmd->add_option("--data", retrain->data, "Training dataset (default: the newest version of the champion's)");
  cmd->add_option("--compare-data", retrain->compare_data,
                  "Labelled DATASET or FILE both models are compared on (default: labelled traffic of the window)");
  cmd->add_option("--window", retrain->window, "Prediction-log window of labelled traffic, ending now (default 24h)");
  cmd->add_option("--from", retrain->from, "Window start (UTC)");
  cmd->add_option("--to", retrain->to, "Window end (UTC)");
  cmd->add_option("--policy", retrain->policy, "Policy file (default: policy.yaml at the workspace root)");
  cmd->callback([retrain, &context] { RunRetrain(*retrain, context); });
}

}  // namespace cairn::cli
