// Runs a directory in the layout of ONNX's backend tests (model.onnx plus
// test_data_set_N/input_K.pb and output_K.pb) and compares cairn's outputs
// with the expected ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::runtime {

enum class BackendTestStatus { kPassed, kFailed, kUnsupported };
std::string_view BackendTestStatusName(BackendTestStatus status);  // "passed", ...

struct BackendTolerance {
  // ONNX's own defaults for float outputs; integers, bools and strings are exact.
  double rtol = 1e-3;
  double atol = 1e-7;
};

struct DataSetResult {
  std::string name;  // "test_data_set_0"
  bool passed = false;
  double max_abs_diff = 0;
  std::string message;  // why it failed
};

struct BackendTestResult {
  std::string name;  // the directory's base name
  BackendTestStatus status = BackendTestStatus::kFailed;
  std::string reason;  // for failed and unsupported
  double max_abs_diff = 0;
  std::vector<DataSetResult> data_sets;
  std::vector<std::string> unsupported_ops;  // "ai.onnx.Foo (opset 13)"
};

// Never throws for problems with the directory's contents: they become a
// failed or unsupported result.
BackendTestResult RunBackendTest(const std::string& directory, const BackendTolerance& tolerance = {});

}  // namespace cairn::runtime
