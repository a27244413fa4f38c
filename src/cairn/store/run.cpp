#include "cairn/store/run.h"

#include <cmath>

#include "cairn/core/clock.h"
#include "cairn/core/text.h"

namespace cairn::store {
namespace {

// JSON has no NaN or infinity; they become the strings Python's json module reads back.
Json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

}  // namespace

std::string_view RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning:
      return "RUNNING";
    case RunStatus::kFinished:
      return "FINISHED";
    case RunStatus::kFailed:
      return "FAILED";
    case RunStatus::kKilled:
      return "KILLED";
  }
  return "RUNNING";
}

std::optional<RunStatus> ParseRunStatus(std::string_view text) {
  const std::string lower = ToLower(text);
  if (lower == "running") return RunStatus::kRunning;
  if (lower == "finished") return RunStatus::kFinished;
  if (lower == "failed") return RunStatus::kFailed;
  if (lower == "killed") return RunStatus::kKilled;
  return std::nullopt;
}

Json ToJson(const RunSource& source) {
  return Json{{"commit", source.commit}, {"branch", source.branch}, {"dirty", source.dirty}};
}

Json ToJson(const Metric& metric) {
  return Json{{"key", metric.key},
              {"value", NumberJson(metric.value)},
              {"step", metric.step},
              {"timestamp", FormatUtc(metric.timestamp)}};
}

Json ToJson(const RunArtifact& artifact) {
  return Json{{"path", artifact.path},
              {"blob_hash", artifact.blob_hash},
              {"size", artifact.size},
              {"created_at", FormatUtc(artifact.created_at)}};
}

Json ToJson(const Run& run) {
  Json params = Json::object();
  for (const auto& [key, value] : run.params) params[key] = value;
  Json metrics = Json::object();
  for (const auto& [key, metric] : run.metrics) {
    metrics[key] = Json{{"value", NumberJson(metric.value)}, {"step", metric.step}};
  }
  Json tags = Json::object();
  for (const auto& [key, value] : run.tags) tags[key] = value;
  return Json{{"id", run.id},
              {"experiment_id", run.experiment_id},
              {"experiment", run.experiment_name},
              {"name", run.name},
              {"status", RunStatusName(run.status)},
              {"start_time", FormatUtc(run.start_time)},
              {"end_time", run.end_time ? Json(FormatUtc(*run.end_time)) : Json(nullptr)},
              {"parent_run_id", run.parent_run_id ? Json(*run.parent_run_id) : Json(nullptr)},
              {"source", ToJson(run.source)},
              {"environment", run.environment},
              {"params", params},
              {"metrics", metrics},
              {"tags", tags}};
}

}  // namespace cairn::store
