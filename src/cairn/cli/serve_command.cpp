#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text_table.h"
#include "cairn/serve/ab_report.h"
#include "cairn/serve/server.h"

namespace cairn::cli {
namespace {

struct ServeCommandOptions {
  serve::ServeOptions serve;
  double timeout_seconds = 30;
  double poll_seconds = 10;
  double window_seconds = 300;
  size_t log_capacity = 65536;
  bool no_log = false;
  std::string port_file;
};

std::chrono::milliseconds Millis(double seconds, const std::string& flag) {
  if (!(seconds >= 0) || seconds > 1e7) ThrowInvalidInput(flag + " must be a number of seconds >= 0");
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

void RunServe(ServeCommandOptions& options, Context& context) {
  serve::ServeOptions serve = options.serve;
  serve.workspace = artifacts::WorkspaceOptionsFromEnvironment(context.store_flag());
  serve.read_timeout = Millis(options.timeout_seconds, "--timeout");
  if (serve.read_timeout.count() == 0) ThrowInvalidInput("--timeout must be more than 0 seconds");
  serve.poll_interval = Millis(options.poll_seconds, "--poll");
  serve.log = !options.no_log;
  serve.log_options.capacity = options.log_capacity;
  serve.log_options.window = std::chrono::seconds(static_cast<int64_t>(Millis(options.window_seconds, "--window").count() / 1000));
  if (serve.log_options.window.count() == 0) ThrowInvalidInput("--window must be at least 1 second");
  if (serve.threads < 1 || serve.threads > 256) ThrowInvalidInput("--threads must be between 1 and 256");
  serve.handle_signals = true;

  serve::Server server(serve);
  server.Start();
  if (!options.port_file.empty()) WriteFileAtomic(options.port_file, std::to_string(server.port()) + "\n");
  std::cerr << "cairn serve: " << server.Describe() << " (SIGTERM stops, SIGHUP reloads)" << std::endl;
  server.Wait();
  const uint64_t written = server.log() ? server.log()->written() : 0;
  const uint64_t dropped = server.log() ? server.log()->dropped() : 0;
  context.Emit(Json{{"stopped", true}, {"logged", written}, {"dropped", dropped}}, [&] {
    return "cairn serve: stopped; " + std::to_string(written) + " predictions logged, " + std::to_string(dropped) +
           " dropped\n";
  });
}

std::string Percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f%%", share * 100);
  return buffer;
}

void RunAbReport(const std::string& name, Context& context) {
  const serve::AbReport report = serve::BuildAbReport(context.workspace().store().predictions(), name);
  context.Emit(serve::ToJson(report), [&] {
    TextTable variants({"variant", "versions", "requests", "rows", "accuracy"});
    for (const auto& summary : report.variants) {
      std::string versions;
      for (int64_t version : summary.versions) versions += (versions.empty() ? "" : ",") + std::to_string(version);
      variants.AddRow({summary.variant, versions, std::to_string(summary.requests), std::to_string(summary.rows),
                       Percent(summary.accuracy)});
    }
    std::string out = "A/B report for " + report.model + " (logged predictions with feedback)\n" + variants.Render();
    for (const auto& comparison : report.comparisons) {
      char line[256];
      std::snprintf(line, sizeof line, "\n%s vs %s (%s, %lld rows): difference %+.2f points, p = %.4g: %s\n",
                    comparison.candidate.c_str(), comparison.baseline.c_str(), comparison.test.c_str(),
                    static_cast<long long>(comparison.rows), comparison.difference * 100, comparison.p_value,
                    comparison.verdict.c_str());
      out += line;
    }
    if (report.comparisons.empty()) out += "\nno variant to compare with the champion yet\n";
    if (report.skipped_rows > 0) {
      out += std::to_string(report.skipped_rows) + " feedback rows skipped: their count did not match the prediction's\n";
    }
    return out;
  });
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<ServeCommandOptions>();
  auto& serve = options->serve;
  auto* cmd = app.add_subcommand("serve", "Serve a model over HTTP (MLflow /invocations, KServe V2, Prometheus /metrics)");
  cmd->add_option("model", serve.model, "NAME@ALIAS, NAME@VERSION, NAME, run:RUN_ID or a .onnx path")->required();
  cmd->add_option("--challenger", serve.challenger, "A/B: send a share of request keys to this model");
  cmd->add_option("--split", serve.split, "The challenger's share of request keys (default 0.1)");
  cmd->add_option("--shadow", serve.shadow, "Score every request with this model too, log it, never return it");
  cmd->add_option("--host", serve.host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", serve.port, "Port (default 8080; 0 picks a free one)");
  cmd->add_option("--port-file", options->port_file, "Write the port listened on to this file once serving");
  cmd->add_option("--threads", serve.threads, "I/O and inference threads (default 2)");
  cmd->add_option("--token-file", serve.token_file, "Require bearer tokens: lines of 'TOKEN [scope,...]'");
  cmd->add_option("--max-body", serve.max_body, "Largest request body in bytes (default 16 MiB); more gets 413");
  cmd->add_option("--max-inflight", serve.max_inflight, "Prediction requests answered at once; more get 503");
  cmd->add_option("--timeout", options->timeout_seconds, "Seconds a client may take to send a request (default 30)");
  cmd->add_option("--poll", options->poll_seconds, "Seconds between registry checks for moved aliases (0: only SIGHUP)");
  cmd->add_option("--key-field", serve.key_field, "Body field holding the A/B request key (default request_key)");
  cmd->add_option("--pii", serve.pii, "A feature holding personal data: logged hashed (repeatable)");
  cmd->add_option("--window", options->window_seconds, "Seconds per logged feature-sketch window (default 300)");
  cmd->add_option("--log-capacity", options->log_capacity, "Prediction records queued for the log at most");
  cmd->add_flag("--no-log", options->no_log, "Do not log predictions");
  cmd->callback([options, &context] { RunServe(*options, context); });
}

void AddAbReportCommand(CLI::App& app, Context& context) {
  CLI::App* models = app.get_subcommand("models");
  auto name = std::make_shared<std::string>();
  auto* cmd = models->add_subcommand("ab-report", "Compare a served model's variants on logged feedback");
  cmd->add_option("name", *name, "Model name")->required();
  cmd->callback([name, &context] { RunAbReport(*name, context); });
}

}  // namespace cairn::cli
