#include "cairn/monitor/drift_report.h"

#include <cmath>

#include "cairn/core/error.h"

namespace cairn::monitor {
namespace {

Json Number(double value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

double ReadNumber(const Json& json, const char* field, const std::string& where) {
  auto it = json.find(field);
  if (it == json.end() || it->is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    if (*it == "inf") return std::numeric_limits<double>::infinity();
    if (*it == "-inf") return -std::numeric_limits<double>::infinity();
  }
  ThrowCorrupt(where + "." + field + ": expected a number");
}

Json Numbers(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(Number(v));
  return out;
}

std::vector<double> ReadNumbers(const Json& json, const char* field, const std::string& where) {
  std::vector<double> out;
  auto it = json.find(field);
  if (it == json.end()) return out;
  if (!it->is_array()) ThrowCorrupt(where + "." + field + ": expected an array");
  for (const Json& v : *it) {
    Json holder{{"v", v}};
    out.push_back(ReadNumber(holder, "v", where + "." + field));
  }
  return out;
}

std::string ReadText(const Json& json, const char* field, const std::string& where) {
  auto it = json.find(field);
  if (it == json.end() || !it->is_string()) ThrowCorrupt(where + "." + field + ": expected a string");
  return it->get<std::string>();
}

std::vector<std::string> ReadTexts(const Json& json, const char* field) {
  std::vector<std::string> out;
  if (auto it = json.find(field); it != json.end() && it->is_array())
    for (const Json& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Json FeatureToJson(const FeatureDrift& f) {
  Json json{{"feature", f.feature},
            {"type", f.column_type},
            {"kind", f.kind},
            {"role", f.role},
            {"method", f.method},
            {"reason", f.reason},
            {"statistic", Number(f.statistic)},
            {"p_value", Number(f.p_value)},
            {"threshold", Number(f.threshold)},
            {"drift", f.drift},
            {"psi", Number(f.psi)},
            {"psi_threshold", Number(f.psi_threshold)},
            {"psi_drift", f.psi_drift},
            {"bins",
             Json{{"edges", Numbers(f.bins.edges)},
                  {"labels", f.labels},
                  {"reference_shares", Numbers(f.bins.reference_shares)},
                  {"current_shares", Numbers(f.bins.current_shares)}}},
            {"reference_rows", f.reference_rows},
            {"current_rows", f.current_rows},
            {"reference_missing_rate", Number(f.reference_missing_rate)},
            {"current_missing_rate", Number(f.current_missing_rate)},
            {"new_category_rate", Number(f.new_category_rate)},
            {"new_categories", f.new_categories}};
  if (!f.note.empty()) json["note"] = f.note;
  return json;
}

FeatureDrift FeatureFromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) ThrowCorrupt(where + ": expected an object");
  FeatureDrift f;
  f.feature = ReadText(json, "feature", where);
  f.column_type = json.value("type", "");
  f.kind = json.value("kind", "");
  f.role = json.value("role", "feature");
  f.method = ReadText(json, "method", where);
  f.reason = json.value("reason", "");
  f.statistic = ReadNumber(json, "statistic", where);
  f.p_value = ReadNumber(json, "p_value", where);
  f.threshold = ReadNumber(json, "threshold", where);
  f.drift = json.value("drift", false);
  f.psi = ReadNumber(json, "psi", where);
  f.psi_threshold = ReadNumber(json, "psi_threshold", where);
  f.psi_drift = json.value("psi_drift", false);
  if (auto bins = json.find("bins"); bins != json.end() && bins->is_object()) {
    f.bins.edges = ReadNumbers(*bins, "edges", where + ".bins");
    f.labels = ReadTexts(*bins, "labels");
    f.bins.reference_shares = ReadNumbers(*bins, "reference_shares", where + ".bins");
    f.bins.current_shares = ReadNumbers(*bins, "current_shares", where + ".bins");
    if (f.bins.reference_shares.size() != f.bins.current_shares.size())
      ThrowCorrupt(where + ".bins: reference and current shares differ in length");
  }
  f.reference_rows = json.value("reference_rows", std::uint64_t{0});
  f.current_rows = json.value("current_rows", std::uint64_t{0});
  f.reference_missing_rate = ReadNumber(json, "reference_missing_rate", where);
  f.current_missing_rate = ReadNumber(json, "current_missing_rate", where);
  f.new_category_rate = ReadNumber(json, "new_category_rate", where);
  f.new_categories = ReadTexts(json, "new_categories");
  f.note = json.value("note", "");
  return f;
}

}  // namespace

const FeatureDrift* DriftReport::Find(std::string_view feature) const {
  for (const auto& f : features)
    if (f.feature == feature) return &f;
  return nullptr;
}

Json DriftReport::ToJson() const {
  Json features_json = Json::array();
  for (const auto& f : features) features_json.push_back(FeatureToJson(f));
  Json json{{"reference", reference_source},
            {"current", current_source},
            {"reference_rows", reference_rows},
            {"current_rows", current_rows},
            {"drift_share_threshold", Number(drift_share_threshold)},
            {"features_tested", features_tested},
            {"features_drifted", features_drifted},
            {"drift_share", Number(drift_share)},
            {"dataset_drift", dataset_drift},
            {"output_drift", output_drift},
            {"generated_at", generated_at},
            {"features", std::move(features_json)}};
  if (performance) {
    json["performance"] = Json{{"metric", performance->metric},       {"baseline", Number(performance->baseline)},
                               {"current", Number(performance->current)}, {"tolerance", Number(performance->tolerance)},
                               {"degraded", performance->degraded},   {"rows", performance->rows}};
  }
  return json;
}

DriftReport DriftReport::FromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) ThrowCorrupt(where + ": expected an object");
  DriftReport r;
  r.reference_source = json.value("reference", "");
  r.current_source = json.value("current", "");
  r.reference_rows = json.value("reference_rows", std::uint64_t{0});
  r.current_rows = json.value("current_rows", std::uint64_t{0});
  r.drift_share_threshold = ReadNumber(json, "drift_share_threshold", where);
  r.features_tested = json.value("features_tested", std::size_t{0});
  r.features_drifted = json.value("features_drifted", std::size_t{0});
  r.drift_share = ReadNumber(json, "drift_share", where);
  r.dataset_drift = json.value("dataset_drift", false);
  r.output_drift = json.value("output_drift", false);
  r.generated_at = json.value("generated_at", int64_t{0});
  auto features = json.find("features");
  if (features == json.end() || !features->is_array()) ThrowCorrupt(where + ".features: expected an array");
  for (std::size_t i = 0; i < features->size(); ++i)
    r.features.push_back(FeatureFromJson((*features)[i], where + ".features[" + std::to_string(i) + "]"));
  if (auto p = json.find("performance"); p != json.end() && p->is_object()) {
    PerformanceResult perf;
    perf.metric = ReadText(*p, "metric", where + ".performance");
    perf.baseline = ReadNumber(*p, "baseline", where + ".performance");
    perf.current = ReadNumber(*p, "current", where + ".performance");
    perf.tolerance = ReadNumber(*p, "tolerance", where + ".performance");
    perf.degraded = p->value("degraded", false);
    perf.rows = p->value("rows", std::uint64_t{0});
    r.performance = perf;
  }
  return r;
}

}  // namespace cairn::monitor
