// Shared helpers of the learn tests: a small synthetic table with every column
// kind and missing values, temporary folders, and ONNX Runtime as the reference engine.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/data/table.h"

namespace cairn::learn::testing {

// Columns: num_a (float, ~8% missing), num_b (integer), flag (boolean),
// color (categorical, ~5% missing), when (datetime, ~5% missing), and targets
// y_binary (integer 0/1), y_class (categorical a/b/c), y_value (float).
data::Table SyntheticTable(size_t rows, uint64_t seed);

std::filesystem::path MakeTempDir(const std::string& prefix);

// Graph inputs for `rows` of `table`, named per feature as the exported model
// declares them (`inputs` is Preprocessor::InputsJson()).
Json OrtInputs(const data::Table& table, std::span<const size_t> rows, const Json& inputs);

// A copy of `table` whose column "color" holds `value`, a category no other row has, at `row`.
data::Table WithUnknownColor(const data::Table& table, size_t row, const std::string& value);

// Runs the model in ONNX Runtime (tests/tools/ort/ort_run.js); the outputs as ort_run.js writes them.
Json RunOrt(const std::string& model_bytes, const Json& inputs, const std::filesystem::path& dir);

// Runs /usr/bin/python3 on `script` in `dir`; fails the test on a non-zero status.
std::string RunPython(const std::string& script, const std::filesystem::path& dir);

}  // namespace cairn::learn::testing
