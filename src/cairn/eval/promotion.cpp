#include "cairn/eval/promotion.h"

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/store/audit_log.h"
#include "cairn/store/sql/connection.h"

namespace cairn::eval {

namespace {

std::string Describe(const MetricComparison& m) {
  return m.metric + " " + FormatNumber(m.a, 4) + " -> " + FormatNumber(m.b, 4) + ", " + m.test + " p=" +
         FormatNumber(m.p_value, 3);
}

}  // namespace

PromotionDecision PromoteModel(artifacts::Workspace& workspace, const std::string& name, int64_t version,
                               const PromotionOptions& options) {
  auto& registry = workspace.store().models();
  store::ValidateAliasName(options.alias);
  registry.GetVersion(name, version);  // kNotFound naming the version when it does not exist

  PromotionDecision decision;
  decision.model = name;
  decision.version = version;
  decision.alias = options.alias;
  for (const auto& alias : registry.ListAliases(name)) {
    if (alias.alias == options.alias) decision.previous = alias.version;
  }

  if (!decision.previous) {
    decision.promoted = true;
    decision.reason = "no version held '" + options.alias + "' yet";
  } else if (*decision.previous == version) {
    decision.promoted = true;
    decision.reason = name + "@" + std::to_string(version) + " already is " + options.alias;
  } else {
    if (options.data.empty()) {
      ThrowInvalidInput("promoting " + name + "@" + std::to_string(version) + " over " + options.alias + " (" + name +
                        "@" + std::to_string(*decision.previous) + ") needs --data: the rows both are compared on");
    }
    ComparisonOptions compare;
    compare.target = options.target;
    decision.comparison = CompareModels(workspace, name + "@" + std::to_string(*decision.previous),
                                        name + "@" + std::to_string(version), options.data, compare);
    const MetricComparison& primary = decision.comparison->primary();
    decision.promoted = decision.comparison->verdict != stats::Verdict::kWorse;
    decision.reason = std::string(decision.promoted ? "not significantly worse than " : "significantly worse than ") +
                      options.alias + " " + name + "@" + std::to_string(*decision.previous) + " on " +
                      decision.comparison->data + " (" + Describe(primary) + ")";
  }

  // The decision and the alias move commit together, so the log never shows one without the other.
  sql::Transaction transaction(workspace.store().connection());
  Json payload = ToJson(decision);
  store::AppendAuditEvent(workspace.store().connection(), decision.promoted ? "model.promotion.accept" : "model.promotion.refuse",
                          "model:" + name + "@" + std::to_string(version), payload);
  if (decision.promoted) registry.SetAlias(name, options.alias, version);
  transaction.Commit();
  return decision;
}

Json ToJson(const PromotionDecision& decision) {
  Json json{{"model", decision.model},
            {"version", decision.version},
            {"alias", decision.alias},
            {"previous", decision.previous ? Json(*decision.previous) : Json(nullptr)},
            {"promoted", decision.promoted},
            {"reason", decision.reason}};
  if (decision.comparison) json["comparison"] = ToJson(*decision.comparison);
  return json;
}

}  // namespace cairn::eval
