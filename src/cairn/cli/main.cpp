// cairn's command line: parses flags, calls the library, formats the answer.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/cli/exit_codes.h"
#include "cairn/core/version.h"

int main(int argc, char** argv) {
  using namespace cairn;
  cli::Context context;
  CLI::App app{"cairn: the life of a machine-learning model, from versioned data to audited production"};
  app.set_version_flag("--version", std::string("cairn ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--store", context.global.store, "Store URI (default: the workspace's; env CAIRN_STORE)");
  app.add_flag("--json", context.global.json, "Machine-readable JSON output");

  cli::AddInitCommand(app, context);
  cli::AddDataCommands(app, context);
  cli::AddRunsCommands(app, context);
  cli::AddModelsCommands(app, context);
  cli::AddModelLifecycleCommands(app, context);
  cli::AddAuditCommands(app, context);
  cli::AddOnnxCommands(app, context);
  cli::AddServeCommand(app, context);
  cli::AddAbReportCommand(app, context);
  cli::AddModelExportCommand(app, context);
  cli::AddModelWorkflowCommands(app, context);
  cli::AddPredictCommand(app, context);
  cli::AddTrainCommand(app, context);
  cli::AddMonitorCommands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    // A command that reports a finding through its status (monitor run --fail-on-drift).
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : cli::kExitUsage;
  } catch (const Error& e) {
    std::cerr << "cairn: " << e.what() << '\n';
    return cli::ExitCodeFor(e.code());
  } catch (const std::exception& e) {
    std::cerr << "cairn: unexpected failure: " << e.what() << '\n';
    return cli::kExitInternal;
  }
  return cli::kExitOk;
}
