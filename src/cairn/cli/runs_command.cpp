#include <CLI/CLI.hpp>

#include <iostream>
#include <set>

#include "cairn/artifacts/run_tracking.h"
#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"
#include "cairn/store/run_comparison.h"

namespace cairn::cli {
namespace {

struct StartOptions {
  std::string experiment = "default";
  std::string name;
  std::string parent;
};

struct LogOptions {
  std::string run;
  std::vector<std::string> pairs;  // KEY=VALUE
  int64_t step = 0;
};

struct ArtifactOptions {
  std::string run;
  std::string source;
  std::string as;
};

struct EndOptions {
  std::string run;
  std::string status = "FINISHED";
};

struct ListOptions {
  std::vector<std::string> metrics;
  std::string experiment;
  std::string filter;
  std::vector<std::string> sort;
  int64_t limit = 0;
};

struct ShowOptions {
  std::string run;
  std::vector<std::string> runs;
  std::string key;
  std::string output;
  std::string path;
};

std::pair<std::string, std::string> SplitPair(const std::string& pair) {
  auto eq = pair.find('=');
  if (eq == std::string::npos || eq == 0) ThrowInvalidInput("'" + pair + "' is not KEY=VALUE");
  return {pair.substr(0, eq), pair.substr(eq + 1)};
}

double ParseMetricValue(const std::string& key, const std::string& text) {
  std::string lower = ToLower(text);
  if (lower == "nan") return std::nan("");
  if (lower == "inf" || lower == "+inf") return INFINITY;
  if (lower == "-inf") return -INFINITY;
  try {
    size_t used = 0;
    double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  ThrowInvalidInput("metric '" + key + "': '" + text + "' is not a number");
}

std::string Status(const store::Run& run) { return std::string(store::RunStatusName(run.status)); }

void RunStart(const StartOptions& options, Context& context) {
  artifacts::StartRunOptions start{options.experiment, options.name, std::nullopt, {}};
  if (!options.parent.empty()) start.parent_run = options.parent;
  store::Run run = artifacts::StartRun(context.workspace(), start);
  // Plain output is the bare id so that shell scripts can capture it.
  context.Emit(store::ToJson(run), [&] { return run.id + "\n"; });
}

void RunLogParams(const LogOptions& options, Context& context) {
  std::vector<store::Param> params;
  for (const auto& pair : options.pairs) {
    auto [key, value] = SplitPair(pair);
    params.push_back({key, value});
  }
  context.workspace().store().tracking().LogBatch(options.run, params, {}, {});
  context.Emit(Json{{"params", params.size()}}, [] { return std::string(); });
}

void RunLogMetrics(const LogOptions& options, Context& context) {
  std::vector<store::Metric> metrics;
  for (const auto& pair : options.pairs) {
    auto [key, value] = SplitPair(pair);
    metrics.push_back({key, ParseMetricValue(key, value), options.step, 0});
  }
  context.workspace().store().tracking().LogBatch(options.run, {}, metrics, {});
  context.Emit(Json{{"metrics", metrics.size()}}, [] { return std::string(); });
}

void RunSetTags(const LogOptions& options, Context& context) {
  std::vector<store::Tag> tags;
  for (const auto& pair : options.pairs) {
    auto [key, value] = SplitPair(pair);
    tags.push_back({key, value});
  }
  context.workspace().store().tracking().LogBatch(options.run, {}, {}, tags);
  context.Emit(Json{{"tags", tags.size()}}, [] { return std::string(); });
}

void RunLogArtifact(const ArtifactOptions& options, Context& context) {
  std::optional<std::string> as;
  if (!options.as.empty()) as = options.as;
  auto logged = artifacts::LogArtifact(context.workspace(), options.run, options.source, as);
  Json json = Json::array();
  for (const auto& a : logged) json.push_back(store::ToJson(a));
  context.Emit(json, [&] {
    std::string out;
    for (const auto& a : logged) out += a.path + "  " + a.blob_hash.substr(0, 12) + "  " + std::to_string(a.size) + " bytes\n";
    return out;
  });
}

void RunEnd(const EndOptions& options, Context& context) {
  auto status = store::ParseRunStatus(options.status);
  if (!status || *status == store::RunStatus::kRunning) {
    ThrowInvalidInput("--status must be FINISHED, FAILED or KILLED, not '" + options.status + "'");
  }
  store::Run run = context.workspace().store().tracking().EndRun(options.run, *status);
  context.Emit(store::ToJson(run), [] { return std::string(); });
}

// Every metric when there are few; else the headline ones, so the table fits a terminal.
std::vector<std::string> MetricColumns(const std::vector<store::Run>& runs) {
  std::set<std::string> keys;
  for (const auto& run : runs) {
    for (const auto& [key, m] : run.metrics) keys.insert(key);
  }
  if (keys.size() <= 6) return {keys.begin(), keys.end()};
  std::vector<std::string> chosen;
  for (const char* key : {"roc_auc", "accuracy", "f1_macro", "log_loss", "rmse", "mae", "r2", "cv.roc_auc.mean"}) {
    if (keys.count(key)) chosen.push_back(key);
  }
  if (chosen.empty()) chosen.assign(keys.begin(), std::next(keys.begin(), 6));
  return chosen;
}

void RunList(const ListOptions& options, Context& context) {
  store::RunQuery query;
  if (!options.experiment.empty()) query.experiment = options.experiment;
  query.filter = options.filter;
  query.sort = options.sort;
  query.limit = options.limit;
  auto runs = context.workspace().store().tracking().ListRuns(query);
  Json json = Json::array();
  for (const auto& run : runs) json.push_back(store::ToJson(run));
  context.Emit(json, [&] {
    // Columns: a few attributes, then every metric any listed run has.
    std::vector<std::string> metric_keys = options.metrics.empty() ? MetricColumns(runs) : options.metrics;
    std::vector<std::string> header{"run", "name", "experiment", "status", "started"};
    for (const auto& key : metric_keys) header.push_back(key);
    TextTable table(header);
    for (const auto& run : runs) {
      std::vector<std::string> row{run.id.substr(0, 8), run.name, run.experiment_name, Status(run),
                                   FormatUtc(run.start_time).substr(0, 19)};
      for (const auto& key : metric_keys) {
        auto it = run.metrics.find(key);
        row.push_back(it == run.metrics.end() ? "-" : FormatNumber(it->second.value));
      }
      table.AddRow(row);
    }
    return table.Render() + std::to_string(runs.size()) + " run(s)\n";
  });
}

void RunShow(const ShowOptions& options, Context& context) {
  auto& tracking = context.workspace().store().tracking();
  store::Run run = tracking.GetRun(options.run);
  auto artifacts = tracking.ListArtifacts(run.id);
  Json json = store::ToJson(run);
  json["artifacts"] = Json::array();
  for (const auto& a : artifacts) json["artifacts"].push_back(store::ToJson(a));
  context.Emit(json, [&] {
    std::string out = "run         " + run.id + "\nname        " + run.name + "\nexperiment  " +
                      run.experiment_name + "\nstatus      " + Status(run) + "\nstarted     " +
                      FormatUtc(run.start_time) + "\n";
    if (run.end_time) {
      out += "ended       " + FormatUtc(*run.end_time) + " (" +
             FormatDuration(static_cast<double>(*run.end_time - run.start_time) / 1e6) + ")\n";
    }
    if (!run.source.commit.empty()) {
      out += "source      " + run.source.commit.substr(0, 12) + (run.source.branch.empty() ? "" : " on " + run.source.branch) +
             (run.source.dirty ? " (uncommitted changes)" : "") + "\n";
    }
    if (run.parent_run_id) out += "parent      " + *run.parent_run_id + "\n";
    if (run.environment.contains("os")) {
      out += "environment " + run.environment.value("os", "") + ", " + run.environment.value("compiler", "") +
             ", cairn " + run.environment.value("cairn_version", "") + "\n";
    }
    auto section = [&](const std::string& title, TextTable table) {
      if (table.size() > 0) out += "\n" + title + "\n" + table.Render();
    };
    TextTable params({"param", "value"});
    for (const auto& [k, v] : run.params) params.AddRow({k, v});
    section("Params", params);
    TextTable metrics({"metric", "value", "step"});
    for (const auto& [k, m] : run.metrics) metrics.AddRow({k, FormatNumber(m.value, 6), std::to_string(m.step)});
    section("Metrics (latest)", metrics);
    TextTable tags({"tag", "value"});
    for (const auto& [k, v] : run.tags) tags.AddRow({k, v});
    section("Tags", tags);
    TextTable files({"artifact", "size", "blob"});
    for (const auto& a : artifacts) files.AddRow({a.path, std::to_string(a.size), a.blob_hash.substr(0, 12)});
    section("Artifacts", files);
    return out;
  });
}

void RunCompare(const ShowOptions& options, Context& context) {
  auto& tracking = context.workspace().store().tracking();
  std::vector<store::Run> runs;
  for (const auto& ref : options.runs) runs.push_back(tracking.GetRun(ref));
  store::RunComparison comparison = store::CompareRuns(runs);
  context.Emit(store::ToJson(comparison), [&] {
    std::vector<std::string> header{""};
    for (size_t i = 0; i < runs.size(); ++i) header.push_back(runs[i].name + " (" + runs[i].id.substr(0, 8) + ")");
    TextTable table(header);
    for (const auto& row : comparison.rows) {
      std::vector<std::string> cells{(row.differs ? "* " : "  ") + row.field};
      for (size_t i = 0; i < row.values.size(); ++i) {
        std::string cell = row.values[i].value_or("-");
        if (row.best && *row.best == i) cell += " (best)";
        cells.push_back(cell);
      }
      table.AddRow(cells);
    }
    return table.Render() + "* marks values that differ between runs\n";
  });
}

void RunMetricHistory(const ShowOptions& options, Context& context) {
  auto history = context.workspace().store().tracking().GetMetricHistory(options.run, options.key);
  Json json = Json::array();
  for (const auto& m : history) json.push_back(store::ToJson(m));
  context.Emit(json, [&] {
    TextTable table({"step", "value", "timestamp"});
    for (const auto& m : history) table.AddRow({std::to_string(m.step), FormatDouble(m.value), FormatUtc(m.timestamp)});
    return table.Render();
  });
}

void RunArtifacts(const ShowOptions& options, Context& context) {
  if (!options.output.empty()) {
    std::optional<std::string> path;
    if (!options.path.empty()) path = options.path;
    auto written = artifacts::DownloadArtifacts(context.workspace(), options.run, path, options.output);
    Json json = Json::array();
    for (const auto& p : written) json.push_back(p.string());
    context.Emit(json, [&] {
      std::string out;
      for (const auto& p : written) out += p.string() + "\n";
      return out;
    });
    return;
  }
  auto list = context.workspace().store().tracking().ListArtifacts(options.run);
  Json json = Json::array();
  for (const auto& a : list) json.push_back(store::ToJson(a));
  context.Emit(json, [&] {
    TextTable table({"path", "size", "blob"});
    for (const auto& a : list) table.AddRow({a.path, std::to_string(a.size), a.blob_hash});
    return table.Render();
  });
}

}  // namespace

void AddRunsCommands(CLI::App& app, Context& context) {
  auto* runs = app.add_subcommand("runs", "Track experiments: runs, params, metrics, tags, artifacts");
  runs->require_subcommand(1);

  auto start = std::make_shared<StartOptions>();
  auto* cmd = runs->add_subcommand("start", "Start a run and print its id");
  cmd->add_option("--experiment,-e", start->experiment, "Experiment name (created when new)");
  cmd->add_option("--name,-n", start->name, "Run name");
  cmd->add_option("--parent", start->parent, "Parent run, for child runs such as search trials");
  cmd->callback([start, &context] { RunStart(*start, context); });

  auto add_log = [&](const char* name, const char* help, void (*run)(const LogOptions&, Context&), bool step) {
    auto options = std::make_shared<LogOptions>();
    auto* sub = runs->add_subcommand(name, help);
    sub->add_option("run", options->run, "Run id or unique prefix")->required();
    sub->add_option("pairs", options->pairs, "KEY=VALUE, one or more (logged in one batch)")->required();
    if (step) sub->add_option("--step", options->step, "Step of these metric values");
    sub->callback([options, run, &context] { run(*options, context); });
  };
  add_log("log-param", "Log immutable params", RunLogParams, false);
  add_log("log-metric", "Log metric values", RunLogMetrics, true);
  add_log("set-tag", "Set tags (mutable)", RunSetTags, false);

  auto artifact = std::make_shared<ArtifactOptions>();
  cmd = runs->add_subcommand("log-artifact", "Store a file or folder as artifacts of a run");
  cmd->add_option("run", artifact->run, "Run id or unique prefix")->required();
  cmd->add_option("path", artifact->source, "File or folder")->required();
  cmd->add_option("--as", artifact->as, "Path inside the run (default: the file name)");
  cmd->callback([artifact, &context] { RunLogArtifact(*artifact, context); });

  auto end = std::make_shared<EndOptions>();
  cmd = runs->add_subcommand("end", "End a run");
  cmd->add_option("run", end->run, "Run id or unique prefix")->required();
  cmd->add_option("--status", end->status, "FINISHED (default), FAILED or KILLED");
  cmd->callback([end, &context] { RunEnd(*end, context); });

  auto list = std::make_shared<ListOptions>();
  cmd = runs->add_subcommand("list", "List runs, filtered and sorted");
  cmd->add_option("--experiment,-e", list->experiment, "Only this experiment");
  cmd->add_option("--filter,-f", list->filter, "e.g. \"metrics.roc_auc > 0.8 and params.model = 'gbdt'\"");
  cmd->add_option("--sort", list->sort, "Sort key, '-' for descending (e.g. -metrics.roc_auc); repeatable");
  cmd->add_option("--limit", list->limit, "At most N runs");
  cmd->add_option("--metrics", list->metrics, "Metric columns to show (default: the headline ones)")->delimiter(',');
  cmd->callback([list, &context] { RunList(*list, context); });

  auto show = std::make_shared<ShowOptions>();
  cmd = runs->add_subcommand("show", "Show a run: source, environment, params, metrics, tags, artifacts");
  cmd->add_option("run", show->run, "Run id or unique prefix")->required();
  cmd->callback([show, &context] { RunShow(*show, context); });

  auto compare = std::make_shared<ShowOptions>();
  cmd = runs->add_subcommand("compare", "Params and metrics side by side, differences marked");
  cmd->add_option("runs", compare->runs, "Two or more runs")->required()->expected(2, 1000);
  cmd->callback([compare, &context] { RunCompare(*compare, context); });

  auto metric = std::make_shared<ShowOptions>();
  cmd = runs->add_subcommand("metric", "Every logged value of one metric");
  cmd->add_option("run", metric->run, "Run id or unique prefix")->required();
  cmd->add_option("key", metric->key, "Metric key")->required();
  cmd->callback([metric, &context] { RunMetricHistory(*metric, context); });

  auto files = std::make_shared<ShowOptions>();
  cmd = runs->add_subcommand("artifacts", "List a run's artifacts, or copy them out with -o");
  cmd->add_option("run", files->run, "Run id or unique prefix")->required();
  cmd->add_option("-o,--output", files->output, "Folder to copy the artifacts into");
  cmd->add_option("--path", files->path, "Only this artifact or folder");
  cmd->callback([files, &context] { RunArtifacts(*files, context); });
}

}  // namespace cairn::cli
