// Experiment tracking: experiments, runs and what they log. Every change runs in
// one transaction together with the audit event that records it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/experiment.h"
#include "cairn/store/run.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

struct RunQuery {
  std::optional<std::string> experiment;  // experiment name; every experiment when empty
  std::string filter;                     // run filter language (run_filter.h); blank matches all
  std::vector<std::string> sort;          // "-metrics.roc_auc", "params.x"; newest first when empty
  int64_t limit = 0;                      // 0: no limit
};

// Keys of params, metrics and tags: 1 to 250 characters from [A-Za-z0-9_.-/ ].
// kInvalidInput naming `what` ("metric key") and the key otherwise.
void ValidateKey(std::string_view key, std::string_view what);

// Run references given to the methods below are a full run id or a unique
// prefix of at least 6 characters: an ambiguous prefix is kInvalidInput, an
// unknown one kNotFound naming it.
class TrackingStore {
 public:
  // The connection must outlive the store; the schema must be migrated.
  explicit TrackingStore(sql::Connection& connection) : connection_(connection) {}

  // Experiments. Names: 1 to 250 characters without control characters.
  Experiment CreateExperiment(std::string_view name);  // kConflict when it exists
  Experiment GetExperimentByName(std::string_view name);  // kNotFound
  Experiment GetOrCreateExperiment(std::string_view name);
  std::vector<Experiment> ListExperiments();  // by name

  // Starts a RUNNING run, creating the experiment when it does not exist yet.
  // An empty name becomes "run-" and the first 8 digits of the id.
  Run CreateRun(std::string_view experiment_name, std::string_view run_name,
                const RunSource& source = {}, const Json& environment = Json::object(),
                const std::optional<std::string>& parent_run_ref = std::nullopt);
  // With params, latest metrics and tags.
  Run GetRun(std::string_view run_ref);
  std::string ResolveRunId(std::string_view run_ref);
  // RUNNING -> FINISHED, FAILED or KILLED; ending a run that already ended is kConflict.
  Run EndRun(std::string_view run_ref, RunStatus status);

  // The one write primitive for logged values: one transaction, one audit event.
  // Params are immutable: the same value again is a no-op, another value is
  // kConflict naming the key and both values. Metrics keep every point (NaN and
  // ±inf included); a zero timestamp means now. Tags overwrite. Params and
  // metrics need a RUNNING run (kConflict otherwise); tags may be set on an
  // ended run, since they annotate it. Keys are checked with ValidateKey.
  void LogBatch(std::string_view run_ref, const std::vector<Param>& params,
                const std::vector<Metric>& metrics, const std::vector<Tag>& tags);
  void LogParam(std::string_view run_ref, std::string_view key, std::string_view value);
  void LogMetric(std::string_view run_ref, std::string_view key, double value, int64_t step = 0,
                 int64_t timestamp = 0);
  void SetTag(std::string_view run_ref, std::string_view key, std::string_view value);

  // Maps a normalised path inside a RUNNING run to a blob. The same path and
  // blob again is a no-op; the same path with another blob is kConflict.
  void RecordArtifact(std::string_view run_ref, std::string_view path, std::string_view blob_hash,
                      int64_t size);
  std::vector<RunArtifact> ListArtifacts(std::string_view run_ref);  // by path

  // Filtered, sorted and limited runs, each with params, latest metrics and tags.
  std::vector<Run> ListRuns(const RunQuery& query = {});
  // Every point of one metric, by step then timestamp; kNotFound when the run never logged it.
  std::vector<Metric> GetMetricHistory(std::string_view run_ref, std::string_view key);

 private:
  sql::Connection& connection_;
};

}  // namespace cairn::store
