#include "cairn/serve/ab_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "cairn/core/error.h"
#include "cairn/stats/comparison_tests.h"
#include "cairn/stats/distributions.h"

namespace cairn::serve {
namespace {

// Labels match when equal as JSON, or as numbers (1 and 1.0), or as text ("1" and 1).
bool SameLabel(const Json& a, const Json& b) {
  if (a == b) return true;
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  auto text = [](const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); };
  return text(a) == text(b);
}

}  // namespace

TwoProportionResult TwoProportionZTest(int64_t correct_a, int64_t rows_a, int64_t correct_b, int64_t rows_b) {
  TwoProportionResult result;
  if (rows_a <= 0 || rows_b <= 0) return result;
  const double pa = static_cast<double>(correct_a) / static_cast<double>(rows_a);
  const double pb = static_cast<double>(correct_b) / static_cast<double>(rows_b);
  result.difference = pb - pa;
  const double pooled = static_cast<double>(correct_a + correct_b) / static_cast<double>(rows_a + rows_b);
  const double variance = pooled * (1 - pooled) * (1.0 / static_cast<double>(rows_a) + 1.0 / static_cast<double>(rows_b));
  if (variance <= 0) return result;
  result.z = result.difference / std::sqrt(variance);
  result.p_value = std::min(1.0, 2.0 * stats::NormalSf(std::fabs(result.z)));
  return result;
}

AbReport BuildAbReport(store::PredictionLogStore& log, const std::string& model_name, double alpha) {
  const auto labelled = log.ListLabeledPredictions(model_name);
  if (labelled.empty()) {
    ThrowNotFound("no logged predictions of '" + model_name + "' have feedback yet; POST labels to /feedback");
  }
  AbReport report;
  report.model = model_name;
  std::map<std::string, VariantSummary> by_variant;
  // request id -> per-row correctness, for the paired comparison with the shadow.
  std::map<std::string, std::vector<int>> champion_rows, shadow_rows;
  for (const auto& prediction : labelled) {
    if (!prediction.predicted.is_array() || !prediction.truth.is_array() ||
        prediction.predicted.size() != prediction.truth.size()) {
      report.skipped_rows += prediction.truth.is_array() ? static_cast<int64_t>(prediction.truth.size()) : 1;
      continue;
    }
    VariantSummary& summary = by_variant[prediction.variant];
    summary.variant = prediction.variant;
    if (std::find(summary.versions.begin(), summary.versions.end(), prediction.model_version) == summary.versions.end()) {
      summary.versions.push_back(prediction.model_version);
    }
    ++summary.requests;
    std::vector<int> correct;
    for (size_t i = 0; i < prediction.truth.size(); ++i) {
      const int hit = SameLabel(prediction.predicted[i], prediction.truth[i]) ? 1 : 0;
      correct.push_back(hit);
      summary.correct += hit;
      ++summary.rows;
    }
    if (prediction.variant == "champion") champion_rows[prediction.request_id] = correct;
    if (prediction.variant == "shadow") shadow_rows[prediction.request_id] = std::move(correct);
  }
  for (const char* name : {"champion", "challenger", "shadow"}) {
    auto it = by_variant.find(name);
    if (it == by_variant.end()) continue;
    VariantSummary summary = it->second;
    std::sort(summary.versions.begin(), summary.versions.end());
    summary.accuracy = summary.rows > 0 ? static_cast<double>(summary.correct) / static_cast<double>(summary.rows) : 0.0;
    report.variants.push_back(std::move(summary));
  }
  auto find = [&](const std::string& name) -> const VariantSummary* {
    for (const auto& summary : report.variants) {
      if (summary.variant == name) return &summary;
    }
    return nullptr;
  };
  const VariantSummary* champion = find("champion");
  if (const VariantSummary* challenger = find("challenger"); champion && challenger) {
    const auto test = TwoProportionZTest(champion->correct, champion->rows, challenger->correct, challenger->rows);
    VariantComparison comparison;
    comparison.candidate = "challenger";
    comparison.test = "two_proportion_z";
    comparison.rows = champion->rows + challenger->rows;
    comparison.difference = test.difference;
    comparison.statistic = test.z;
    comparison.p_value = test.p_value;
    comparison.verdict = std::string(stats::VerdictName(stats::DecideVerdict(test.difference, test.p_value, alpha)));
    report.comparisons.push_back(comparison);
  }
  if (champion && find("shadow")) {
    int64_t only_champion = 0, only_shadow = 0, rows = 0;
    for (const auto& [id, shadow] : shadow_rows) {
      auto it = champion_rows.find(id);
      if (it == champion_rows.end() || it->second.size() != shadow.size()) continue;
      for (size_t i = 0; i < shadow.size(); ++i) {
        only_champion += it->second[i] && !shadow[i];
        only_shadow += !it->second[i] && shadow[i];
        ++rows;
      }
    }
    const auto test = stats::McNemarTest(only_champion, only_shadow);
    VariantComparison comparison;
    comparison.candidate = "shadow";
    comparison.test = "mcnemar";
    comparison.rows = rows;
    comparison.difference = rows > 0 ? static_cast<double>(only_shadow - only_champion) / static_cast<double>(rows) : 0.0;
    comparison.statistic = test.statistic;
    comparison.p_value = test.p_value;
    comparison.verdict =
        std::string(stats::VerdictName(stats::DecideVerdict(comparison.difference, test.p_value, alpha)));
    report.comparisons.push_back(comparison);
  }
  return report;
}

Json ToJson(const AbReport& report) {
  Json variants = Json::array();
  for (const auto& summary : report.variants) {
    variants.push_back(Json{{"variant", summary.variant},
                            {"versions", summary.versions},
                            {"requests", summary.requests},
                            {"rows", summary.rows},
                            {"correct", summary.correct},
                            {"accuracy", summary.accuracy}});
  }
  Json comparisons = Json::array();
  for (const auto& comparison : report.comparisons) {
    comparisons.push_back(Json{{"baseline", comparison.baseline},
                               {"candidate", comparison.candidate},
                               {"test", comparison.test},
                               {"rows", comparison.rows},
                               {"difference", comparison.difference},
                               {"statistic", comparison.statistic},
                               {"p_value", comparison.p_value},
                               {"verdict", comparison.verdict}});
  }
  return Json{{"model", report.model},
              {"variants", std::move(variants)},
              {"comparisons", std::move(comparisons)},
              {"skipped_rows", report.skipped_rows}};
}

}  // namespace cairn::serve
