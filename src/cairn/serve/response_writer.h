// Writing prediction outputs as JSON text on the hot path: MLflow's
// {"predictions": ...} and KServe V2's infer response. Numbers print in
// their shortest exact form; NaN and infinities become null.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/runtime/model.h"
#include "cairn/runtime/value.h"

namespace cairn::serve {

// One output: its rows as a list ([N, 1] squeezed to N scalars, ZipMap rows
// as objects). Several outputs: an object keyed by output name. `outputs[i]`
// is the output `declared[i]`. Appends to `out`, so that a connection can
// reuse one buffer for every answer.
void AppendMlflowPredictions(std::string& out, std::span<const runtime::Value> outputs,
                             const std::vector<runtime::ValueInfo>& declared);
// The same from outputs by name, written in the order of `order` (the model's
// declared outputs).
std::string MlflowPredictions(const std::map<std::string, runtime::Value>& outputs,
                              const std::vector<runtime::ValueInfo>& order);

// Every output keyed by name, rows as in MlflowPredictions: for the log.
std::string OutputsJson(std::span<const runtime::Value> outputs, const std::vector<runtime::ValueInfo>& declared);

struct KserveResponseInfo {
  std::string_view model_name;
  std::string_view model_version;
  std::string_view id;
};
void AppendKserveInferResponse(std::string& out, const KserveResponseInfo& info,
                               std::span<const runtime::Value> outputs, const std::vector<runtime::ValueInfo>& declared);
std::string KserveInferResponse(const KserveResponseInfo& info, const std::map<std::string, runtime::Value>& outputs,
                                const std::vector<runtime::ValueInfo>& order);

// Appends `text` to `out` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view text);
// Appends element `index` of `tensor` as a JSON scalar.
void AppendJsonElement(std::string& out, const runtime::Tensor& tensor, int64_t index);

}  // namespace cairn::serve
