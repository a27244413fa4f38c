// `cairn predict MODEL --data FILE|DATASET`: batch scoring of a table with a
// model, written as CSV, with engine and I/O time reported apart.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/eval/scoring_model.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text.h"
#include "cairn/data/table_reader.h"
#include "cairn/runtime/batch_scoring.h"
#include "cairn/runtime/session.h"

namespace cairn::cli {
namespace {

struct PredictOptions {
  std::string model;
  std::string data;
  std::string output;  // empty: CSV on stdout
  int64_t batch = 1000;
  int threads = 1;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A model reference to an ONNX file. Paths only for now: the registry's
// references (NAME@VERSION, NAME@ALIAS, run:ID) get resolved here once the
// model registry provides a resolver.
// A registry reference (NAME@VERSION, NAME@ALIAS, run:ID) or an .onnx path; a
// path needs no workspace.
runtime::Session LoadModel(Context& context, const std::string& ref) {
  if (eval::IsModelFileRef(ref)) return runtime::Session::Load(ref);
  eval::ModelBytes model = eval::ReadModelBytes(context.workspace(), ref);
  return runtime::Session::LoadFromBytes(model.bytes, model.label);
}

// A file path when one exists, else a dataset reference (NAME or NAME@VERSION).
data::Table LoadData(Context& context, const std::string& ref) {
  if (std::filesystem::is_regular_file(ref)) return data::ReadTableFile(ref);
  if (ref.find('/') != std::string::npos || std::filesystem::path(ref).has_extension()) {
    if (ref.find('@') == std::string::npos) ThrowNotFound("data file '" + ref + "' does not exist");
  }
  artifacts::Workspace& workspace = context.workspace();
  return artifacts::LoadDataset(workspace, artifacts::GetDataset(workspace, ref));
}

void RunPredict(const PredictOptions& options, Context& context) {
  auto io_start = std::chrono::steady_clock::now();
  runtime::Session session = LoadModel(context, options.model);
  data::Table table = LoadData(context, options.data);
  double io_seconds = SecondsSince(io_start);

  runtime::BatchScoringOptions scoring;
  scoring.batch_size = options.batch;
  scoring.threads = options.threads;
  auto score_start = std::chrono::steady_clock::now();
  runtime::ScoredTable scores = runtime::ScoreTable(session, table, scoring);
  double score_seconds = SecondsSince(score_start);

  auto write_start = std::chrono::steady_clock::now();
  if (options.output.empty()) {
    if (!context.global.json) runtime::WriteScoresCsv(scores, std::cout);
  } else {
    std::ostringstream csv;
    runtime::WriteScoresCsv(scores, csv);
    WriteFileAtomic(options.output, csv.str());
  }
  io_seconds += SecondsSince(write_start);

  Json json;
  json["model"] = options.model;
  json["data"] = options.data;
  json["output"] = options.output.empty() ? Json(nullptr) : Json(options.output);
  json["rows"] = scores.rows;
  json["batch"] = options.batch;
  json["threads"] = options.threads;
  json["engine_seconds"] = scores.engine_seconds;
  json["convert_seconds"] = scores.convert_seconds;
  json["score_seconds"] = score_seconds;
  json["io_seconds"] = io_seconds;
  Json columns = Json::array();
  for (const auto& column : scores.columns) columns.push_back(column.name);
  json["columns"] = columns;
  if (options.output.empty() && !context.global.json) {
    // The CSV went to stdout; the summary goes to stderr to keep it clean.
    std::cerr << "scored " << scores.rows << " rows: engine " << FormatDouble(scores.engine_seconds) << " s, io "
              << FormatDouble(io_seconds) << " s\n";
    return;
  }
  context.Emit(json, [&] {
    return "scored " + std::to_string(scores.rows) + " rows into " + options.output + "\nengine  " +
           FormatDouble(scores.engine_seconds) + " s (inference alone)\nconvert " +
           FormatDouble(scores.convert_seconds) + " s (table to tensors and back)\nio      " + FormatDouble(io_seconds) +
           " s (model and data read, CSV written)\n";
  });
}

}  // namespace

void AddPredictCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<PredictOptions>();
  auto* cmd = app.add_subcommand("predict", "Score a table with a model and write the predictions as CSV");
  cmd->add_option("model", options->model, "Model: a path to an .onnx file")->required();
  cmd->add_option("--data", options->data, "Data: a CSV/JSONL file or a dataset reference NAME@VERSION")->required();
  cmd->add_option("-o,--output", options->output, "CSV file to write (default: stdout; under --json only the summary is printed)");
  cmd->add_option("--batch", options->batch, "Rows per engine call")->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--threads", options->threads, "Threads running batches at once")->check(CLI::Range(1, 1024));
  cmd->callback([options, &context] { RunPredict(*options, context); });
}

}  // namespace cairn::cli
