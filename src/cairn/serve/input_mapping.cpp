#include "cairn/serve/input_mapping.h"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/json.h"

namespace cairn::serve {
namespace {

using runtime::DataType;
using runtime::Shape;
using runtime::Tensor;

std::string InputList(const ModelSignature& signature) {
  std::string out;
  for (size_t i = 0; i < signature.inputs.size(); ++i) {
    if (i == 8) return out + ", ... (" + std::to_string(signature.inputs.size()) + " in all)";
    out += (i ? ", " : "") + signature.inputs[i].name;
  }
  return out;
}

template <typename T>
void FillIntegers(Tensor& tensor, const std::vector<double>& values, const std::string& what) {
  T* out = tensor.mutable_data<T>();
  for (size_t i = 0; i < values.size(); ++i) {
    const double value = values[i];
    if (std::isnan(value)) ThrowInvalidInput(what + " element " + std::to_string(i) + ": missing value for an integer input");
    if (value != std::trunc(value) || value < static_cast<double>(std::numeric_limits<T>::lowest()) ||
        value > static_cast<double>(std::numeric_limits<T>::max())) {
      ThrowInvalidInput(what + " element " + std::to_string(i) + ": " + FormatNumber(value) + " is not a valid " +
                        std::string(runtime::DataTypeName(tensor.dtype())));
    }
    out[i] = static_cast<T>(value);
  }
}

// Numbers (NaN for missing) into a tensor of the input's type.
Tensor NumbersToTensor(DataType dtype, Shape shape, const std::vector<double>& values, const std::string& what) {
  Tensor tensor(dtype, std::move(shape));
  switch (dtype) {
    case DataType::kFloat32: {
      float* out = tensor.mutable_data<float>();
      for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<float>(values[i]);
      break;
    }
    case DataType::kFloat64: {
      double* out = tensor.mutable_data<double>();
      for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
      break;
    }
    case DataType::kInt64: FillIntegers<int64_t>(tensor, values, what); break;
    case DataType::kInt32: FillIntegers<int32_t>(tensor, values, what); break;
    case DataType::kInt16: FillIntegers<int16_t>(tensor, values, what); break;
    case DataType::kInt8: FillIntegers<int8_t>(tensor, values, what); break;
    case DataType::kUint8: FillIntegers<uint8_t>(tensor, values, what); break;
    case DataType::kUint16: FillIntegers<uint16_t>(tensor, values, what); break;
    case DataType::kUint32: FillIntegers<uint32_t>(tensor, values, what); break;
    case DataType::kUint64: FillIntegers<uint64_t>(tensor, values, what); break;
    case DataType::kBool: {
      bool* out = tensor.mutable_data<bool>();
      for (size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i])) ThrowInvalidInput(what + " element " + std::to_string(i) + ": missing value for a boolean input");
        out[i] = values[i] != 0;
      }
      break;
    }
    case DataType::kString: {
      std::string* out = tensor.mutable_data<std::string>();
      for (size_t i = 0; i < values.size(); ++i) out[i] = std::isnan(values[i]) ? std::string() : FormatNumber(values[i]);
      break;
    }
    default:
      ThrowInvalidInput(what + ": the model takes " + std::string(runtime::DataTypeName(dtype)) +
                        ", which requests cannot carry");
  }
  return tensor;
}

Tensor TextToTensor(DataType dtype, Shape shape, const std::vector<std::string>& values, const std::string& what) {
  if (dtype != DataType::kString) {
    std::vector<double> numbers(values.size(), std::nan(""));
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].empty()) continue;
      // Datetime features are float64 UTC microseconds in cairn's models;
      // requests may give them as ISO-8601 text, as the training data did.
      std::optional<int64_t> micros = dtype == DataType::kFloat64 ? ParseUtc(values[i]) : std::nullopt;
      if (!micros) {
        ThrowInvalidInput(what + " element " + std::to_string(i) + ": expected a number for a " +
                          std::string(runtime::DataTypeName(dtype)) + " input, got the string '" +
                          values[i].substr(0, 64) + "'");
      }
      numbers[i] = static_cast<double>(*micros);
    }
    return NumbersToTensor(dtype, std::move(shape), std::move(numbers), what);
  }
  Tensor tensor(DataType::kString, std::move(shape));
  std::string* out = tensor.mutable_data<std::string>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return tensor;
}

bool IsColumnInput(const InputSpec& input) {
  if (!input.has_shape) return false;
  if (input.dims.size() == 1) return true;
  return input.dims.size() == 2 && input.dims[1] == 1;
}

// Finds a frame's columns by name: a scan for the few columns requests
// usually have, a hash map past that. The first of repeated names wins.
class ColumnIndex {
 public:
  explicit ColumnIndex(const Frame& frame) : frame_(frame) {
    if (frame.columns.size() <= kScanLimit) return;
    for (const auto& column : frame.columns) by_name_.emplace(column.name, &column);
  }

  const FrameColumn* Find(std::string_view name) const {
    if (frame_.columns.size() <= kScanLimit) {
      for (const auto& column : frame_.columns) {
        if (column.name == name) return &column;
      }
      return nullptr;
    }
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

 private:
  static constexpr size_t kScanLimit = 16;
  const Frame& frame_;
  std::unordered_map<std::string_view, const FrameColumn*> by_name_;
};

// Whether the frame's columns are exactly the model's features in order, as
// clients that know the model send them.
bool InFeatureOrder(const Frame& frame, const std::vector<std::string>& feature_order) {
  if (frame.columns.size() != feature_order.size()) return false;
  for (size_t i = 0; i < feature_order.size(); ++i) {
    if (frame.columns[i].name != feature_order[i]) return false;
  }
  return true;
}

MappedInputs MapFrame(const ModelSignature& signature, const Frame& frame) {
  MappedInputs mapped;
  mapped.rows = frame.rows;
  const ColumnIndex by_name(frame);

  if (signature.column_inputs) {
    for (const auto& column : frame.columns) {
      bool known = false;
      for (const auto& input : signature.inputs) known = known || input.name == column.name;
      if (!known) {
        ThrowInvalidInput("column '" + column.name + "': unknown feature; the model's inputs are " + InputList(signature));
      }
    }
    for (const auto& input : signature.inputs) {
      const FrameColumn* found = by_name.Find(input.name);
      if (!found) ThrowInvalidInput("missing feature '" + input.name + "' (a column of the request)");
      const FrameColumn& column = *found;
      Shape shape = input.dims.size() == 1 ? Shape{frame.rows} : Shape{frame.rows, 1};
      const std::string what = "column '" + input.name + "'";
      Tensor tensor = column.is_text ? TextToTensor(input.dtype, std::move(shape), column.strings, what)
                                     : NumbersToTensor(input.dtype, std::move(shape), column.numbers, what);
      mapped.values.emplace(input.name, std::move(tensor));
    }
    return mapped;
  }

  if (signature.inputs.size() != 1) {
    ThrowInvalidInput("this model takes " + std::to_string(signature.inputs.size()) + " tensor inputs (" +
                      InputList(signature) + "), not a data frame; send them as \"inputs\"");
  }
  const InputSpec& input = signature.inputs.front();
  std::vector<const FrameColumn*> ordered;
  ordered.reserve(frame.columns.size());
  if (!signature.feature_order.empty() && InFeatureOrder(frame, signature.feature_order)) {
    for (const auto& column : frame.columns) ordered.push_back(&column);
  } else if (!signature.feature_order.empty()) {
    std::unordered_map<std::string_view, size_t> wanted;
    for (size_t i = 0; i < signature.feature_order.size(); ++i) wanted.emplace(signature.feature_order[i], i);
    for (const auto& column : frame.columns) {
      if (!wanted.count(column.name)) {
        ThrowInvalidInput("column '" + column.name + "': unknown feature; the model's features are " +
                          Json(signature.feature_order).dump());
      }
    }
    for (const auto& name : signature.feature_order) {
      const FrameColumn* found = by_name.Find(name);
      if (!found) ThrowInvalidInput("missing feature '" + name + "' (a column of the request)");
      ordered.push_back(found);
    }
  } else {
    if (signature.matrix_columns && static_cast<int64_t>(frame.columns.size()) != *signature.matrix_columns) {
      ThrowInvalidInput("expected " + std::to_string(*signature.matrix_columns) + " columns for input '" + input.name +
                        "', got " + std::to_string(frame.columns.size()));
    }
    for (const auto& column : frame.columns) ordered.push_back(&column);
  }
  const auto width = static_cast<int64_t>(ordered.size());
  Shape shape{frame.rows, width};
  if (input.dtype == DataType::kString) {
    std::vector<std::string> cells(static_cast<size_t>(frame.rows * width));
    for (int64_t c = 0; c < width; ++c) {
      const FrameColumn& column = *ordered[static_cast<size_t>(c)];
      for (int64_t r = 0; r < frame.rows; ++r) {
        const auto row = static_cast<size_t>(r);
        cells[static_cast<size_t>(r * width + c)] =
            column.is_text ? column.strings[row] : (column.missing[row] ? std::string() : FormatNumber(column.numbers[row]));
      }
    }
    mapped.values.emplace(input.name, TextToTensor(input.dtype, std::move(shape), cells, "input '" + input.name + "'"));
    return mapped;
  }
  std::vector<double> cells(static_cast<size_t>(frame.rows * width));
  for (int64_t c = 0; c < width; ++c) {
    const FrameColumn& column = *ordered[static_cast<size_t>(c)];
    if (column.is_text) {
      for (size_t r = 0; r < column.strings.size(); ++r) {
        if (!column.missing[r]) {
          ThrowInvalidInput("column '" + column.name + "' row " + std::to_string(r) + ": expected a number, got '" +
                            column.strings[r].substr(0, 64) + "'");
        }
      }
      continue;  // all missing: NaN below
    }
    for (int64_t r = 0; r < frame.rows; ++r) cells[static_cast<size_t>(r * width + c)] = column.numbers[static_cast<size_t>(r)];
  }
  for (int64_t c = 0; c < width; ++c) {
    if (ordered[static_cast<size_t>(c)]->is_text) {
      for (int64_t r = 0; r < frame.rows; ++r) cells[static_cast<size_t>(r * width + c)] = std::nan("");
    }
  }
  mapped.values.emplace(input.name, NumbersToTensor(input.dtype, std::move(shape), cells, "input '" + input.name + "'"));
  return mapped;
}

// Adapts a request's shape to the input's declared rank where the intent is clear.
Shape AdaptShape(const InputSpec& input, const Shape& given) {
  if (!input.has_shape) return given;
  const size_t rank = input.dims.size();
  if (given.size() + 1 == rank && input.dims.back() == 1) {
    Shape out = given;
    out.push_back(1);
    return out;
  }
  if (given.size() == 1 && rank == 2 && input.dims[1] && *input.dims[1] == given[0] && given[0] != 1) {
    return Shape{1, given[0]};  // one instance sent without its batch dimension
  }
  return given;
}

MappedInputs MapTensors(const ModelSignature& signature, const std::vector<RawTensor>& tensors) {
  MappedInputs mapped;
  auto find_input = [&](const std::string& name) -> const InputSpec* {
    for (const auto& input : signature.inputs) {
      if (input.name == name) return &input;
    }
    return nullptr;
  };
  for (const auto& raw : tensors) {
    const InputSpec* input = nullptr;
    if (raw.name.empty()) {
      if (signature.inputs.size() != 1 || tensors.size() != 1) {
        ThrowInvalidInput("this model takes " + std::to_string(signature.inputs.size()) + " inputs (" +
                          InputList(signature) + "); name each one");
      }
      input = &signature.inputs.front();
    } else {
      input = find_input(raw.name);
      if (!input) ThrowInvalidInput("input '" + raw.name + "': unknown; the model's inputs are " + InputList(signature));
    }
    if (mapped.values.count(input->name)) ThrowInvalidInput("input '" + input->name + "' given twice");
    const std::string what = "input '" + input->name + "'";
    if (!raw.datatype.empty() && (raw.datatype == "BYTES") != (input->dtype == DataType::kString)) {
      ThrowInvalidInput(what + ": datatype " + raw.datatype + " does not match the model's " +
                        std::string(KserveDatatype(input->dtype)));
    }
    Shape shape = AdaptShape(*input, raw.shape);
    Tensor tensor = raw.is_text ? TextToTensor(input->dtype, shape, raw.strings, what)
                                : NumbersToTensor(input->dtype, shape, raw.numbers, what);
    if (mapped.values.empty()) mapped.rows = shape.empty() ? 1 : shape.front();
    mapped.values.emplace(input->name, std::move(tensor));
  }
  for (const auto& input : signature.inputs) {
    if (!mapped.values.count(input.name)) ThrowInvalidInput("missing input '" + input.name + "'");
  }
  return mapped;
}

}  // namespace

ModelSignature ModelSignature::FromModel(const runtime::Model& model) {
  ModelSignature signature;
  for (const auto& info : model.graph.inputs) {
    InputSpec spec;
    spec.name = info.name;
    spec.dtype = info.type.kind == runtime::ValueKind::kTensor ? info.type.elem_type : DataType::kUndefined;
    spec.has_shape = info.type.has_shape;
    for (const auto& dim : info.type.dims) spec.dims.push_back(dim.value);
    signature.inputs.push_back(std::move(spec));
  }
  signature.categories = runtime::KnownCategories::FromModel(model);
  signature.column_inputs = !signature.inputs.empty();
  for (const auto& input : signature.inputs) signature.column_inputs = signature.column_inputs && IsColumnInput(input);
  if (signature.inputs.size() == 1 && !signature.column_inputs) {
    const InputSpec& input = signature.inputs.front();
    if (input.has_shape && input.dims.size() == 2 && input.dims[1]) signature.matrix_columns = *input.dims[1];
    // cairn's own key first, then the "feature_names" key batch scoring also reads.
    for (const char* wanted : {"cairn.feature_order", "feature_names"}) {
      for (const auto& [key, value] : model.metadata_props) {
        if (key != wanted || !signature.feature_order.empty()) continue;
        std::vector<std::string> names;
        Json order = Json::parse(value, nullptr, /*allow_exceptions=*/false);
        if (order.is_array()) {
          for (const auto& name : order) {
            if (name.is_string()) names.push_back(name.get<std::string>());
          }
          if (names.size() != order.size()) names.clear();
        } else {
          // A comma-separated list.
          size_t begin = 0;
          while (begin <= value.size()) {
            const size_t comma = std::min(value.find(',', begin), value.size());
            names.push_back(value.substr(begin, comma - begin));
            begin = comma + 1;
          }
        }
        if (!names.empty() &&
            (!signature.matrix_columns || *signature.matrix_columns == static_cast<int64_t>(names.size()))) {
          signature.feature_order = std::move(names);
        }
      }
    }
  }
  return signature;
}

MappedInputs MapInputs(const ModelSignature& signature, const RequestBody& body) {
  MappedInputs mapped = body.kind == BodyKind::kFrame ? MapFrame(signature, body.frame) : MapTensors(signature, body.tensors);
  if (signature.categories.enforced()) signature.categories.CheckInputs(mapped.values);
  return mapped;
}

std::vector<FeatureColumnRef> FeatureColumns(const ModelSignature& signature,
                                             const std::map<std::string, runtime::Value>& inputs) {
  std::vector<FeatureColumnRef> out;
  for (const auto& spec : signature.inputs) {
    auto it = inputs.find(spec.name);
    if (it == inputs.end() || !it->second.is_tensor()) continue;
    const Tensor& tensor = it->second.tensor();
    const int64_t rows = tensor.rank() == 0 ? 1 : tensor.dim(0);
    const int64_t width = rows > 0 ? tensor.size() / rows : 0;
    if (width <= 1) {
      out.push_back({spec.name, spec.name, 0, 1});
      continue;
    }
    const bool named = static_cast<int64_t>(signature.feature_order.size()) == width;
    for (int64_t c = 0; c < width; ++c) {
      std::string name = named ? signature.feature_order[static_cast<size_t>(c)] : spec.name + "[" + std::to_string(c) + "]";
      out.push_back({std::move(name), spec.name, c, width});
    }
  }
  return out;
}

std::string_view KserveDatatype(runtime::DataType type) {
  switch (type) {
    case DataType::kFloat32: return "FP32";
    case DataType::kFloat64: return "FP64";
    case DataType::kFloat16: return "FP16";
    case DataType::kBfloat16: return "BF16";
    case DataType::kInt8: return "INT8";
    case DataType::kInt16: return "INT16";
    case DataType::kInt32: return "INT32";
    case DataType::kInt64: return "INT64";
    case DataType::kUint8: return "UINT8";
    case DataType::kUint16: return "UINT16";
    case DataType::kUint32: return "UINT32";
    case DataType::kUint64: return "UINT64";
    case DataType::kBool: return "BOOL";
    case DataType::kString: return "BYTES";
    case DataType::kUndefined: break;
  }
  return "UNDEFINED";
}

}  // namespace cairn::serve
