#include "cairn/runtime/backend_test.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/session.h"
#include "cairn/runtime/tensor_io.h"

namespace cairn::runtime {
namespace {

namespace fs = std::filesystem;

// Reads name_0.pb, name_1.pb, ... until one is missing.
std::vector<Tensor> ReadNumbered(const fs::path& directory, const std::string& prefix) {
  std::vector<Tensor> tensors;
  for (int i = 0;; ++i) {
    fs::path path = directory / (prefix + "_" + std::to_string(i) + ".pb");
    if (!fs::exists(path)) break;
    tensors.push_back(ReadTensorFile(path.string()));
  }
  return tensors;
}

// Compares one output; returns "" when it matches, else why not. Updates the
// worst absolute difference seen on float outputs.
std::string Compare(const std::string& name, const Tensor& expected, const Value& actual_value,
                    const BackendTolerance& tolerance, double& max_diff) {
  if (!actual_value.is_tensor()) return "output '" + name + "' is " + actual_value.Describe() + ", not a tensor";
  const Tensor& actual = actual_value.tensor();
  if (actual.dtype() != expected.dtype() || actual.shape() != expected.shape()) {
    return "output '" + name + "' is " + actual.Describe() + ", expected " + expected.Describe();
  }
  if (expected.dtype() == DataType::kString) {
    auto e = expected.values<std::string>();
    auto a = actual.values<std::string>();
    for (size_t i = 0; i < e.size(); ++i) {
      if (e[i] != a[i]) return "output '" + name + "'[" + std::to_string(i) + "] is '" + a[i] + "', expected '" + e[i] + "'";
    }
    return "";
  }
  bool exact = !IsFloatingType(expected.dtype());
  std::string first_mismatch;
  for (int64_t i = 0; i < expected.size(); ++i) {
    double e = expected.ValueAsDouble(i);
    double a = actual.ValueAsDouble(i);
    if (std::isnan(e) || std::isnan(a)) {
      if (std::isnan(e) != std::isnan(a) && first_mismatch.empty()) {
        first_mismatch = "output '" + name + "'[" + std::to_string(i) + "] is " + FormatDouble(a) + ", expected " +
                         FormatDouble(e);
      }
      continue;
    }
    if (e == a) continue;  // equal infinities included
    double diff = std::fabs(e - a);
    if (!exact) max_diff = std::max(max_diff, std::isfinite(diff) ? diff : INFINITY);
    bool ok = !exact && diff <= tolerance.atol + tolerance.rtol * std::fabs(e);
    if (!ok && first_mismatch.empty()) {
      first_mismatch = "output '" + name + "'[" + std::to_string(i) + "] is " + FormatDouble(a) + ", expected " +
                       FormatDouble(e);
    }
  }
  return first_mismatch;
}

}  // namespace

std::string_view BackendTestStatusName(BackendTestStatus status) {
  switch (status) {
    case BackendTestStatus::kPassed: return "passed";
    case BackendTestStatus::kFailed: return "failed";
    case BackendTestStatus::kUnsupported: return "unsupported";
  }
  return "failed";
}

BackendTestResult RunBackendTest(const std::string& directory, const BackendTolerance& tolerance) {
  BackendTestResult result;
  fs::path dir(directory);
  result.name = dir.filename().string();
  if (result.name.empty()) result.name = dir.parent_path().filename().string();
  auto fail = [&](BackendTestStatus status, const std::string& reason) {
    result.status = status;
    result.reason = reason;
    return result;
  };
  try {
    Model model = LoadModel((dir / "model.onnx").string());
    const OpRegistry& registry = DefaultRegistry();
    for (const auto& node : model.graph.nodes) {
      int64_t opset = model.OpsetFor(node.domain);
      if (registry.Find(node.domain, node.op_type, opset) == nullptr) {
        std::string op = DomainDisplayName(node.domain) + "." + node.op_type + " (opset " + std::to_string(opset) + ")";
        if (std::find(result.unsupported_ops.begin(), result.unsupported_ops.end(), op) == result.unsupported_ops.end()) {
          result.unsupported_ops.push_back(op);
        }
      }
    }
    if (!result.unsupported_ops.empty()) {
      return fail(BackendTestStatus::kUnsupported, "unsupported op " + Join(result.unsupported_ops, ", "));
    }
    Session session = Session::FromModel(std::move(model));

    std::vector<fs::path> data_dirs;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_directory() && StartsWith(entry.path().filename().string(), "test_data_set_")) {
        data_dirs.push_back(entry.path());
      }
    }
    std::sort(data_dirs.begin(), data_dirs.end());
    if (data_dirs.empty()) return fail(BackendTestStatus::kFailed, "no test_data_set_N directories");

    bool all_passed = true;
    for (const auto& data_dir : data_dirs) {
      DataSetResult data_set;
      data_set.name = data_dir.filename().string();
      std::vector<Tensor> inputs = ReadNumbered(data_dir, "input");
      std::vector<Tensor> expected = ReadNumbered(data_dir, "output");
      const auto& outputs_info = session.outputs();
      try {
        if (expected.size() != outputs_info.size()) {
          ThrowInvalidInput(std::to_string(expected.size()) + " expected outputs for " +
                            std::to_string(outputs_info.size()) + " graph outputs");
        }
        std::vector<Value> values(inputs.begin(), inputs.end());
        std::vector<Value> actual = session.RunOrdered(std::move(values));
        for (size_t i = 0; i < expected.size() && data_set.message.empty(); ++i) {
          data_set.message = Compare(outputs_info[i].name, expected[i], actual[i], tolerance, data_set.max_abs_diff);
        }
      } catch (const Error& e) {
        data_set.message = e.what();
      }
      data_set.passed = data_set.message.empty();
      all_passed = all_passed && data_set.passed;
      result.max_abs_diff = std::max(result.max_abs_diff, data_set.max_abs_diff);
      if (!data_set.passed && result.reason.empty()) result.reason = data_set.name + ": " + data_set.message;
      result.data_sets.push_back(std::move(data_set));
    }
    result.status = all_passed ? BackendTestStatus::kPassed : BackendTestStatus::kFailed;
    return result;
  } catch (const Error& e) {
    // A type cairn deliberately cannot hold (float16, ...) is unsupported, not a failure.
    return fail(e.code() == ErrorCode::kUnsupported ? BackendTestStatus::kUnsupported : BackendTestStatus::kFailed,
                e.what());
  } catch (const std::exception& e) {
    return fail(BackendTestStatus::kFailed, e.what());
  }
}

}  // namespace cairn::runtime
