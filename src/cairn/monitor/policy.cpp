#include "cairn/monitor/policy.h"

#include <yaml-cpp/yaml.h>

#include <cmath>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/text.h"
#include "cairn/monitor/drift_methods.h"
#include "cairn/monitor/schedule.h"
#include "cairn/stats/metric_suite.h"

namespace cairn::monitor {
namespace {

// Reads one section of the file, each error naming the file and the dotted field.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& message) const {
    ThrowInvalidInput(source_ + ": " + field + ": " + message);
  }

  void ExpectMap(const YAML::Node& node, const std::string& field) const {
    if (!node.IsMap()) Fail(field, "expected a mapping of keys to values");
  }

  void CheckKeys(const YAML::Node& node, const std::string& field, const std::vector<std::string>& allowed) const {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const std::string hint = ClosestMatch(key, allowed);
      Fail(field + "." + key, "unknown key" + (hint.empty() ? "; expected one of " + Join(allowed, ", ")
                                                            : "; did you mean '" + hint + "'?"));
    }
  }

  std::string Text(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) Fail(field, "expected a text value");
    return node.as<std::string>();
  }

  double Number(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) Fail(field, "expected a number");
    try {
      const double value = node.as<double>();
      if (!std::isfinite(value)) Fail(field, "expected a finite number");
      return value;
    } catch (const YAML::BadConversion&) {
      Fail(field, "expected a number, got '" + node.as<std::string>() + "'");
    }
  }

  double Share(const YAML::Node& node, const std::string& field, bool allow_zero) const {
    const double value = Number(node, field);
    if (value < 0.0 || value > 1.0 || (!allow_zero && value == 0.0))
      Fail(field, "expected a number in " + std::string(allow_zero ? "[0, 1]" : "(0, 1]") + ", got " +
                      FormatDouble(value));
    return value;
  }

  template <typename T>
  T Choice(const YAML::Node& node, const std::string& field, const std::vector<std::pair<std::string, T>>& options,
           const std::string& what) const {
    const std::string text = Text(node, field);
    std::vector<std::string> names;
    for (const auto& [name, value] : options) {
      if (name == text) return value;
      names.push_back(name);
    }
    Fail(field, "unknown " + what + " '" + text + "'; expected one of " + Join(names, ", "));
  }

 private:
  std::string source_;
};

void ReadFeatures(const Reader& r, const YAML::Node& node, MonitoringPolicy& out) {
  const std::string base = "monitoring.features";
  r.ExpectMap(node, base);
  for (const auto& entry : node) {
    const std::string name = entry.first.as<std::string>();
    const std::string field = base + "." + name;
    r.ExpectMap(entry.second, field);
    r.CheckKeys(entry.second, field, {"method", "threshold"});
    FeatureOverride spec;
    if (entry.second["method"]) {
      const std::string method = r.Text(entry.second["method"], field + ".method");
      if (!FindDriftMethod(method))
        r.Fail(field + ".method", "unknown method '" + method + "'; expected one of " + DriftMethodNames());
      spec.method = method;
    }
    if (entry.second["threshold"]) {
      const double threshold = r.Number(entry.second["threshold"], field + ".threshold");
      if (threshold < 0.0) r.Fail(field + ".threshold", "expected a number >= 0");
      spec.threshold = threshold;
    }
    out.features[name] = spec;
  }
}

void ReadAlerts(const Reader& r, const YAML::Node& node, MonitoringPolicy& out) {
  if (!node.IsSequence()) r.Fail("monitoring.alerts", "expected a list of rules");
  std::vector<std::pair<std::string, AlertRuleKind>> kinds;
  for (auto kind : {AlertRuleKind::kDriftShare, AlertRuleKind::kFeatureDrift, AlertRuleKind::kMetricDrop,
                    AlertRuleKind::kLatencyP99, AlertRuleKind::kErrorRate})
    kinds.emplace_back(std::string(AlertRuleName(kind)), kind);
  const std::vector<std::pair<std::string, Severity>> severities = {
      {"info", Severity::kInfo}, {"warning", Severity::kWarning}, {"critical", Severity::kCritical}};
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string field = "monitoring.alerts[" + std::to_string(i) + "]";
    const YAML::Node rule_node = node[i];
    r.ExpectMap(rule_node, field);
    r.CheckKeys(rule_node, field, {"rule", "threshold", "severity", "feature"});
    if (!rule_node["rule"]) r.Fail(field + ".rule", "missing; expected one of " + AlertRuleNames());
    AlertRule rule;
    rule.kind = r.Choice(rule_node["rule"], field + ".rule", kinds, "rule");
    if (rule_node["severity"]) rule.severity = r.Choice(rule_node["severity"], field + ".severity", severities, "severity");
    if (rule_node["feature"]) {
      if (rule.kind != AlertRuleKind::kFeatureDrift)
        r.Fail(field + ".feature", "only feature_drift rules name a feature");
      rule.feature = r.Text(rule_node["feature"], field + ".feature");
    }
    const bool has_threshold = static_cast<bool>(rule_node["threshold"]);
    switch (rule.kind) {
      case AlertRuleKind::kDriftShare:
        rule.threshold = has_threshold ? r.Share(rule_node["threshold"], field + ".threshold", false) : out.drift_share;
        break;
      case AlertRuleKind::kFeatureDrift:
        if (has_threshold)
          r.Fail(field + ".threshold",
                 "feature_drift uses the feature's own test; set monitoring.features.NAME.threshold instead");
        break;
      case AlertRuleKind::kMetricDrop:
        if (has_threshold) {
          rule.threshold = r.Number(rule_node["threshold"], field + ".threshold");
        } else if (out.performance) {
          rule.threshold = out.performance->tolerance;
        } else {
          r.Fail(field + ".threshold", "missing; give a threshold or monitoring.performance.tolerance");
        }
        break;
      case AlertRuleKind::kLatencyP99:
      case AlertRuleKind::kErrorRate:
        if (!has_threshold) r.Fail(field + ".threshold", "missing; " + std::string(AlertRuleName(rule.kind)) + " needs one");
        rule.threshold = rule.kind == AlertRuleKind::kErrorRate
                             ? r.Share(rule_node["threshold"], field + ".threshold", true)
                             : r.Number(rule_node["threshold"], field + ".threshold");
        break;
    }
    out.alerts.push_back(rule);
  }
}

MonitoringPolicy ReadMonitoring(const Reader& r, const YAML::Node& node) {
  MonitoringPolicy out = DefaultPolicy().monitoring;
  r.ExpectMap(node, "monitoring");
  r.CheckKeys(node, "monitoring",
              {"drift_share", "exclude", "features", "performance", "alerts", "webhook", "schedule"});
  if (node["drift_share"]) out.drift_share = r.Share(node["drift_share"], "monitoring.drift_share", false);
  if (node["exclude"]) {
    if (!node["exclude"].IsSequence()) r.Fail("monitoring.exclude", "expected a list of column names");
    for (std::size_t i = 0; i < node["exclude"].size(); ++i)
      out.exclude.push_back(r.Text(node["exclude"][i], "monitoring.exclude[" + std::to_string(i) + "]"));
  }
  if (node["features"]) ReadFeatures(r, node["features"], out);
  if (node["performance"]) {
    const YAML::Node p = node["performance"];
    r.ExpectMap(p, "monitoring.performance");
    r.CheckKeys(p, "monitoring.performance", {"metric", "tolerance"});
    PerformancePolicy perf;
    if (p["metric"]) {
      perf.metric = r.Text(p["metric"], "monitoring.performance.metric");
      try {
        stats::HigherIsBetter(perf.metric);
      } catch (const Error& e) {
        r.Fail("monitoring.performance.metric", e.what());
      }
    }
    if (p["tolerance"]) {
      perf.tolerance = r.Number(p["tolerance"], "monitoring.performance.tolerance");
      if (perf.tolerance < 0) r.Fail("monitoring.performance.tolerance", "expected a number >= 0");
    }
    out.performance = perf;
  }
  // Rules come after drift_share and performance, whose values are their defaults.
  out.alerts.clear();
  if (node["alerts"]) {
    ReadAlerts(r, node["alerts"], out);
  } else {
    out.alerts.push_back(AlertRule{AlertRuleKind::kDriftShare, out.drift_share, Severity::kWarning, std::nullopt});
  }
  if (node["webhook"]) {
    const std::string url = r.Text(node["webhook"], "monitoring.webhook");
    if (!StartsWith(url, "http://") && !StartsWith(url, "https://"))
      r.Fail("monitoring.webhook", "'" + url + "' is not an http:// URL");
    out.webhook = url;
  }
  if (node["schedule"]) {
    try {
      out.schedule_seconds = ParseEvery(r.Text(node["schedule"], "monitoring.schedule"), "monitoring.schedule");
    } catch (const Error& e) {
      r.Fail("monitoring.schedule", std::string(e.what()).substr(std::string("monitoring.schedule: ").size()));
    }
  }
  return out;
}

RetrainPolicy ReadRetrain(const Reader& r, const YAML::Node& node) {
  RetrainPolicy out;
  r.ExpectMap(node, "retrain");
  r.CheckKeys(node, "retrain", {"mode", "data"});
  if (node["mode"])
    out.mode = r.Choice<RetrainMode>(
        node["mode"], "retrain.mode",
        {{"on_alert", RetrainMode::kOnAlert}, {"never", RetrainMode::kNever}, {"manual", RetrainMode::kManual}}, "mode");
  if (node["data"])
    out.data = r.Choice<RetrainData>(node["data"], "retrain.data",
                                     {{"latest", RetrainData::kLatest}, {"window", RetrainData::kWindow}}, "data");
  return out;
}

}  // namespace

std::string_view RetrainModeName(RetrainMode mode) {
  switch (mode) {
    case RetrainMode::kOnAlert: return "on_alert";
    case RetrainMode::kManual: return "manual";
    case RetrainMode::kNever: break;
  }
  return "never";
}

std::string_view RetrainDataName(RetrainData data) { return data == RetrainData::kWindow ? "window" : "latest"; }

DriftOptions Policy::drift_options() const {
  DriftOptions options;
  options.drift_share = monitoring.drift_share;
  options.features = monitoring.features;
  return options;
}

Json Policy::ToJson() const {
  Json features = Json::object();
  for (const auto& [name, spec] : monitoring.features) {
    Json f = Json::object();
    if (spec.method) f["method"] = *spec.method;
    if (spec.threshold) f["threshold"] = *spec.threshold;
    features[name] = f;
  }
  Json alerts = Json::array();
  for (const auto& rule : monitoring.alerts) {
    Json a{{"rule", std::string(AlertRuleName(rule.kind))},
           {"threshold", rule.threshold},
           {"severity", std::string(SeverityName(rule.severity))}};
    if (rule.feature) a["feature"] = *rule.feature;
    alerts.push_back(a);
  }
  Json json{{"source", source},
            {"monitoring",
             Json{{"drift_share", monitoring.drift_share},
                  {"exclude", monitoring.exclude},
                  {"features", features},
                  {"alerts", alerts}}},
            {"retrain", Json{{"mode", std::string(RetrainModeName(retrain.mode))},
                             {"data", std::string(RetrainDataName(retrain.data))}}}};
  if (monitoring.performance)
    json["monitoring"]["performance"] = Json{{"metric", monitoring.performance->metric},
                                             {"tolerance", monitoring.performance->tolerance}};
  if (monitoring.webhook) json["monitoring"]["webhook"] = *monitoring.webhook;
  if (monitoring.schedule_seconds) json["monitoring"]["schedule"] = FormatEvery(*monitoring.schedule_seconds);
  return json;
}

Policy DefaultPolicy() {
  Policy policy;
  policy.monitoring.alerts.push_back(AlertRule{AlertRuleKind::kDriftShare, 0.5, Severity::kWarning, std::nullopt});
  return policy;
}

Policy ParsePolicy(std::string_view yaml_text, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    ThrowInvalidInput(source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  Policy policy = DefaultPolicy();
  policy.source = source_name;
  if (root.IsNull()) return policy;
  if (!root.IsMap()) ThrowInvalidInput(source_name + ": expected a mapping with sections such as monitoring:");
  const Reader reader(source_name);
  try {
    if (root["monitoring"]) policy.monitoring = ReadMonitoring(reader, root["monitoring"]);
    if (root["retrain"]) policy.retrain = ReadRetrain(reader, root["retrain"]);
  } catch (const YAML::Exception& e) {
    ThrowInvalidInput(source_name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return policy;
}

Policy LoadPolicy(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) ThrowNotFound("no policy file '" + path.string() + "'");
  return ParsePolicy(ReadFile(path), path.filename().string());
}

Policy LoadProjectPolicy(const std::filesystem::path& workspace_root, const std::string& explicit_file) {
  if (!explicit_file.empty()) return LoadPolicy(explicit_file);
  if (!workspace_root.empty() && std::filesystem::exists(workspace_root / "policy.yaml"))
    return LoadPolicy(workspace_root / "policy.yaml");
  return DefaultPolicy();
}

}  // namespace cairn::monitor
