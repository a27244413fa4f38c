// A prediction request as parsed from any wire format, before it meets a
// model: either a data frame (named columns of scalars, from MLflow's
// dataframe formats, records and CSV) or raw tensors (MLflow's `inputs` and
// `instances` arrays, KServe V2 inputs), with the optional routing key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/runtime/tensor.h"

namespace cairn::serve {

// One column of a frame. Numbers and booleans go to `numbers`; a column that
// holds any string keeps every cell as text in `strings`, numbers included.
struct FrameColumn {
  std::string name;
  bool is_text = false;
  std::vector<double> numbers;
  std::vector<std::string> strings;
  std::vector<uint8_t> missing;  // 1 for null

  size_t size() const { return missing.size(); }
  void AppendNumber(double value);
  void AppendText(std::string text);
  void AppendMissing();
};

struct Frame {
  std::vector<FrameColumn> columns;
  int64_t rows = 0;
};

// A nested JSON array flattened row-major, with the shape it had.
struct RawTensor {
  std::string name;  // "" when the request did not name it
  runtime::Shape shape;
  bool is_text = false;
  std::vector<double> numbers;
  std::vector<std::string> strings;
  std::string datatype;  // KServe's declared type ("FP32"), "" when not given

  int64_t size() const { return is_text ? static_cast<int64_t>(strings.size()) : static_cast<int64_t>(numbers.size()); }
};

enum class BodyKind { kFrame, kTensors };

struct RequestBody {
  BodyKind kind = BodyKind::kFrame;
  Frame frame;
  std::vector<RawTensor> tensors;
  std::string request_key;  // from the body's key field; "" when absent
  std::string client_id;    // KServe's "id", echoed back
};

// Formats a number the shortest way that reads back to the same double.
std::string FormatNumber(double value);

}  // namespace cairn::serve
