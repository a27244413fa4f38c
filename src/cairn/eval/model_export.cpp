#include "cairn/eval/model_export.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/sha256.h"
#include "cairn/core/text.h"
#include "cairn/eval/evaluation.h"
#include "cairn/eval/prediction_set.h"
#include "cairn/eval/run_holdout.h"
#include "cairn/store/sql/connection.h"
#include "cairn/store/store.h"

namespace cairn::eval {

namespace quantize = runtime::quantize;

std::string_view ExportQuantizationName(ExportQuantization quantization) {
  switch (quantization) {
    case ExportQuantization::kInt8: return "int8";
  }
  return "int8";
}

ExportQuantization ParseExportQuantization(std::string_view text) {
  if (text == ExportQuantizationName(ExportQuantization::kInt8)) return ExportQuantization::kInt8;
  ThrowInvalidInput("--quantize: unknown value '" + std::string(text) + "'; the accepted value is int8");
}

namespace {

std::filesystem::path DefaultOutput(const store::ModelVersion& version, std::string_view suffix) {
  return version.name + "-v" + std::to_string(version.version) + std::string(suffix) + ".onnx";
}

// What the comparison table shows: the deciding metric of each task, plus
// ROC AUC for binary models, whose ranking quantization can shift.
std::vector<std::string> ComparedMetrics(ModelTask task) {
  switch (task) {
    case ModelTask::kBinary: return {"accuracy", "roc_auc"};
    case ModelTask::kMulticlass: return {"accuracy"};
    case ModelTask::kRegression: return {"rmse"};
  }
  return {};
}

[[noreturn]] void ThrowNothingToQuantize(const std::string& label, const quantize::QuantizeResult& summary) {
  std::set<std::string> ops;
  int products = 0;
  for (const auto& node : summary.quantized.graph.nodes) {
    ops.insert(node.op_type);
    products += node.op_type == "MatMul" || node.op_type == "Gemm";
  }
  if (products == 0) {
    ThrowUnsupported("nothing to quantize: " + label + " has no MatMul or Gemm node (its ops: " +
                     Join(std::vector<std::string>(ops.begin(), ops.end()), ", ") +
                     "); int8 export rewrites only those");
  }
  ThrowUnsupported("nothing to quantize: every MatMul and Gemm node of " + label +
                   " stays float: " + Join(summary.skipped, "; "));
}

// Largest absolute difference between two models' outputs on the same rows; a
// value that is NaN in one model only counts as an infinite difference.
double MaxAbsDifference(const PredictionSet& a, const PredictionSet& b) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const auto& x = a.task == ModelTask::kRegression ? a.values : a.probabilities;
  const auto& y = b.task == ModelTask::kRegression ? b.values : b.probabilities;
  if (x.size() != y.size()) return kInfinity;
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) && std::isnan(y[i])) continue;
    const double difference = std::isnan(x[i]) || std::isnan(y[i]) ? kInfinity : std::fabs(x[i] - y[i]);
    worst = std::max(worst, difference);
  }
  return worst;
}

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(FormatDouble(value)); }

double Ratio(size_t before, size_t after) {
  return after == 0 ? 0.0 : static_cast<double>(before) / static_cast<double>(after);
}

// The report without the registration: what the new version's metadata keeps.
Json ReportJson(const QuantizationReport& report) {
  const std::string name(ExportQuantizationName(report.quantization));
  Json metrics = Json::array();
  for (const auto& change : report.metrics) {
    metrics.push_back({{"metric", change.metric},
                       {"float", Number(change.before)},
                       {name, Number(change.after)},
                       {"delta", Number(change.delta())}});
  }
  return {{"quantization", name},
          {"format", quantize::QuantizeFormatName(report.format)},
          {"bytes_before", report.bytes_before},
          {"bytes_after", report.bytes_after},
          {"size_ratio", Ratio(report.bytes_before, report.bytes_after)},
          {"weight_bytes_before", report.weight_bytes_before},
          {"weight_bytes_after", report.weight_bytes_after},
          {"weight_ratio", Ratio(report.weight_bytes_before, report.weight_bytes_after)},
          {"nodes_quantized", report.nodes_quantized},
          {"skipped", report.skipped},
          {"holdout", report.holdout},
          {"rows", report.rows},
          {"task", ModelTaskName(report.task)},
          {"metrics", metrics},
          {"max_abs_diff", Number(report.max_abs_diff)}};
}

// Scores both models on the holdout; fills the holdout, metric and difference fields.
EvaluationResult CompareOnHoldout(const ScoringModel& float_model, const ScoringModel& quantized_model,
                                  const EvaluationData& holdout, const std::string& target, QuantizationReport& report) {
  PredictionSet float_predictions, quantized_predictions;
  const EvaluationResult before = EvaluateLoaded(float_model, holdout, target, &float_predictions);
  EvaluationResult after = EvaluateLoaded(quantized_model, holdout, target, &quantized_predictions);
  report.holdout = holdout.label;
  report.rows = after.rows;
  report.task = after.task;
  for (const auto& metric : ComparedMetrics(after.task)) {
    const auto b = before.metrics.values.find(metric);
    const auto a = after.metrics.values.find(metric);
    if (b == before.metrics.values.end() || a == after.metrics.values.end()) continue;
    report.metrics.push_back({metric, b->second, a->second});
  }
  report.max_abs_diff = MaxAbsDifference(float_predictions, quantized_predictions);
  return after;
}

}  // namespace

ExportResult ExportRegisteredModel(artifacts::Workspace& workspace, const std::string& ref,
                                   const ExportOptions& options) {
  if (!options.quantization && (options.format || !options.data.empty() || !options.target.empty())) {
    ThrowInvalidInput("export " + ref + ": --format, --data and --target apply only with --quantize int8");
  }
  store::ModelRegistry& registry = workspace.store().models();
  const store::ModelVersion version = registry.Resolve(ref);
  const std::string label = store::FormatModelRef(version.name, version.version);
  const std::string bytes = workspace.artifacts().Get(version.blob_hash);
  ExportResult result;
  result.model = label;

  if (!options.quantization) {
    result.output = (options.output.empty() ? DefaultOutput(version, "") : options.output).string();
    WriteFileAtomic(result.output, bytes);
    result.bytes = bytes.size();
    result.sha256 = version.blob_hash;
    return result;
  }

  // Everything that can fail is done before the file or the registry changes.
  const std::string name(ExportQuantizationName(*options.quantization));
  QuantizationReport report;
  report.quantization = *options.quantization;
  report.format = options.format.value_or(quantize::QuantizeFormat::kMatMulInteger);
  quantize::QuantizeOptions pass;
  pass.format = report.format;
  const quantize::QuantizedBytes quantized = quantize::QuantizeModelBytes(bytes, pass, label);
  if (quantized.summary.nodes_quantized == 0) ThrowNothingToQuantize(label, quantized.summary);
  report.bytes_before = bytes.size();
  report.bytes_after = quantized.bytes.size();
  report.weight_bytes_before = quantized.summary.weight_bytes_before;
  report.weight_bytes_after = quantized.summary.weight_bytes_after;
  report.nodes_quantized = quantized.summary.nodes_quantized;
  report.skipped = quantized.summary.skipped;

  const ScoringModel float_model = ScoringModel::FromBytes(bytes, label);
  const ScoringModel quantized_model = ScoringModel::FromBytes(quantized.bytes, label + " (" + name + ")");
  const EvaluationData holdout =
      options.data.empty() ? LoadRunHoldout(workspace, version) : LoadEvaluationData(workspace, options.data);
  const EvaluationResult evaluation = CompareOnHoldout(float_model, quantized_model, holdout, options.target, report);

  result.output = (options.output.empty() ? DefaultOutput(version, "-" + name) : options.output).string();
  WriteFileAtomic(result.output, quantized.bytes);
  result.bytes = quantized.bytes.size();

  const artifacts::BlobRef blob = workspace.artifacts().Put(quantized.bytes);
  result.sha256 = blob.hash;
  store::NewModelVersion spec;
  spec.name = version.name;
  spec.blob_hash = blob.hash;
  spec.size = static_cast<int64_t>(blob.size);
  spec.source = store::ModelSource::kDerived;
  spec.parent_version = version.version;
  spec.metadata = DescribeModel(quantized_model.session());
  spec.metadata["quantized_from"] = label;
  spec.metadata["quantization"] = name;
  spec.metadata["quantization_format"] = quantize::QuantizeFormatName(report.format);
  spec.metadata["quantization_report"] = ReportJson(report);

  // The version and its evaluation are one change: both or neither.
  sql::Transaction transaction(workspace.store().connection());
  const store::CreatedModelVersion created = registry.CreateVersion(spec);
  report.registered = created.version;
  report.created = created.created;
  if (created.created && holdout.dataset_name) {
    store::NewEvaluation recorded;
    recorded.model_name = created.version.name;
    recorded.model_version = created.version.version;
    recorded.dataset_name = *holdout.dataset_name;
    recorded.dataset_version = *holdout.dataset_version;
    recorded.metrics = evaluation.metrics.ToJson();
    registry.RecordEvaluation(recorded);
    report.evaluation_recorded = true;
  }
  transaction.Commit();
  result.quantization = std::move(report);
  return result;
}

Json ToJson(const ExportResult& result) {
  Json json{{"model", result.model}, {"output", result.output}, {"bytes", result.bytes}, {"sha256", result.sha256}};
  if (!result.quantization) {
    json["quantization"] = nullptr;
    return json;
  }
  const QuantizationReport& report = *result.quantization;
  Json quantization = ReportJson(report);
  quantization["registered"] = {{"name", report.registered.name},
                                {"version", report.registered.version},
                                {"ref", store::FormatModelRef(report.registered.name, report.registered.version)},
                                {"derived_from", result.model},
                                {"blob_hash", report.registered.blob_hash}};
  quantization["created"] = report.created;
  quantization["evaluation_recorded"] = report.evaluation_recorded;
  json["quantization"] = std::move(quantization);
  return json;
}

}  // namespace cairn::eval
