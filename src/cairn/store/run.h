// A tracked run and the values logged to it, as plain values with their JSON form.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/core/json.h"

namespace cairn::store {

enum class RunStatus { kRunning, kFinished, kFailed, kKilled };

// "RUNNING", "FINISHED", "FAILED", "KILLED"
std::string_view RunStatusName(RunStatus status);
// Case-insensitive; nullopt for anything else.
std::optional<RunStatus> ParseRunStatus(std::string_view text);

// Where the code came from; empty commit when the run did not start inside a git work tree.
struct RunSource {
  std::string commit;
  std::string branch;
  bool dirty = false;
};

struct Param {
  std::string key;
  std::string value;
};

struct Metric {
  std::string key;
  double value = 0;
  int64_t step = 0;
  int64_t timestamp = 0;  // UTC microseconds; 0 asks the store to use the current time
};

struct Tag {
  std::string key;
  std::string value;
};

struct RunArtifact {
  std::string path;       // inside the run, already normalised ("model/model.onnx")
  std::string blob_hash;  // SHA-256 of the blob in the artifact store
  int64_t size = 0;
  int64_t created_at = 0;
};

struct Run {
  std::string id;  // 32 hex digits
  std::string experiment_id;
  std::string experiment_name;
  std::string name;
  RunStatus status = RunStatus::kRunning;
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  RunSource source;
  Json environment = Json::object();
  std::optional<std::string> parent_run_id;
  // Filled by GetRun and ListRuns: every param and tag, and each metric's latest
  // value (highest step, then newest timestamp, then last logged).
  std::map<std::string, std::string> params;
  std::map<std::string, Metric> metrics;
  std::map<std::string, std::string> tags;
};

Json ToJson(const RunSource& source);
Json ToJson(const Metric& metric);  // {"key","value","step","timestamp"}; NaN/inf as strings
Json ToJson(const RunArtifact& artifact);
// Everything in Run; params, metrics (latest values) and tags as objects keyed by name.
Json ToJson(const Run& run);

}  // namespace cairn::store
