#include "cairn/monitor/monitor_service.h"

#include <algorithm>
#include <filesystem>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/data/table_reader.h"
#include "cairn/monitor/logged_traffic.h"
#include "cairn/monitor/schedule.h"

namespace cairn::monitor {
namespace {

void DropExcluded(stats::ReferenceData& reference, const std::vector<std::string>& exclude) {
  auto& features = reference.data.features;
  features.erase(std::remove_if(features.begin(), features.end(),
                                [&](const stats::FeatureSummary& f) {
                                  return std::find(exclude.begin(), exclude.end(), f.name) != exclude.end();
                                }),
                 features.end());
}

std::vector<std::string> Excluded(const MonitorRunRequest& request, const Policy& policy) {
  std::vector<std::string> all = policy.monitoring.exclude;
  all.insert(all.end(), request.exclude.begin(), request.exclude.end());
  return all;
}

void KeepModelInputs(stats::ReferenceData& reference, const store::ModelVersion& model) {
  if (!model.metadata.contains("inputs") || !model.metadata["inputs"].is_array()) return;
  std::vector<std::string> inputs;
  for (const Json& input : model.metadata["inputs"])
    if (input.is_object() && input.contains("name") && input["name"].is_string()) inputs.push_back(input["name"].get<std::string>());
  // A model with one matrix input logs its features by the names in its metadata, not the input's.
  if (inputs.size() < 2) return;
  std::vector<std::string> others;
  for (const auto& f : reference.data.features)
    if (std::find(inputs.begin(), inputs.end(), f.name) == inputs.end() && !reference.IsOutput(f.name)) others.push_back(f.name);
  DropExcluded(reference, others);
}

}  // namespace

std::optional<store::ModelVersion> ResolveMonitoredModel(store::Store& store, const std::string& name,
                                                         bool allow_missing) {
  const store::ModelRef ref = store::ParseModelRef(name);
  if (ref.kind == store::ModelRefKind::kFile)
    ThrowInvalidInput("'" + name + "' is a file; monitoring needs a registered model or --reference");
  if (ref.kind != store::ModelRefKind::kLatest) return store.models().Resolve(ref);
  try {
    store.models().GetModel(ref.name);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound && allow_missing) return std::nullopt;
    throw;
  }
  try {
    return store.models().Resolve(ref.name + "@champion");
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
  }
  return store.models().Resolve(ref);
}

data::Table LoadTableRef(artifacts::Workspace& workspace, const std::string& ref, std::string* label) {
  // A file on disk wins over a dataset of the same name: paths are what users type for batch data.
  if (std::filesystem::is_regular_file(ref)) {
    if (label) *label = std::filesystem::path(ref).filename().string();
    return data::ReadTableFile(ref);
  }
  store::DatasetVersion version = artifacts::GetDataset(workspace, ref);
  if (label) *label = store::FormatDatasetRef(version.name, version.version);
  return artifacts::LoadDataset(workspace, version);
}

ResolvedReference ResolveReference(artifacts::Workspace& workspace, const MonitorRunRequest& request,
                                   const Policy& policy) {
  ResolvedReference out;
  out.model = ResolveMonitoredModel(workspace.store(), request.name, request.reference.has_value());
  std::vector<std::string> exclude = Excluded(request, policy);
  // The model's label is not an input: serving never sees it, so it is not a feature to test.
  if (out.model && out.model->metadata.contains("target") && out.model->metadata["target"].is_string()) {
    exclude.push_back(out.model->metadata["target"].get<std::string>());
  }
  if (request.reference) {
    stats::ReferenceOptions options;
    options.exclude = exclude;
    std::string label;
    data::Table table = LoadTableRef(workspace, *request.reference, &label);
    out.reference = stats::ReferenceData::FromTable(table, options, label);
    out.ref = label;
    return out;
  }
  const store::ModelVersion& model = *out.model;
  const std::string model_ref = store::FormatModelRef(model.name, model.version);
  if (!model.run_id)
    ThrowNotFound(model_ref + " was not registered from a run, so it has no " + kReferenceArtifact +
                  "; pass --reference DATASET");
  std::optional<store::RunArtifact> artifact;
  for (const auto& a : workspace.store().tracking().ListArtifacts(*model.run_id))
    if (a.path == kReferenceArtifact) artifact = a;
  if (!artifact)
    ThrowNotFound(model_ref + " has no " + std::string(kReferenceArtifact) + " in run " + model.run_id->substr(0, 12) +
                  "; pass --reference DATASET");
  const std::string text = workspace.artifacts().Get(artifact->blob_hash);
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) ThrowCorrupt(model_ref + ": " + kReferenceArtifact + " is not JSON");
  out.reference = stats::ReferenceData::FromJson(json, model_ref + ":" + kReferenceArtifact);
  if (out.reference.source.empty()) out.reference.source = model_ref;
  DropExcluded(out.reference, exclude);
  out.ref = model_ref + ":" + kReferenceArtifact;
  return out;
}

std::optional<double> HoldoutMetric(store::Store& store, const store::ModelVersion& model, const std::string& metric) {
  // The training run's test-split value, else the model's first recorded evaluation.
  if (model.run_id) {
    const store::Run run = store.tracking().GetRun(*model.run_id);
    if (auto it = run.metrics.find(metric); it != run.metrics.end()) return it->second.value;
  }
  for (const auto& evaluation : store.models().ListEvaluations(model.name, model.version))
    if (evaluation.metrics.contains(metric) && evaluation.metrics[metric].is_number())
      return evaluation.metrics[metric].get<double>();
  return std::nullopt;
}

MonitorRunResult RunMonitor(artifacts::Workspace& workspace, const MonitorRunRequest& request, const Policy& policy) {
  if (request.data && (request.window || request.from || request.to))
    ThrowInvalidInput("monitor run: --data reads a dataset or file; --window, --from and --to read the prediction "
                      "log; pass one or the other");
  ResolvedReference resolved = ResolveReference(workspace, request, policy);

  DriftReport report;
  std::optional<TrafficWindow> window_read;
  if (request.data) {
    CurrentData current;
    current.table = LoadTableRef(workspace, *request.data, &current.source);
    report = ComputeDrift(resolved.reference, current, policy.drift_options());
  } else {
    if (!resolved.model)
      ThrowInvalidInput("monitor run: '" + request.name + "' is not a registered model, so it has no prediction "
                        "log; pass --data DATASET|FILE");
    const std::optional<std::string> window =
        request.window || request.from || request.to ? request.window : std::optional<std::string>(kDefaultWindow);
    TrafficScan scan;
    scan.model_name = resolved.model->name;
    scan.window = ResolveTrafficWindow(window, request.from, request.to, NowMicros());
    window_read = scan.window;
    // Only the model's inputs reach the log: other reference columns (a sensitive attribute) cannot be tested.
    KeepModelInputs(resolved.reference, *resolved.model);
    const ScoreReader scores = ScoreReader::ForModel(*resolved.model);
    LoggedTraffic traffic = ReadLoggedTraffic(workspace.store(), resolved.reference, scores, scan);
    report = ComputeDrift(resolved.reference, traffic.summary, policy.drift_options(), traffic.source);
    const std::string metric = policy.monitoring.performance ? policy.monitoring.performance->metric
                               : scores.task == ScoreReader::Task::kRegression ? "rmse"
                                                                                : "roc_auc";
    const double tolerance = policy.monitoring.performance ? policy.monitoring.performance->tolerance : 0.02;
    if (!traffic.labels.empty()) {
      if (auto baseline = HoldoutMetric(workspace.store(), *resolved.model, metric))
        report.performance = EvaluatePerformance(metric, *baseline, tolerance, traffic.scores, traffic.labels);
    }
  }
  std::vector<Alert> alerts = EvaluateAlertRules(policy.monitoring.alerts, report);

  MonitorRunResult result;
  result.report = std::move(report);
  result.alerts = alerts;
  result.model = resolved.model;
  result.window = window_read;
  store::NewMonitorReport spec;
  if (resolved.model) {
    spec.model_name = resolved.model->name;
    spec.model_version = resolved.model->version;
    result.model_label = store::FormatModelRef(resolved.model->name, resolved.model->version);
  } else {
    spec.model_name = request.name;
    result.model_label = request.name;
  }
  spec.data_ref = window_read ? std::string(kLogData) : result.report.current_source;
  if (window_read) {
    spec.window_from = window_read->from;
    spec.window_to = window_read->to;
  }
  spec.reference_ref = resolved.ref;
  spec.report = result.report.ToJson();
  spec.dataset_drift = result.report.dataset_drift;
  spec.drift_share = result.report.drift_share;
  for (const Alert& alert : alerts)
    spec.alerts.push_back({alert.rule, std::string(SeverityName(alert.severity)), alert.message, alert.details});
  result.recorded = workspace.store().monitoring().RecordReport(spec);
  return result;
}

std::vector<DeliveryResult> DeliverAlerts(artifacts::Workspace& workspace, const Policy& policy,
                                          const std::vector<store::AlertRecord>& alerts,
                                          std::chrono::milliseconds wait, const WebhookOptions& options) {
  if (!policy.monitoring.webhook || alerts.empty()) return {};
  WebhookSender sender(ParseWebhookUrl(*policy.monitoring.webhook), options);
  for (const auto& alert : alerts) sender.Enqueue(alert.id, store::ToJson(alert).dump());
  std::vector<DeliveryResult> results = sender.Wait(wait);
  store::MonitorStore monitoring = workspace.store().monitoring();
  for (const auto& r : results) monitoring.RecordAlertDelivery(r.id, r.delivered, r.attempts, r.error);
  return results;
}

store::MonitorSchedule ScheduleMonitor(artifacts::Workspace& workspace, const std::string& name, int64_t every_seconds,
                                       const std::string& data, const std::string& reference) {
  store::MonitorSchedule schedule;
  schedule.model_name = name;
  schedule.every_seconds = every_seconds;
  if (data.empty() || data == kLogData) {
    schedule.data_ref = kLogData;
    if (!ResolveMonitoredModel(workspace.store(), name, false))
      ThrowNotFound("monitor schedule " + name + ": the prediction log needs a registered model");
  } else {
    schedule.data_ref = store::ParseDatasetRef(data).name;
    workspace.store().datasets().GetDatasetVersion(schedule.data_ref);
  }
  schedule.reference_ref = reference;
  if (reference.empty()) ResolveMonitoredModel(workspace.store(), name, false);
  return workspace.store().monitoring().SetSchedule(schedule);
}

MonitorRunRequest RequestForSchedule(const store::MonitorSchedule& schedule) {
  MonitorRunRequest request;
  request.name = schedule.model_name;
  if (schedule.data_ref == kLogData) {
    request.window = FormatEvery(schedule.every_seconds);
  } else {
    // The dataset's newest version at the time of the check.
    request.data = store::ParseDatasetRef(schedule.data_ref).name;
  }
  if (!schedule.reference_ref.empty()) request.reference = schedule.reference_ref;
  return request;
}

}  // namespace cairn::monitor
