// `cairn models`: register run models, list and show versions, set and move aliases.
#include <CLI/CLI.hpp>

#include <charconv>
#include <set>

#include "cairn/eval/model_import.h"
#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/store/model_registry.h"

namespace cairn::cli {
namespace {

struct RegisterOptions {
  std::string run;
  std::string name;
  std::string artifact = "model.onnx";
};

struct ShowOptions {
  std::string ref;
};

struct AliasOptions {
  std::string name;
  std::string alias;
  std::string version;
  bool remove = false;
};

std::string Date(int64_t micros) { return FormatUtc(micros).substr(0, 19); }

// Metadata and metric values as one table cell: strings bare, numbers compact, the rest as JSON.
std::string Cell(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return FormatNumber(value.get<double>(), 6);
  return value.dump();
}

int64_t ParseVersion(const std::string& text) {
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || number < 1) {
    ThrowInvalidInput("version '" + text + "' is not a number from 1");
  }
  return number;
}

std::string Origin(const store::ModelVersion& version) {
  std::string origin(store::ModelSourceName(version.source));
  if (version.run_id) origin += " " + *version.run_id;
  if (version.parent_version) origin += " from version " + std::to_string(*version.parent_version);
  return origin;
}

void RunRegister(const RegisterOptions& options, Context& context) {
  const store::CreatedModelVersion created =
      eval::RegisterRunModel(context.workspace(), options.run, options.name, options.artifact);
  Json json = store::ToJson(created.version);
  json["created"] = created.created;
  context.Emit(json, [&] {
    const auto& v = created.version;
    const std::string ref = store::FormatModelRef(v.name, v.version);
    if (!created.created) return ref + " already holds this model from run " + v.run_id.value_or("") + "\n";
    return "Registered " + ref + " from run " + v.run_id.value_or("") + " (" + std::to_string(v.size) +
           " bytes, sha256 " + v.blob_hash.substr(0, 12) + ")\n";
  });
}

void RunList(Context& context) {
  const auto models = context.workspace().store().models().ListModels();
  Json json = Json::array();
  for (const auto& model : models) json.push_back(store::ToJson(model));
  context.Emit(json, [&] {
    TextTable table({"model", "latest", "versions", "aliases", "updated"});
    for (const auto& model : models) {
      std::vector<std::string> aliases;
      for (const auto& [alias, version] : model.aliases) aliases.push_back(alias + "=" + std::to_string(version));
      table.AddRow({model.name, std::to_string(model.latest_version), std::to_string(model.versions),
                    aliases.empty() ? "-" : Join(aliases, ", "), Date(model.updated_at)});
    }
    return table.Render() + std::to_string(models.size()) + " model(s)\n";
  });
}

void RunShow(const ShowOptions& options, Context& context) {
  auto& registry = context.workspace().store().models();
  const store::ModelVersion version = registry.Resolve(options.ref);
  const auto aliases = registry.ListAliases(version.name);
  const auto evaluations = registry.ListEvaluations(version.name, version.version);
  Json json = store::ToJson(version);
  json["model_aliases"] = Json::array();
  for (const auto& alias : aliases) json["model_aliases"].push_back(store::ToJson(alias));
  json["evaluations"] = Json::array();
  for (const auto& evaluation : evaluations) json["evaluations"].push_back(store::ToJson(evaluation));
  context.Emit(json, [&] {
    std::string out = "model       " + store::FormatModelRef(version.name, version.version) + "\n";
    if (!version.aliases.empty()) out += "aliases     " + Join(version.aliases, ", ") + "\n";
    out += "source      " + Origin(version) + "\n";
    out += "blob        " + version.blob_hash + "\n";
    out += "size        " + std::to_string(version.size) + " bytes\n";
    out += "registered  " + FormatUtc(version.created_at) + "\n";
    auto section = [&](const std::string& title, const TextTable& table) {
      if (table.size() > 0) out += "\n" + title + "\n" + table.Render();
    };
    TextTable metadata({"metadata", "value"});
    for (const auto& [key, value] : version.metadata.items()) metadata.AddRow({key, Cell(value)});
    section("Metadata", metadata);
    TextTable alias_table({"alias", "version"});
    for (const auto& alias : aliases) alias_table.AddRow({alias.alias, std::to_string(alias.version)});
    section("Aliases of " + version.name, alias_table);
    // One column per metric that any evaluation recorded.
    std::set<std::string> keys;
    for (const auto& evaluation : evaluations) {
      for (const auto& [key, value] : evaluation.metrics.items()) keys.insert(key);
    }
    std::vector<std::string> header{"dataset", "evaluated"};
    header.insert(header.end(), keys.begin(), keys.end());
    TextTable evaluation_table(header);
    for (const auto& evaluation : evaluations) {
      std::vector<std::string> row{evaluation.dataset_name + "@" + std::to_string(evaluation.dataset_version),
                                   Date(evaluation.created_at)};
      for (const auto& key : keys) row.push_back(evaluation.metrics.contains(key) ? Cell(evaluation.metrics[key]) : "-");
      evaluation_table.AddRow(row);
    }
    section("Evaluations", evaluation_table);
    return out;
  });
}

void RunAlias(const AliasOptions& options, Context& context) {
  auto& registry = context.workspace().store().models();
  const std::string ref = options.name + "@" + options.alias;
  if (options.remove) {
    if (!options.version.empty()) ThrowInvalidInput("alias " + ref + ": give a VERSION or --delete, not both");
    const int64_t was = registry.DeleteAlias(options.name, options.alias);
    context.Emit(Json{{"name", options.name}, {"alias", options.alias}, {"deleted", true}, {"version", was}},
                 [&] { return "Deleted alias " + ref + " (was version " + std::to_string(was) + ")\n"; });
    return;
  }
  if (options.version.empty()) ThrowInvalidInput("alias " + ref + ": give the VERSION it should point at, or --delete");
  const store::AliasChange change = registry.SetAlias(options.name, options.alias, ParseVersion(options.version));
  Json json{{"name", change.name},
            {"alias", change.alias},
            {"version", change.version},
            {"previous", change.previous ? Json(*change.previous) : Json(nullptr)},
            {"changed", change.changed}};
  context.Emit(json, [&] {
    const std::string target = ref + " -> version " + std::to_string(change.version);
    if (!change.changed) return target + " (unchanged)\n";
    if (change.previous) return target + " (moved from version " + std::to_string(*change.previous) + ")\n";
    return target + "\n";
  });
}

}  // namespace

void AddModelsCommands(CLI::App& app, Context& context) {
  auto* models = app.add_subcommand("models", "Model registry: versions, aliases, evaluations");
  models->require_subcommand(1);

  auto reg = std::make_shared<RegisterOptions>();
  auto* cmd = models->add_subcommand("register", "Register a finished run's model as the next version of NAME");
  cmd->add_option("run", reg->run, "Run id or unique prefix")->required();
  cmd->add_option("--name,-n", reg->name, "Model name (created when new)")->required();
  cmd->add_option("--artifact", reg->artifact, "The model's path inside the run (default: model.onnx)");
  cmd->callback([reg, &context] { RunRegister(*reg, context); });

  cmd = models->add_subcommand("list", "List models with their latest version and aliases");
  cmd->callback([&context] { RunList(context); });

  auto show = std::make_shared<ShowOptions>();
  cmd = models->add_subcommand("show", "Show a model version: origin, aliases, metadata, evaluations");
  cmd->add_option("ref", show->ref, "NAME, NAME@VERSION, NAME@ALIAS or run:RUN_ID")->required();
  cmd->callback([show, &context] { RunShow(*show, context); });

  auto alias = std::make_shared<AliasOptions>();
  cmd = models->add_subcommand("alias", "Point an alias (champion, challenger, ...) at a version, or delete it");
  cmd->add_option("name", alias->name, "Model name")->required();
  cmd->add_option("alias", alias->alias, "Alias: lower-case letters, digits, '-' and '_'")->required();
  cmd->add_option("version", alias->version, "Version the alias should point at");
  cmd->add_flag("--delete", alias->remove, "Remove the alias");
  cmd->callback([alias, &context] { RunAlias(*alias, context); });
}

}  // namespace cairn::cli
