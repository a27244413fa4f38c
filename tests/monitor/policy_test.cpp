#include "cairn/monitor/policy.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cairn/core/error.h"
#include "cairn/monitor/schedule.h"

namespace cairn::monitor {
namespace {

std::string ErrorOf(const std::string& yaml) {
  try {
    ParsePolicy(yaml, "policy.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return "";
}

TEST(Policy, TheExampleFileParses) {
  Policy policy = LoadPolicy(std::filesystem::path(CAIRN_SOURCE_DIR) / "examples/policy.yaml");
  EXPECT_EQ(policy.source, "policy.yaml");
  EXPECT_EQ(policy.monitoring.drift_share, 0.5);
  EXPECT_EQ(policy.monitoring.exclude, std::vector<std::string>{"applicant_id"});
  EXPECT_EQ(*policy.monitoring.features.at("income").method, "psi");
  EXPECT_EQ(*policy.monitoring.features.at("income").threshold, 0.2);
  EXPECT_FALSE(policy.monitoring.features.at("region").method);
  EXPECT_EQ(policy.monitoring.performance->metric, "roc_auc");
  ASSERT_EQ(policy.monitoring.alerts.size(), 5u);
  EXPECT_EQ(policy.monitoring.alerts[0].severity, Severity::kCritical);
  EXPECT_EQ(*policy.monitoring.alerts[1].feature, "income");
  EXPECT_EQ(policy.monitoring.alerts[2].kind, AlertRuleKind::kMetricDrop);
  EXPECT_EQ(policy.monitoring.alerts[2].threshold, 0.02);  // from performance.tolerance
  EXPECT_EQ(policy.monitoring.alerts[3].threshold, 250);
  EXPECT_EQ(*policy.monitoring.webhook, "http://127.0.0.1:9000/alerts");
  EXPECT_EQ(*policy.monitoring.schedule_seconds, 86400);
  EXPECT_EQ(policy.retrain.mode, RetrainMode::kOnAlert);
  EXPECT_EQ(policy.retrain.data, RetrainData::kLatest);
  EXPECT_EQ(policy.drift_options().features.size(), 2u);
  EXPECT_EQ(policy.ToJson()["monitoring"]["schedule"], "1d");
}

TEST(Policy, DefaultsWithoutSections) {
  Policy policy = ParsePolicy("governance:\n  tier: high\n", "policy.yaml");
  EXPECT_EQ(policy.monitoring.drift_share, 0.5);
  ASSERT_EQ(policy.monitoring.alerts.size(), 1u);
  EXPECT_EQ(policy.monitoring.alerts[0].kind, AlertRuleKind::kDriftShare);
  EXPECT_EQ(policy.retrain.mode, RetrainMode::kNever);
  // The default rule follows a changed drift share.
  Policy strict = ParsePolicy("monitoring:\n  drift_share: 0.3\n", "policy.yaml");
  EXPECT_EQ(strict.monitoring.alerts[0].threshold, 0.3);
  EXPECT_EQ(ParsePolicy("", "policy.yaml").monitoring.alerts.size(), 1u);
}

TEST(Policy, ErrorsNameTheFileAndTheField) {
  EXPECT_EQ(ErrorOf("monitoring:\n  features:\n    income: {method: kss}\n"),
            "policy.yaml: monitoring.features.income.method: unknown method 'kss'; expected one of ks, wasserstein, "
            "chisquare, z, jensenshannon, psi");
  EXPECT_EQ(ErrorOf("monitoring:\n  drift_shar: 0.4\n"),
            "policy.yaml: monitoring.drift_shar: unknown key; did you mean 'drift_share'?");
  EXPECT_EQ(ErrorOf("monitoring:\n  drift_share: 1.5\n"),
            "policy.yaml: monitoring.drift_share: expected a number in (0, 1], got 1.5");
  EXPECT_EQ(ErrorOf("monitoring:\n  drift_share: lots\n"),
            "policy.yaml: monitoring.drift_share: expected a number, got 'lots'");
  EXPECT_EQ(ErrorOf("monitoring:\n  features:\n    income: {threshold: -1}\n"),
            "policy.yaml: monitoring.features.income.threshold: expected a number >= 0");
  EXPECT_EQ(ErrorOf("monitoring:\n  alerts:\n    - {rule: drift, severity: warning}\n"),
            "policy.yaml: monitoring.alerts[0].rule: unknown rule 'drift'; expected one of drift_share, "
            "feature_drift, metric_drop, latency_p99, error_rate");
  EXPECT_EQ(ErrorOf("monitoring:\n  alerts:\n    - {rule: drift_share, severity: loud}\n"),
            "policy.yaml: monitoring.alerts[0].severity: unknown severity 'loud'; expected one of info, warning, "
            "critical");
  EXPECT_EQ(ErrorOf("monitoring:\n  alerts:\n    - {rule: drift_share}\n    - {rule: latency_p99}\n"),
            "policy.yaml: monitoring.alerts[1].threshold: missing; latency_p99 needs one");
  EXPECT_EQ(ErrorOf("monitoring:\n  alerts:\n    - {rule: metric_drop}\n"),
            "policy.yaml: monitoring.alerts[0].threshold: missing; give a threshold or "
            "monitoring.performance.tolerance");
  EXPECT_EQ(ErrorOf("monitoring:\n  alerts:\n    - {rule: drift_share, feature: age}\n"),
            "policy.yaml: monitoring.alerts[0].feature: only feature_drift rules name a feature");
  EXPECT_EQ(ErrorOf("monitoring:\n  performance: {metric: rocauc}\n").rfind(
                "policy.yaml: monitoring.performance.metric: ", 0),
            0u);
  EXPECT_EQ(ErrorOf("monitoring:\n  webhook: ftp://x\n"),
            "policy.yaml: monitoring.webhook: 'ftp://x' is not an http:// URL");
  EXPECT_EQ(ErrorOf("monitoring:\n  schedule: 1y\n"),
            "policy.yaml: monitoring.schedule: '1y' has unknown unit 'y'; the units are s, m, h, d and w");
  EXPECT_EQ(ErrorOf("retrain:\n  mode: always\n"),
            "policy.yaml: retrain.mode: unknown mode 'always'; expected one of on_alert, never, manual");
  EXPECT_EQ(ErrorOf("retrain:\n  data: newest\n"),
            "policy.yaml: retrain.data: unknown data 'newest'; expected one of latest, window");
  EXPECT_EQ(ErrorOf("monitoring: [1, 2]\n"), "policy.yaml: monitoring: expected a mapping of keys to values");
  EXPECT_EQ(ErrorOf("monitoring:\n  drift_share: [0.5\n").rfind("policy.yaml:", 0), 0u);
  EXPECT_THROW(LoadPolicy("/nonexistent/policy.yaml"), Error);
}

TEST(Schedule, EveryParsesAndFormats) {
  EXPECT_EQ(ParseEvery("1d"), 86400);
  EXPECT_EQ(ParseEvery("12h"), 43200);
  EXPECT_EQ(ParseEvery("30m"), 1800);
  EXPECT_EQ(ParseEvery("1w"), 604800);
  EXPECT_EQ(ParseEvery("90s"), 90);
  EXPECT_THROW(ParseEvery("30s"), Error);  // under a minute
  EXPECT_THROW(ParseEvery("d"), Error);
  EXPECT_THROW(ParseEvery("1.5d"), Error);
  EXPECT_THROW(ParseEvery(""), Error);
  EXPECT_EQ(FormatEvery(86400), "1d");
  EXPECT_EQ(FormatEvery(5400), "90m");
  EXPECT_EQ(FormatEvery(604800), "1w");
}

}  // namespace
}  // namespace cairn::monitor
