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
  decision.gate = options.gate;
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
    if (options.data.empty() && !options.rows) {
      ThrowInvalidInput("promoting " + name + "@" + std::to_string(version) + " over " + options.alias + " (" + name +
                        "@" + std::to_string(*decision.previous) + ") needs --data: the rows both are compared on");
    }
    ComparisonOptions compare;
    compare.target = options.target;
    const std::string ref_a = name + "@" + std::to_string(*decision.previous);
    const std::string ref_b = name + "@" + std::to_string(version);
    if (options.rows) {
      decision.comparison = CompareLoaded(ScoringModel::Open(workspace, ref_a), ScoringModel::Open(workspace, ref_b),
                                          *options.rows, compare);
    } else {
      decision.comparison = CompareModels(workspace, ref_a, ref_b, options.data, compare);
    }
    const MetricComparison& primary = decision.comparison->primary();
    const stats::Verdict verdict = decision.comparison->verdict;
    std::string finding;
    if (options.gate == PromotionGate::kBetter) {
      decision.promoted = verdict == stats::Verdict::kBetter;
      finding = decision.promoted                          ? "significantly better than "
                : verdict == stats::Verdict::kWorse        ? "significantly worse than "
                                                           : "not significantly better than ";
    } else {
      decision.promoted = verdict != stats::Verdict::kWorse;
      finding = decision.promoted ? "not significantly worse than " : "significantly worse than ";
    }
    decision.reason = finding + options.alias + " " + ref_a + " on " + decision.comparison->data + " (" +
                      Describe(primary) + ")";
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

std::string_view PromotionGateName(PromotionGate gate) {
  return gate == PromotionGate::kBetter ? "better" : "not_worse";
}

Json ToJson(const PromotionDecision& decision) {
  Json json{{"model", decision.model},
            {"version", decision.version},
            {"alias", decision.alias},
            {"previous", decision.previous ? Json(*decision.previous) : Json(nullptr)},
            {"gate", PromotionGateName(decision.gate)},
            {"promoted", decision.promoted},
            {"reason", decision.reason}};
  if (decision.comparison) json["comparison"] = ToJson(*decision.comparison);
  return json;
}

}  // namespace cairn::eval
