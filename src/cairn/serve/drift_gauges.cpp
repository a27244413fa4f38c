#include "cairn/serve/drift_gauges.h"

#include <cmath>

#include "cairn/monitor/drift_report.h"

namespace cairn::serve {

std::vector<ModelDriftGauges> ReadDriftGauges(store::Store& store, const std::vector<std::string>& model_names) {
  std::vector<ModelDriftGauges> gauges;
  auto monitoring = store.monitoring();
  for (const auto& name : model_names) {
    const auto newest = monitoring.ListReports(name, 1);
    if (newest.empty()) continue;
    const store::MonitorReportRecord& record = newest.front();
    const monitor::DriftReport report = monitor::DriftReport::FromJson(record.report, "monitor report " + record.id);
    ModelDriftGauges model;
    model.model = name;
    model.version = record.model_version ? std::to_string(*record.model_version) : "";
    model.generated_at_seconds = static_cast<double>(report.generated_at) / 1e6;
    model.drift_share = report.drift_share;
    model.dataset_drift = report.dataset_drift;
    for (const auto& f : report.features) {
      if (f.method == "none") continue;  // not tested: no score to show
      model.features.push_back({f.feature, f.method, std::isnan(f.p_value) ? f.statistic : f.p_value, f.threshold,
                                f.psi, f.drift});
    }
    if (report.performance) {
      model.performance_metric = report.performance->metric;
      model.performance = report.performance->current;
      model.performance_baseline = report.performance->baseline;
    }
    gauges.push_back(std::move(model));
  }
  return gauges;
}

}  // namespace cairn::serve
