// Preprocessing fitted on the training split (imputation, scaling, one-hot or
// ordinal categories, datetime parts): turns a data::Table into the model's
// float matrix and emits the same steps as ONNX nodes in front of the model.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"
#include "cairn/learn/feature_matrix.h"
#include "cairn/learn/onnx_graph.h"
#include "cairn/learn/train_config.h"

namespace cairn::learn {

// The parts a datetime column becomes, in this order.
inline constexpr const char* kDatetimeParts[] = {"year", "month", "day", "weekday", "dayofyear"};
inline constexpr size_t kDatetimePartCount = 5;

// Calendar parts of UTC microseconds since the epoch, computed with the same
// double operations as the exported graph (weekday 0 = Monday); NaN in, NaN out.
void DatetimeParts(double micros, double parts[kDatetimePartCount]);

// The matrix's columns: numeric features, then datetime parts (both imputed and
// scaled together as one block), then each categorical feature's columns.
class Preprocessor {
 public:
  // Fits on `rows` of `table` (the training split).
  static Preprocessor Fit(const data::Table& table, std::span<const size_t> rows, const FeatureLists& features,
                          const PreprocessingConfig& config);

  // Unknown categories become zeros (one-hot) or -1 (ordinal), or kInvalidInput
  // naming the column and value when handle_unknown is error. Missing
  // categories are encoded like unknown ones but never raise.
  FeatureMatrix Transform(const data::Table& table, std::span<const size_t> rows) const;

  // Graph inputs (one per feature: float for numeric, string for categorical,
  // double microseconds for datetime) and the nodes up to one [N, F] float
  // tensor, whose name is returned.
  std::string EmitOnnx(OnnxGraph& graph) const;

  // One name per matrix column ("income", "application_date.month", "region=north").
  const std::vector<std::string>& output_names() const { return output_names_; }
  size_t width() const { return output_names_.size(); }
  // Graph inputs in order: {"name", "kind": numeric|categorical|datetime, "type": float|string|double}.
  Json InputsJson() const;
  // The fitted statistics, for the run's record.
  Json ToJson() const;
  // {column: [categories seen in training, sorted]} over the categorical features.
  Json CategoriesJson() const;
  UnknownCategory handle_unknown() const { return config_.handle_unknown; }

 private:
  struct CategoricalEncoder {
    std::string column;
    std::vector<std::string> categories;  // sorted
  };

  PreprocessingConfig config_;
  std::vector<std::string> numeric_;
  std::vector<std::string> datetime_;
  std::vector<CategoricalEncoder> categorical_;
  // Per column of the numeric block (numeric features, then datetime parts).
  std::vector<float> impute_values_;
  std::vector<float> scale_offsets_;
  std::vector<float> scale_factors_;
  std::vector<std::string> output_names_;
};

}  // namespace cairn::learn
