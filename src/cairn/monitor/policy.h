// The `monitoring:` and `retrain:` sections of a project's policy file (YAML;
// other sections belong to other layers and are left alone). Every error names
// the file and the field: `policy.yaml: monitoring.features.income.method:
// unknown method 'kss'; expected one of ks, wasserstein, ...`.
//
//   monitoring:
//     drift_share: 0.5              # dataset drift when this share of features drifts
//     exclude: [applicant_id]       # columns never tested
//     features:
//       income: {method: psi, threshold: 0.2}
//     performance: {metric: roc_auc, tolerance: 0.02}
//     alerts:
//       - {rule: drift_share, threshold: 0.5, severity: critical}
//       - {rule: feature_drift, feature: income, severity: warning}
//     webhook: http://127.0.0.1:9000/alerts
//     schedule: 1d
//   retrain:
//     mode: on_alert                # on_alert | never | manual
//     data: latest                  # latest | window
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/monitor/alert_rules.h"
#include "cairn/monitor/drift_engine.h"

namespace cairn::monitor {

struct PerformancePolicy {
  std::string metric = "roc_auc";
  double tolerance = 0.02;
};

struct MonitoringPolicy {
  double drift_share = 0.5;
  std::vector<std::string> exclude;
  std::map<std::string, FeatureOverride> features;
  std::optional<PerformancePolicy> performance;
  std::vector<AlertRule> alerts;  // the default drift_share rule when the file lists none
  std::optional<std::string> webhook;
  std::optional<int64_t> schedule_seconds;
};

enum class RetrainMode { kNever, kOnAlert, kManual };
enum class RetrainData { kLatest, kWindow };
std::string_view RetrainModeName(RetrainMode mode);  // "never", "on_alert", "manual"
std::string_view RetrainDataName(RetrainData data);  // "latest", "window"

struct RetrainPolicy {
  RetrainMode mode = RetrainMode::kNever;
  RetrainData data = RetrainData::kLatest;
};

struct Policy {
  MonitoringPolicy monitoring;
  RetrainPolicy retrain;
  std::string source;  // the file it came from; "" for the defaults

  DriftOptions drift_options() const;
  Json ToJson() const;
};

// The defaults above, with the single drift_share alert rule.
Policy DefaultPolicy();
// `source_name` prefixes every error ("policy.yaml: monitoring.drift_share: ...").
Policy ParsePolicy(std::string_view yaml_text, const std::string& source_name);
// kNotFound when the file is missing.
Policy LoadPolicy(const std::filesystem::path& path);
// `explicit_file` when given, else policy.yaml at the workspace root when there is one, else the defaults.
Policy LoadProjectPolicy(const std::filesystem::path& workspace_root, const std::string& explicit_file);

}  // namespace cairn::monitor
