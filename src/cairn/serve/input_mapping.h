// From a parsed request to a model's named inputs, and back from those inputs
// to named feature columns for the prediction log. Two kinds of model meet
// requests: one input per feature column ([N] or [N, 1], as cairn's trainers
// emit) and one matrix input [N, F] whose columns are named by the model's
// `cairn.feature_order` metadata or else taken by position.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cairn/runtime/known_categories.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/value.h"
#include "cairn/serve/request_body.h"

namespace cairn::serve {

struct InputSpec {
  std::string name;
  runtime::DataType dtype = runtime::DataType::kFloat32;
  bool has_shape = false;
  std::vector<std::optional<int64_t>> dims;  // nullopt for symbolic or unknown
};

struct ModelSignature {
  std::vector<InputSpec> inputs;
  // Every input holds one feature column, [N] or [N, 1].
  bool column_inputs = false;
  // For a single matrix input: its column names (empty when unknown).
  std::vector<std::string> feature_order;
  // For a single matrix input: its fixed column count, when declared.
  std::optional<int64_t> matrix_columns;
  // The categories a model trained with handle_unknown: error accepts.
  runtime::KnownCategories categories;

  static ModelSignature FromModel(const runtime::Model& model);
};

struct MappedInputs {
  std::map<std::string, runtime::Value> values;
  int64_t rows = 0;
};

// kInvalidInput naming the column, input or row for a missing or unknown
// feature, a wrong count, shape or type, or a category the model refuses.
MappedInputs MapInputs(const ModelSignature& signature, const RequestBody& body);

// One feature column inside the model's inputs: column `column` of the 2-D
// view [rows, width] of `input`.
struct FeatureColumnRef {
  std::string name;
  std::string input;
  int64_t column = 0;
  int64_t width = 1;
};
std::vector<FeatureColumnRef> FeatureColumns(const ModelSignature& signature,
                                             const std::map<std::string, runtime::Value>& inputs);

// KServe V2 type names: FP32, FP64, INT64, BOOL, BYTES, ...
std::string_view KserveDatatype(runtime::DataType type);

}  // namespace cairn::serve
