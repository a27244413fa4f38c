// `cairn models export`: a registered model's ONNX file, either as registered
// or quantized to int8. A quantized copy is run by cairn on the model's holdout
// beside the float one, and registered, with that comparison, as a new version
// derived from it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"
#include "cairn/eval/scoring_model.h"
#include "cairn/runtime/quantize/quantize_model.h"
#include "cairn/store/model.h"

namespace cairn::eval {

enum class ExportQuantization { kInt8 };

std::string_view ExportQuantizationName(ExportQuantization quantization);  // "int8"
// Inverse of ExportQuantizationName; kInvalidInput naming the accepted values.
ExportQuantization ParseExportQuantization(std::string_view text);

struct ExportOptions {
  // Empty: NAME-vN.onnx in the current directory, NAME-vN-int8.onnx when quantized.
  std::filesystem::path output;
  std::optional<ExportQuantization> quantization;
  // The rest apply only with a quantization (kInvalidInput otherwise).
  std::optional<runtime::quantize::QuantizeFormat> format;  // matmul-integer when absent
  // Holdout for the float/int8 comparison: a dataset reference or a file. Empty:
  // the test split of the run that trained the model (run_holdout.h).
  std::string data;
  std::string target;  // the target column, when not the model's own
};

// One metric on the holdout, float model against quantized.
struct MetricChange {
  std::string metric;
  double before = 0.0;
  double after = 0.0;
  double delta() const { return after - before; }
};

struct QuantizationReport {
  ExportQuantization quantization = ExportQuantization::kInt8;
  runtime::quantize::QuantizeFormat format = runtime::quantize::QuantizeFormat::kMatMulInteger;
  size_t bytes_before = 0;  // the registered file
  size_t bytes_after = 0;   // the exported file
  size_t weight_bytes_before = 0;
  size_t weight_bytes_after = 0;
  int nodes_quantized = 0;
  std::vector<std::string> skipped;  // MatMul/Gemm nodes kept in float, with the reason
  std::string holdout;               // "credit@1 test split of run 1a2b3c4d" or the --data label
  size_t rows = 0;
  ModelTask task = ModelTask::kRegression;
  // accuracy (plus roc_auc for binary tasks) or rmse.
  std::vector<MetricChange> metrics;
  // Largest difference between the two models' probabilities (or values) on the holdout.
  double max_abs_diff = 0.0;
  store::ModelVersion registered;
  bool created = false;              // false when that version already held these bytes
  bool evaluation_recorded = false;  // only on a dataset version, for a new version
};

struct ExportResult {
  std::string model;   // "credit-risk@3", the version exported
  std::string output;  // the file written
  size_t bytes = 0;
  std::string sha256;
  std::optional<QuantizationReport> quantization;
};

// kNotFound for an unknown model; kUnsupported, before anything is written,
// when quantization finds no MatMul or Gemm to rewrite; the file is written
// before the registry changes, which happen in one transaction.
ExportResult ExportRegisteredModel(artifacts::Workspace& workspace, const std::string& ref,
                                   const ExportOptions& options = {});

Json ToJson(const ExportResult& result);

}  // namespace cairn::eval
