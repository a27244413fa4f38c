#include "cairn/serve/response_writer.h"

#include <charconv>
#include <cmath>

#include "cairn/serve/input_mapping.h"

namespace cairn::serve {
namespace {

using runtime::DataType;
using runtime::Tensor;

template <typename T>
void AppendNumber(std::string& out, T value) {
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) {
      out += "null";
      return;
    }
  }
  char buffer[40];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// Writes elements [begin, begin + count) as a flat list.
void AppendFlat(std::string& out, const Tensor& tensor, int64_t begin, int64_t count) {
  out += '[';
  for (int64_t i = 0; i < count; ++i) {
    if (i) out += ',';
    AppendJsonElement(out, tensor, begin + i);
  }
  out += ']';
}

// Row-major nesting of dimensions [axis, rank).
void AppendNested(std::string& out, const Tensor& tensor, size_t axis, int64_t& cursor) {
  if (axis == tensor.rank()) {
    AppendJsonElement(out, tensor, cursor++);
    return;
  }
  out += '[';
  for (int64_t i = 0; i < tensor.dim(axis); ++i) {
    if (i) out += ',';
    AppendNested(out, tensor, axis + 1, cursor);
  }
  out += ']';
}

void AppendRows(std::string& out, const runtime::Value& value) {
  if (value.is_map_sequence()) {
    const auto& maps = value.map_sequence();
    const int64_t keys = maps.keys.size();
    const int64_t rows = keys > 0 ? maps.values.size() / keys : 0;
    out += '[';
    for (int64_t r = 0; r < rows; ++r) {
      if (r) out += ',';
      out += '{';
      for (int64_t k = 0; k < keys; ++k) {
        if (k) out += ',';
        if (maps.keys.dtype() == DataType::kString) {
          AppendJsonString(out, maps.keys.data<std::string>()[k]);
        } else {
          out += '"';
          AppendJsonElement(out, maps.keys, k);
          out += '"';
        }
        out += ':';
        AppendJsonElement(out, maps.values, r * keys + k);
      }
      out += '}';
    }
    out += ']';
    return;
  }
  if (!value.is_tensor()) {
    out += "null";
    return;
  }
  const Tensor& tensor = value.tensor();
  if (tensor.rank() == 2 && tensor.dim(1) == 1) {
    AppendFlat(out, tensor, 0, tensor.size());
    return;
  }
  int64_t cursor = 0;
  AppendNested(out, tensor, 0, cursor);
}

// The outputs of `outputs` that `order` declares, in its order.
void InDeclaredOrder(const std::map<std::string, runtime::Value>& outputs, const std::vector<runtime::ValueInfo>& order,
                     std::vector<runtime::Value>& values, std::vector<runtime::ValueInfo>& declared) {
  for (const auto& info : order) {
    auto it = outputs.find(info.name);
    if (it == outputs.end()) continue;
    values.push_back(it->second);
    declared.push_back(info);
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void AppendJsonElement(std::string& out, const Tensor& tensor, int64_t index) {
  switch (tensor.dtype()) {
    case DataType::kFloat32: AppendNumber(out, tensor.data<float>()[index]); break;
    case DataType::kFloat64: AppendNumber(out, tensor.data<double>()[index]); break;
    case DataType::kInt64: AppendNumber(out, tensor.data<int64_t>()[index]); break;
    case DataType::kInt32: AppendNumber(out, tensor.data<int32_t>()[index]); break;
    case DataType::kInt16: AppendNumber(out, tensor.data<int16_t>()[index]); break;
    case DataType::kInt8: AppendNumber(out, static_cast<int>(tensor.data<int8_t>()[index])); break;
    case DataType::kUint8: AppendNumber(out, static_cast<unsigned>(tensor.data<uint8_t>()[index])); break;
    case DataType::kUint16: AppendNumber(out, tensor.data<uint16_t>()[index]); break;
    case DataType::kUint32: AppendNumber(out, tensor.data<uint32_t>()[index]); break;
    case DataType::kUint64: AppendNumber(out, tensor.data<uint64_t>()[index]); break;
    case DataType::kBool: out += tensor.data<bool>()[index] ? "true" : "false"; break;
    case DataType::kString: AppendJsonString(out, tensor.data<std::string>()[index]); break;
    default: out += "null";
  }
}

void AppendMlflowPredictions(std::string& out, std::span<const runtime::Value> outputs,
                             const std::vector<runtime::ValueInfo>& declared) {
  out += "{\"predictions\":";
  if (outputs.size() == 1) {
    AppendRows(out, outputs.front());
  } else {
    out += '{';
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (i) out += ',';
      AppendJsonString(out, declared[i].name);
      out += ':';
      AppendRows(out, outputs[i]);
    }
    out += '}';
  }
  out += '}';
}

std::string MlflowPredictions(const std::map<std::string, runtime::Value>& outputs,
                              const std::vector<runtime::ValueInfo>& order) {
  std::vector<runtime::Value> values;
  std::vector<runtime::ValueInfo> declared;
  if (outputs.size() == 1) {
    values.push_back(outputs.begin()->second);
    declared.push_back({outputs.begin()->first, {}});
  } else {
    InDeclaredOrder(outputs, order, values, declared);
  }
  std::string out;
  AppendMlflowPredictions(out, values, declared);
  return out;
}

std::string OutputsJson(std::span<const runtime::Value> outputs, const std::vector<runtime::ValueInfo>& declared) {
  std::string out = "{";
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, declared[i].name);
    out += ':';
    AppendRows(out, outputs[i]);
  }
  out += '}';
  return out;
}

void AppendKserveInferResponse(std::string& out, const KserveResponseInfo& info,
                               std::span<const runtime::Value> outputs, const std::vector<runtime::ValueInfo>& declared) {
  out += "{\"model_name\":";
  AppendJsonString(out, info.model_name);
  out += ",\"model_version\":";
  AppendJsonString(out, info.model_version);
  out += ",\"id\":";
  AppendJsonString(out, info.id);
  out += ",\"outputs\":[";
  for (size_t i = 0; i < outputs.size(); ++i) {
    // ZipMap rows carry their values as a [rows, classes] tensor.
    const Tensor& tensor = outputs[i].is_map_sequence() ? outputs[i].map_sequence().values : outputs[i].tensor();
    if (i) out += ',';
    out += "{\"name\":";
    AppendJsonString(out, declared[i].name);
    out += ",\"datatype\":\"";
    out += KserveDatatype(tensor.dtype());
    out += "\",\"shape\":[";
    for (size_t d = 0; d < tensor.rank(); ++d) {
      if (d) out += ',';
      AppendNumber(out, tensor.dim(d));
    }
    out += "],\"data\":";
    AppendFlat(out, tensor, 0, tensor.size());
    out += '}';
  }
  out += "]}";
}

std::string KserveInferResponse(const KserveResponseInfo& info, const std::map<std::string, runtime::Value>& outputs,
                                const std::vector<runtime::ValueInfo>& order) {
  std::vector<runtime::Value> values;
  std::vector<runtime::ValueInfo> declared;
  InDeclaredOrder(outputs, order, values, declared);
  std::string out;
  AppendKserveInferResponse(out, info, values, declared);
  return out;
}

}  // namespace cairn::serve
