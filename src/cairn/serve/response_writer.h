// Writing prediction outputs as JSON text on the hot path: MLflow's
// {"predictions": ...} and KServe V2's infer response. Numbers print in
// their shortest exact form; NaN and infinities become null.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/runtime/model.h"
#include "cairn/runtime/value.h"

namespace cairn::serve {

// One output: its rows as a list ([N, 1] squeezed to N scalars, ZipMap rows
// as objects). Several outputs: an object keyed by output name. Outputs are
// written in the order of `order` (the model's declared outputs).
std::string MlflowPredictions(const std::map<std::string, runtime::Value>& outputs,
                              const std::vector<runtime::ValueInfo>& order);

// Every output keyed by name, rows as in MlflowPredictions: for the log.
std::string OutputsJson(const std::map<std::string, runtime::Value>& outputs,
                        const std::vector<runtime::ValueInfo>& order);

struct KserveResponseInfo {
  std::string_view model_name;
  std::string_view model_version;
  std::string_view id;
};
std::string KserveInferResponse(const KserveResponseInfo& info, const std::map<std::string, runtime::Value>& outputs,
                                const std::vector<runtime::ValueInfo>& order);

// Appends `text` to `out` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view text);
// Appends element `index` of `tensor` as a JSON scalar.
void AppendJsonElement(std::string& out, const runtime::Tensor& tensor, int64_t index);

}  // namespace cairn::serve
