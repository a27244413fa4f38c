#include <CLI/CLI.hpp>

#include <optional>

#include "cairn/artifacts/workspace.h"
#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"

namespace cairn::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  std::string store;
};

void RunInit(const InitOptions& options, Context& context) {
  std::optional<std::string> store = options.store.empty() ? context.store_flag() : std::optional(options.store);
  auto result = artifacts::Workspace::Init(options.dir, store);
  context.Emit(Json{{"workspace", result.folder.string()}, {"store", result.store_uri}, {"created", result.created}},
               [&] {
                 return std::string(result.created ? "Initialised" : "Already a") + " cairn workspace in " +
                        result.folder.string() + "\n";
               });
}

}  // namespace

void AddInitCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "Create a workspace (.cairn/) with a store and an object store");
  cmd->add_option("dir", options->dir, "Folder to initialise (default: current)");
  cmd->add_option("--store", options->store, "Database URI instead of the embedded SQLite file");
  cmd->callback([options, &context] { RunInit(*options, context); });
}

}  // namespace cairn::cli
