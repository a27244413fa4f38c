// Reading prediction requests off the wire: MLflow's scoring JSON (exactly
// one of dataframe_split, dataframe_records, instances, inputs), CSV bodies,
// and KServe V2 infer requests. Errors are kInvalidInput naming the field.
#pragma once

#include <string_view>

#include "cairn/serve/request_body.h"

namespace cairn::serve {

// `key_field` names the top-level member that carries the routing key.
RequestBody ParseMlflowJson(std::string_view body, std::string_view key_field);
// A header line of column names, then one row per line.
RequestBody ParseCsvBody(std::string_view body);
// KServe V2: {"id", "inputs": [{"name", "shape", "datatype", "data"}], "outputs",
// "parameters"}. The routing key is parameters[key_field].
RequestBody ParseKserveInfer(std::string_view body, std::string_view key_field);

}  // namespace cairn::serve
