#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/data/credit_synth.h"

namespace cairn::cli {
namespace {

struct SynthOptions {
  std::string kind;
  data::CreditSynthOptions credit;
  std::string output;
};

struct AddOptions {
  std::string file;
  std::string name;
  std::string delimiter;
  std::vector<std::string> missing;
};

struct RefOptions {
  std::string ref;
  std::string other;
};

void RunSynth(const SynthOptions& options, Context& context) {
  if (options.kind != "credit") ThrowInvalidInput("synth: unknown kind '" + options.kind + "'; the kinds are: credit");
  std::ostringstream out;
  data::WriteCreditCsv(options.credit, out);
  WriteFileAtomic(options.output, out.str());
  context.Emit(Json{{"kind", options.kind}, {"rows", options.credit.rows}, {"path", options.output}}, [&] {
    return "Wrote " + std::to_string(options.credit.rows) + " rows of synthetic " + options.kind + " data to " +
           options.output + "\n";
  });
}

std::string DescribeVersion(const store::DatasetVersion& v) {
  return store::FormatDatasetRef(v.name, v.version) + ": " + std::to_string(v.rows) + " rows x " +
         std::to_string(v.columns) + " columns, sha256 " + v.blob_hash.substr(0, 12);
}

void RunAdd(const AddOptions& options, Context& context) {
  artifacts::AddDatasetOptions add;
  add.name = options.name;
  if (!options.delimiter.empty()) {
    std::string d = options.delimiter == "\\t" || options.delimiter == "tab" ? "\t" : options.delimiter;
    if (d.size() != 1) ThrowInvalidInput("--delimiter must be one character, not '" + options.delimiter + "'");
    add.csv.delimiter = d[0];
  }
  if (!options.missing.empty()) add.csv.missing_markers = options.missing;
  auto result = artifacts::AddDataset(context.workspace(), options.file, add);
  Json json = store::ToJson(result.version);
  json.erase("profile");
  json["created"] = result.created;
  context.Emit(json, [&] {
    return std::string(result.created ? "Added " : "Unchanged, still ") + DescribeVersion(result.version) + "\n";
  });
}

void RunList(Context& context) {
  auto datasets = context.workspace().store().datasets().ListDatasets();
  Json json = Json::array();
  for (const auto& d : datasets) json.push_back(store::ToJson(d));
  context.Emit(json, [&] {
    TextTable table({"name", "latest", "rows", "columns", "updated", "sha256"});
    for (const auto& d : datasets) {
      table.AddRow({d.name, std::to_string(d.latest_version), std::to_string(d.rows), std::to_string(d.columns),
                    FormatUtc(d.updated_at).substr(0, 19), d.blob_hash.substr(0, 12)});
    }
    return table.Render();
  });
}

std::string RenderProfile(const data::Profile& profile) {
  TextTable table({"column", "type", "missing", "distinct", "min", "mean", "std", "max", "top"});
  for (const auto& c : profile.columns) {
    std::vector<std::string> row{c.name, std::string(data::ColumnTypeName(c.type)), std::to_string(c.missing),
                                 std::to_string(c.distinct)};
    if (c.numeric) {
      row.push_back(FormatNumber(c.numeric->min));
      row.push_back(FormatNumber(c.numeric->mean));
      row.push_back(FormatNumber(c.numeric->std));
      row.push_back(FormatNumber(c.numeric->max));
    } else if (!c.min_time.empty()) {
      row.insert(row.end(), {c.min_time.substr(0, 10), "", "", c.max_time.substr(0, 10)});
    } else {
      row.insert(row.end(), {"", "", "", ""});
    }
    std::string top;
    for (size_t i = 0; i < c.top.size() && i < 3; ++i) {
      top += (i ? ", " : "") + c.top[i].value + " (" + std::to_string(c.top[i].count) + ")";
    }
    row.push_back(top);
    table.AddRow(row);
  }
  return table.Render();
}

void RunShow(const RefOptions& options, Context& context) {
  auto version = artifacts::GetDataset(context.workspace(), options.ref);
  data::Profile profile = artifacts::ProfileOf(version);
  context.Emit(store::ToJson(version), [&] {
    return DescribeVersion(version) + "\nsource " + version.source_path + ", added " +
           FormatUtc(version.created_at).substr(0, 19) + "\n\n" + RenderProfile(profile);
  });
}

void RunDiff(const RefOptions& options, Context& context) {
  auto a = artifacts::GetDataset(context.workspace(), options.ref);
  auto b = artifacts::GetDataset(context.workspace(), options.other);
  data::DatasetDiff diff = artifacts::DiffDatasetVersions(a, b);
  context.Emit(diff.ToJson(), [&] {
    return "Comparing " + DescribeVersion(a) + "\n     with " + DescribeVersion(b) + "\n\n" + diff.Render();
  });
}

}  // namespace

void AddDataCommands(CLI::App& app, Context& context) {
  auto* data_cmd = app.add_subcommand("data", "Versioned, profiled datasets");
  data_cmd->require_subcommand(1);

  auto synth = std::make_shared<SynthOptions>();
  auto* cmd = data_cmd->add_subcommand("synth", "Write deterministic synthetic data (kind: credit)");
  cmd->add_option("kind", synth->kind, "Kind of data: credit")->required();
  cmd->add_option("--rows", synth->credit.rows, "Rows to write")->required();
  cmd->add_option("--seed", synth->credit.seed, "Random seed");
  cmd->add_option("--drift", synth->credit.drift, "Shift feature distributions and the label relation (0 = none)");
  cmd->add_option("--bias", synth->credit.bias, "Make the label depend on the sensitive attribute");
  cmd->add_option("-o,--output", synth->output, "CSV file to write")->required();
  cmd->callback([synth, &context] { RunSynth(*synth, context); });

  auto add = std::make_shared<AddOptions>();
  cmd = data_cmd->add_subcommand("add", "Add a CSV or JSON Lines file as a new dataset version");
  cmd->add_option("file", add->file, "CSV, TSV or JSON Lines file")->required();
  cmd->add_option("--name", add->name, "Dataset name")->required();
  cmd->add_option("--delimiter", add->delimiter, "CSV field delimiter (default ',', 'tab' for tabs)");
  cmd->add_option("--missing", add->missing, "Markers read as missing values (repeatable)");
  cmd->callback([add, &context] { RunAdd(*add, context); });

  cmd = data_cmd->add_subcommand("list", "List datasets with their latest version");
  cmd->callback([&context] { RunList(context); });

  auto show = std::make_shared<RefOptions>();
  cmd = data_cmd->add_subcommand("show", "Show a version's schema and profile");
  cmd->add_option("ref", show->ref, "NAME, NAME@latest or NAME@VERSION")->required();
  cmd->callback([show, &context] { RunShow(*show, context); });

  auto diff = std::make_shared<RefOptions>();
  cmd = data_cmd->add_subcommand("diff", "Schema changes and statistic shifts between two versions");
  cmd->add_option("a", diff->ref, "First version")->required();
  cmd->add_option("b", diff->other, "Second version")->required();
  cmd->callback([diff, &context] { RunDiff(*diff, context); });
}

}  // namespace cairn::cli
