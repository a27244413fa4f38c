#include "cairn/eval/model_comparison.h"

#include <cmath>
#include <functional>

#include "cairn/core/error.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/metric_suite.h"

namespace cairn::eval {

namespace {

// The metrics compared, in report order.
std::vector<std::string> ComparedMetrics(ModelTask task) {
  if (task == ModelTask::kRegression) return {"rmse", "mae", "r2"};
  if (task == ModelTask::kBinary) return {"roc_auc", "accuracy", "f1_macro", "log_loss", "brier", "pr_auc"};
  return {"accuracy", "roc_auc", "f1_macro", "log_loss", "brier"};
}

std::string PrimaryMetric(ModelTask task) {
  if (task == ModelTask::kRegression) return "rmse";
  return task == ModelTask::kBinary ? "roc_auc" : "accuracy";
}

// The metric on a subset of rows (a bootstrap resample), through the same suite
// every evaluation uses so that definitions never drift apart.
double MetricOnRows(const std::string& metric, const PredictionSet& p, const TargetValues& t,
                    std::span<const size_t> rows) {
  if (p.task == ModelTask::kRegression) {
    std::vector<double> y, f;
    for (size_t r : rows) {
      y.push_back(t.values[r]);
      f.push_back(p.values[r]);
    }
    return stats::RegressionSuite(y, f).values.at(metric);
  }
  const size_t k = p.num_classes();
  std::vector<int> y;
  std::vector<double> probabilities;
  y.reserve(rows.size());
  probabilities.reserve(rows.size() * k);
  for (size_t r : rows) {
    y.push_back(t.classes[r]);
    probabilities.insert(probabilities.end(), p.probabilities.begin() + static_cast<std::ptrdiff_t>(r * k),
                         p.probabilities.begin() + static_cast<std::ptrdiff_t>((r + 1) * k));
  }
  auto suite = stats::ClassificationSuite(y, probabilities, k, p.class_names);
  auto it = suite.values.find(metric);
  return it == suite.values.end() ? std::nan("") : it->second;
}

std::vector<int> PredictedClasses(const PredictionSet& p) {
  return stats::ArgMaxLabels(p.probabilities, p.num_classes());
}

std::vector<double> PositiveScores(const PredictionSet& p) {
  std::vector<double> s(p.rows);
  for (size_t r = 0; r < p.rows; ++r) s[r] = p.probabilities[r * 2 + 1];
  return s;
}

}  // namespace

const MetricComparison& ModelComparison::primary() const {
  for (const auto& m : metrics) {
    if (m.metric == primary_metric) return m;
  }
  ThrowNotFound("comparison has no '" + primary_metric + "' metric");
}

ModelComparison CompareLoaded(const ScoringModel& a, const ScoringModel& b, const EvaluationData& data,
                              const ComparisonOptions& options) {
  if (a.signature().task != b.signature().task) {
    ThrowInvalidInput(a.label() + " is a " + std::string(ModelTaskName(a.signature().task)) + " model and " +
                      b.label() + " a " + std::string(ModelTaskName(b.signature().task)) + " one; they cannot be compared");
  }
  if (a.signature().class_names != b.signature().class_names) {
    ThrowInvalidInput(a.label() + " and " + b.label() + " predict different classes; they cannot be compared");
  }
  std::string target = options.target.empty() ? TargetColumn(a, "") : options.target;
  PredictionSet pa, pb;
  TargetValues truth, truth_b;
  EvaluationResult ea = EvaluateLoaded(a, data, target, &pa, &truth);
  EvaluationResult eb = EvaluateLoaded(b, data, target, &pb, &truth_b);

  ModelComparison comparison;
  comparison.model_a = a.label();
  comparison.model_b = b.label();
  comparison.data = data.label;
  comparison.task = pa.task;
  comparison.rows = pa.rows;
  comparison.primary_metric = PrimaryMetric(pa.task);

  for (const auto& metric : ComparedMetrics(pa.task)) {
    auto ia = ea.metrics.values.find(metric), ib = eb.metrics.values.find(metric);
    if (ia == ea.metrics.values.end() || ib == eb.metrics.values.end()) continue;
    MetricComparison m;
    m.metric = metric;
    m.a = ia->second;
    m.b = ib->second;
    m.difference = m.b - m.a;
    if (metric == "accuracy") {
      auto result = stats::McNemarTest(truth.classes, PredictedClasses(pa), PredictedClasses(pb));
      m.test = "mcnemar";
      m.p_value = result.p_value;
      m.low = m.high = m.difference;
    } else if (metric == "roc_auc" && pa.task == ModelTask::kBinary) {
      auto result = stats::DeLongTest(truth.classes, PositiveScores(pa), PositiveScores(pb));
      m.test = "delong";
      m.p_value = result.p_value;
      m.low = m.high = m.difference;
    } else {
      stats::BootstrapOptions bootstrap{options.resamples, options.seed, 0.95};
      auto result = stats::PairedBootstrap(
          pa.rows,
          [&](std::span<const size_t> rows) {
            return MetricOnRows(metric, pb, truth, rows) - MetricOnRows(metric, pa, truth, rows);
          },
          bootstrap);
      m.test = "bootstrap";
      m.p_value = result.p_value;
      m.low = result.low;
      m.high = result.high;
    }
    double oriented = stats::HigherIsBetter(metric) ? m.difference : -m.difference;
    m.verdict = stats::DecideVerdict(oriented, m.p_value);
    comparison.metrics.push_back(m);
  }
  comparison.verdict = comparison.primary().verdict;
  return comparison;
}

ModelComparison CompareModels(artifacts::Workspace& workspace, const std::string& ref_a, const std::string& ref_b,
                              const std::string& data_ref, const ComparisonOptions& options) {
  ScoringModel a = ScoringModel::Open(workspace, ref_a);
  ScoringModel b = ScoringModel::Open(workspace, ref_b);
  EvaluationData data = LoadEvaluationData(workspace, data_ref);
  return CompareLoaded(a, b, data, options);
}

Json ToJson(const ModelComparison& comparison) {
  Json metrics = Json::array();
  auto finite = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  for (const auto& m : comparison.metrics) {
    metrics.push_back({{"metric", m.metric},
                       {"a", finite(m.a)},
                       {"b", finite(m.b)},
                       {"difference", finite(m.difference)},
                       {"test", m.test},
                       {"p_value", finite(m.p_value)},
                       {"interval", {finite(m.low), finite(m.high)}},
                       {"verdict", stats::VerdictName(m.verdict)}});
  }
  return Json{{"a", comparison.model_a},
              {"b", comparison.model_b},
              {"data", comparison.data},
              {"task", ModelTaskName(comparison.task)},
              {"rows", comparison.rows},
              {"primary_metric", comparison.primary_metric},
              {"verdict", stats::VerdictName(comparison.verdict)},
              {"metrics", metrics}};
}

}  // namespace cairn::eval
