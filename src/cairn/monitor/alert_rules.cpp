#include "cairn/monitor/alert_rules.h"

#include <array>

#include "cairn/core/text.h"
#include "cairn/stats/metric_suite.h"

namespace cairn::monitor {
namespace {

constexpr std::array<std::pair<AlertRuleKind, std::string_view>, 5> kRuleNames = {{
    {AlertRuleKind::kDriftShare, "drift_share"},
    {AlertRuleKind::kFeatureDrift, "feature_drift"},
    {AlertRuleKind::kMetricDrop, "metric_drop"},
    {AlertRuleKind::kLatencyP99, "latency_p99"},
    {AlertRuleKind::kErrorRate, "error_rate"},
}};

constexpr std::array<std::pair<Severity, std::string_view>, 3> kSeverityNames = {{
    {Severity::kInfo, "info"},
    {Severity::kWarning, "warning"},
    {Severity::kCritical, "critical"},
}};

std::string Share(double value) { return FormatNumber(value, 3); }

Alert Make(const AlertRule& rule, std::string message, Json details) {
  Alert alert;
  alert.rule = std::string(AlertRuleName(rule.kind));
  alert.severity = rule.severity;
  alert.message = std::move(message);
  alert.details = std::move(details);
  return alert;
}

std::string DescribeFeature(const FeatureDrift& f) {
  return f.feature + " (" + f.method + " " + FormatNumber(f.statistic) + ")";
}

}  // namespace

std::string_view AlertRuleName(AlertRuleKind kind) {
  for (const auto& [k, name] : kRuleNames)
    if (k == kind) return name;
  return "drift_share";
}

std::optional<AlertRuleKind> ParseAlertRuleKind(std::string_view text) {
  for (const auto& [k, name] : kRuleNames)
    if (name == text) return k;
  return std::nullopt;
}

std::string AlertRuleNames() {
  std::vector<std::string> names;
  for (const auto& entry : kRuleNames) names.emplace_back(entry.second);
  return Join(names, ", ");
}

std::string_view SeverityName(Severity severity) {
  for (const auto& [s, name] : kSeverityNames)
    if (s == severity) return name;
  return "warning";
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  for (const auto& [s, name] : kSeverityNames)
    if (name == text) return s;
  return std::nullopt;
}

std::vector<Alert> EvaluateAlertRules(const std::vector<AlertRule>& rules, const DriftReport& report,
                                      const ServingStats& serving) {
  std::vector<Alert> alerts;
  for (const AlertRule& rule : rules) {
    switch (rule.kind) {
      case AlertRuleKind::kDriftShare:
        if (report.features_tested > 0 && report.drift_share >= rule.threshold) {
          alerts.push_back(Make(rule,
                                "dataset drift: " + std::to_string(report.features_drifted) + " of " +
                                    std::to_string(report.features_tested) + " features drifted (share " +
                                    Share(report.drift_share) + " >= " + Share(rule.threshold) + ")",
                                Json{{"drift_share", report.drift_share},
                                     {"threshold", rule.threshold},
                                     {"features_drifted", report.features_drifted},
                                     {"features_tested", report.features_tested}}));
        }
        break;
      case AlertRuleKind::kFeatureDrift: {
        std::vector<std::string> drifted;
        Json names = Json::array();
        for (const FeatureDrift& f : report.features) {
          if (!f.drift || (rule.feature && f.feature != *rule.feature)) continue;
          drifted.push_back(DescribeFeature(f));
          names.push_back(f.feature);
        }
        if (drifted.empty()) break;
        std::string message = rule.feature ? "feature drift: " + drifted.front()
                                           : "feature drift in " + std::to_string(drifted.size()) +
                                                 (drifted.size() == 1 ? " feature: " : " features: ") +
                                                 Join(drifted, ", ");
        alerts.push_back(Make(rule, std::move(message), Json{{"features", names}}));
        break;
      }
      case AlertRuleKind::kMetricDrop: {
        if (!report.performance) break;
        const PerformanceResult& p = *report.performance;
        // The drop in the metric's own direction: a rise in log_loss is a drop in quality.
        const double drop = stats::HigherIsBetter(p.metric) ? p.baseline - p.current : p.current - p.baseline;
        if (!(drop > rule.threshold)) break;
        alerts.push_back(Make(rule,
                              "performance drop: " + p.metric + " " + FormatNumber(p.current) + " against " +
                                  FormatNumber(p.baseline) + " at training (tolerance " +
                                  FormatNumber(rule.threshold) + ", " + std::to_string(p.rows) + " labelled rows)",
                              Json{{"metric", p.metric},
                                   {"baseline", p.baseline},
                                   {"current", p.current},
                                   {"threshold", rule.threshold},
                                   {"rows", p.rows}}));
        break;
      }
      case AlertRuleKind::kLatencyP99:
        if (serving.latency_p99_ms && *serving.latency_p99_ms > rule.threshold) {
          alerts.push_back(Make(rule,
                                "p99 latency " + FormatNumber(*serving.latency_p99_ms) + " ms above " +
                                    FormatNumber(rule.threshold) + " ms",
                                Json{{"latency_p99_ms", *serving.latency_p99_ms}, {"threshold", rule.threshold}}));
        }
        break;
      case AlertRuleKind::kErrorRate:
        if (serving.error_rate && *serving.error_rate > rule.threshold) {
          alerts.push_back(Make(rule,
                                "error rate " + Share(*serving.error_rate) + " above " + Share(rule.threshold),
                                Json{{"error_rate", *serving.error_rate}, {"threshold", rule.threshold}}));
        }
        break;
    }
  }
  return alerts;
}

Json ToJson(const Alert& alert) {
  return Json{{"rule", alert.rule},
              {"severity", std::string(SeverityName(alert.severity))},
              {"message", alert.message},
              {"details", alert.details}};
}

}  // namespace cairn::monitor
