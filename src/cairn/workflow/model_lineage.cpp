#include "cairn/workflow/model_lineage.h"

#include <algorithm>

#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/store/audit_log.h"
#include "cairn/store/lineage_store.h"
#include "cairn/store/store.h"

namespace cairn::workflow {
namespace {

std::string Text(const Json& payload, const char* key) {
  if (!payload.contains(key)) return "";
  const Json& value = payload[key];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string Short(const std::string& id) { return id.substr(0, 12); }

// One readable line per audit event about the model.
std::optional<std::string> Describe(const store::AuditEvent& event, const std::string& name) {
  Json p = Json::parse(event.payload, nullptr, false);
  if (p.is_discarded()) p = Json::object();
  const std::string& a = event.action;
  if (a == "model.version.create") {
    const std::string run = Text(p, "run_id");
    return "registered " + name + "@" + Text(p, "version") + (run.empty() ? " (" + Text(p, "source") + ")" : " from run " + Short(run));
  }
  if (a == "model.alias.set") {
    const std::string previous = Text(p, "previous");
    return "alias " + Text(p, "alias") + " -> " + name + "@" + Text(p, "version") +
           (previous.empty() ? "" : " (was @" + previous + ")");
  }
  if (a == "model.alias.delete") return "alias " + Text(p, "alias") + " removed";
  if (a == "model.promotion.accept" || a == "model.promotion.refuse") {
    return std::string(a == "model.promotion.accept" ? "promoted " : "refused to promote ") + name + "@" +
           Text(p, "version") + " to " + Text(p, "alias") + ": " + Text(p, "reason");
  }
  if (a == "model.retrain.start")
    return "retraining " + Text(p, "champion") + " on " + Text(p, "dataset") + " (" + Text(p, "trigger") + ")";
  if (a == "model.retrain.complete")
    return "retrained " + Text(p, "champion") + " as " + Text(p, "challenger") + " in run " + Short(Text(p, "run")) +
           (p.value("promoted", false) ? ", promoted" : ", not promoted");
  if (a == "model.retrain.skip") return "retraining skipped: " + Text(p, "reason");
  return std::nullopt;
}

}  // namespace

ModelLineage BuildModelLineage(artifacts::Workspace& workspace, const std::string& name) {
  auto& store = workspace.store();
  store.models().GetModel(name);  // kNotFound with a hint
  ModelLineage lineage;
  lineage.name = name;
  const auto aliases = store.models().ListAliases(name);
  for (const store::ModelVersion& version : store.models().ListVersions(name)) {
    VersionLineage entry;
    entry.version = version;
    const std::string ref = store::FormatModelRef(name, version.version);
    for (const auto& alias : aliases)
      if (alias.version == version.version) entry.aliases.push_back(alias.alias);
    for (const auto& edge : store.lineage().ListLineage("model", ref))
      if (edge.kind == "retrained_as" && edge.to_id == ref) entry.retrained_from = edge.from_id;
    if (version.run_id) {
      entry.run_name = store.tracking().GetRun(*version.run_id).name;
      for (const auto& edge : store.lineage().ListLineage("run", *version.run_id)) {
        if (edge.to_id != *version.run_id) continue;
        if (edge.from_kind == "dataset") entry.datasets.push_back(edge.from_id);
        if (edge.from_kind == "alert") entry.triggered_by.push_back(edge.from_id);
      }
    }
    lineage.versions.push_back(std::move(entry));
  }

  std::vector<std::string> subjects = {"model:" + name};
  for (const auto& v : lineage.versions) subjects.push_back("model:" + store::FormatModelRef(name, v.version.version));
  std::vector<std::pair<int64_t, LineageEvent>> ordered;  // by audit sequence, alerts by time
  for (const auto& subject : subjects) {
    for (const auto& event : store::ListAuditEvents(store.connection(), subject)) {
      if (auto text = Describe(event, name)) ordered.push_back({event.at, LineageEvent{event.at, event.action, *text}});
    }
  }
  for (const auto& alert : store.monitoring().ListAlerts(name))
    ordered.push_back({alert.created_at, LineageEvent{alert.created_at, "alert",
                                                      "alert " + Short(alert.id) + " [" + alert.severity + "] " + alert.message}});
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [at, event] : ordered) lineage.history.push_back(std::move(event));
  return lineage;
}

Json ToJson(const ModelLineage& lineage) {
  Json versions = Json::array();
  for (const auto& v : lineage.versions) {
    versions.push_back(Json{{"version", v.version.version},
                            {"ref", store::FormatModelRef(lineage.name, v.version.version)},
                            {"created_at", FormatUtc(v.version.created_at)},
                            {"aliases", v.aliases},
                            {"run_id", v.version.run_id ? Json(*v.version.run_id) : Json(nullptr)},
                            {"run_name", v.run_name ? Json(*v.run_name) : Json(nullptr)},
                            {"datasets", v.datasets},
                            {"parent_version", v.version.parent_version ? Json(*v.version.parent_version) : Json(nullptr)},
                            {"retrained_from", v.retrained_from ? Json(*v.retrained_from) : Json(nullptr)},
                            {"triggered_by", v.triggered_by}});
  }
  Json history = Json::array();
  for (const auto& e : lineage.history) history.push_back(Json{{"at", FormatUtc(e.at)}, {"action", e.action}, {"text", e.text}});
  return Json{{"name", lineage.name}, {"versions", versions}, {"history", history}};
}

}  // namespace cairn::workflow
