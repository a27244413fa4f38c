// Alert rules from the policy's `monitoring.alerts`, evaluated on a drift
// report (and on serving statistics when they are available) into alerts
// with a severity and one readable sentence each.
//
// | rule          | fires when                                                    | threshold default        |
// | ------------- | ------------------------------------------------------------- | ------------------------ |
// | drift_share   | share of drifted features >= threshold                        | monitoring.drift_share   |
// | feature_drift | the named feature drifts (any feature when none is named)     | none: the feature's test |
// | metric_drop   | performance worse than the holdout value by more than it      | performance.tolerance    |
// | latency_p99   | p99 request latency in milliseconds > threshold               | required                 |
// | error_rate    | share of failed requests > threshold                          | required                 |
//
// A rule whose input is absent (no labelled rows, no serving statistics) is
// skipped, not fired. Without an `alerts:` list the policy uses one
// drift_share rule with severity warning.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/monitor/drift_report.h"

namespace cairn::monitor {

enum class AlertRuleKind { kDriftShare, kFeatureDrift, kMetricDrop, kLatencyP99, kErrorRate };
enum class Severity { kInfo, kWarning, kCritical };

std::string_view AlertRuleName(AlertRuleKind kind);  // "drift_share", ...
std::optional<AlertRuleKind> ParseAlertRuleKind(std::string_view text);
std::string AlertRuleNames();                       // for error messages
std::string_view SeverityName(Severity severity);   // "info", "warning", "critical"
std::optional<Severity> ParseSeverity(std::string_view text);

struct AlertRule {
  AlertRuleKind kind = AlertRuleKind::kDriftShare;
  double threshold = 0.0;
  Severity severity = Severity::kWarning;
  std::optional<std::string> feature;  // feature_drift only
};

// Serving statistics for the window, when a server recorded them.
struct ServingStats {
  std::optional<double> latency_p99_ms;
  std::optional<double> error_rate;
};

struct Alert {
  std::string rule;  // AlertRuleName
  Severity severity = Severity::kWarning;
  std::string message;  // "dataset drift: 9 of 13 features drifted (share 0.69 >= 0.5)"
  Json details = Json::object();
};

std::vector<Alert> EvaluateAlertRules(const std::vector<AlertRule>& rules, const DriftReport& report,
                                      const ServingStats& serving = {});

Json ToJson(const Alert& alert);

}  // namespace cairn::monitor
