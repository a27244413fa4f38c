// The one table of command groups: each adds its subcommands to the app.
#pragma once

namespace CLI {
class App;
}

namespace cairn::cli {

class Context;

void AddInitCommand(CLI::App& app, Context& context);
void AddDataCommands(CLI::App& app, Context& context);
void AddRunsCommands(CLI::App& app, Context& context);
void AddModelsCommands(CLI::App& app, Context& context);
// Adds `eval` and `models import|import-xgboost|compare|promote`: call after AddModelsCommands.
void AddModelLifecycleCommands(CLI::App& app, Context& context);
void AddAuditCommands(CLI::App& app, Context& context);
void AddOnnxCommands(CLI::App& app, Context& context);
void AddServeCommand(CLI::App& app, Context& context);
// Adds `models ab-report`: call after AddModelsCommands.
void AddAbReportCommand(CLI::App& app, Context& context);
// Adds `models export`: call after AddModelsCommands.
void AddModelExportCommand(CLI::App& app, Context& context);
// Adds `models lineage|retrain`: call after AddModelsCommands.
void AddModelWorkflowCommands(CLI::App& app, Context& context);
void AddPredictCommand(CLI::App& app, Context& context);
void AddTrainCommand(CLI::App& app, Context& context);
void AddMonitorCommands(CLI::App& app, Context& context);

}  // namespace cairn::cli
