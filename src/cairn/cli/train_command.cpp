#include <CLI/CLI.hpp>

#include <filesystem>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/learn/training_job.h"

namespace cairn::cli {
namespace {

struct TrainOptions {
  std::string config;
  std::vector<std::string> overrides;  // --set key=value
};

// The few metrics worth a line each; every metric is in the run and in --json.
const std::vector<std::string> kHeadline = {"roc_auc", "accuracy", "f1_macro", "log_loss", "rmse", "mae", "r2"};

// A headline metric on the test split, or its cross-validated mean or std ("cv.roc_auc.mean").
bool IsHeadline(const std::string& key) {
  std::string name = key;
  if (StartsWith(name, "cv.")) {
    size_t dot = name.rfind('.');
    std::string suffix = name.substr(dot);
    if (suffix != ".mean" && suffix != ".std") return false;
    name = name.substr(3, dot - 3);
  }
  return std::find(kHeadline.begin(), kHeadline.end(), name) != kHeadline.end();
}

void RunTrain(const TrainOptions& options, Context& context) {
  learn::TrainingOptions training{options.config, options.overrides, std::filesystem::current_path()};
  learn::TrainingResult result = learn::RunTrainingJob(context.workspace(), training);
  context.Emit(learn::ToJson(result), [&] {
    std::string text = "Trained " + result.model_type + " (" + std::string(learn::TaskName(result.task)) + ") on " + result.dataset +
                       " in " + FormatDuration(result.training_seconds) + "\nrun " + result.run_id + "\n";
    for (const auto& [key, value] : result.metrics) {
      if (IsHeadline(key)) text += "  " + key + " = " + FormatNumber(value) + "\n";
    }
    if (!result.best_params.empty()) text += "  best params: " + result.best_params.dump() + "\n";
    return text;
  });
}

}  // namespace

void AddTrainCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<TrainOptions>();
  auto* cmd = app.add_subcommand("train", "Train a model from a YAML config as a tracked run (model.onnx, metrics, lineage)");
  cmd->add_option("config", options->config, "Training config (YAML)")->required();
  cmd->add_option("--set", options->overrides, "Override a config field: KEY=VALUE with a dotted key, e.g. model.params.max_depth=6")
      ->allow_extra_args(false);
  cmd->callback([options, &context] { RunTrain(*options, context); });
}

}  // namespace cairn::cli
