#include "cairn/serve/request_parser.h"

#include <simdjson.h>

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "cairn/core/error.h"
#include "cairn/data/csv_reader.h"

namespace cairn::serve {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Requests arrive on a few I/O threads; each keeps one parser so its buffers are reused.
simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

element ParseDocument(std::string_view body) {
  element doc;
  auto error = ThreadParser().parse(body.data(), body.size()).get(doc);
  if (error) ThrowInvalidInput(std::string("request body: malformed JSON: ") + simdjson::error_message(error));
  return doc;
}

std::string_view TypeName(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// Field names in messages are built only when a message is thrown: a valid
// request pays nothing for them.
[[noreturn]] void Expected(std::string_view field, std::string_view what, element value) {
  ThrowInvalidInput(std::string(field) + ": expected " + std::string(what) + ", got " + std::string(TypeName(value.type())));
}

// "name[3]".
std::string Indexed(std::string_view name, size_t index) {
  return std::string(name) + "[" + std::to_string(index) + "]";
}

simdjson::dom::array AsArray(element value, std::string_view field) {
  simdjson::dom::array array;
  if (value.get_array().get(array)) Expected(field, "an array", value);
  return array;
}

simdjson::dom::object AsObject(element value, std::string_view field) {
  simdjson::dom::object object;
  if (value.get_object().get(object)) Expected(field, "an object", value);
  return object;
}

std::string_view AsStringView(element value, std::string_view field) {
  std::string_view text;
  if (value.get_string().get(text)) Expected(field, "a string", value);
  return text;
}

std::string AsString(element value, std::string_view field) { return std::string(AsStringView(value, field)); }

bool IsNumber(element_type type) {
  return type == element_type::INT64 || type == element_type::UINT64 || type == element_type::DOUBLE;
}

double NumberOf(element value) {
  double number = 0;
  if (value.type() == element_type::BOOL) return value.get_bool().value_unsafe() ? 1.0 : 0.0;
  if (value.get_double().get(number)) return std::nan("");
  return number;
}

// False when the cell is not a scalar; the caller names it in the error.
bool AppendCell(FrameColumn& column, element cell) {
  const auto type = cell.type();
  if (IsNumber(type) || type == element_type::BOOL) {
    column.AppendNumber(NumberOf(cell));
  } else if (type == element_type::STRING) {
    column.AppendText(std::string(cell.get_string().value_unsafe()));
  } else if (type == element_type::NULL_VALUE) {
    column.AppendMissing();
  } else {
    return false;
  }
  return true;
}

constexpr std::string_view kScalar = "a number, string, boolean or null";

// The index of the first column whose name an earlier column has, or npos.
size_t RepeatedColumn(const std::vector<FrameColumn>& columns) {
  if (columns.size() <= 64) {
    // Requests rarely have more columns than this: comparing pairs beats hashing.
    for (size_t i = 1; i < columns.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (columns[i].name == columns[j].name) return i;
      }
    }
    return std::string_view::npos;
  }
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!seen.insert(columns[i].name).second) return i;
  }
  return std::string_view::npos;
}

Frame ParseDataframeSplit(element value) {
  auto split = AsObject(value, "dataframe_split");
  element columns_value;
  if (split["columns"].get(columns_value)) ThrowInvalidInput("dataframe_split.columns: missing");
  element data_value;
  if (split["data"].get(data_value)) ThrowInvalidInput("dataframe_split.data: missing");
  for (auto field : split) {
    if (field.key != "columns" && field.key != "data" && field.key != "index") {
      ThrowInvalidInput("dataframe_split." + std::string(field.key) + ": unknown field (expected columns, data, index)");
    }
  }
  Frame frame;
  auto names = AsArray(columns_value, "dataframe_split.columns");
  auto rows = AsArray(data_value, "dataframe_split.data");
  frame.columns.resize(names.size());
  size_t index = 0;
  for (element name : names) {
    FrameColumn& column = frame.columns[index];
    std::string_view text;
    if (name.get_string().get(text)) Expected(Indexed("dataframe_split.columns", index), "a string", name);
    column.name = text;
    column.numbers.reserve(rows.size());
    column.missing.reserve(rows.size());
    ++index;
  }
  if (const size_t repeated = RepeatedColumn(frame.columns); repeated != std::string_view::npos) {
    ThrowInvalidInput(Indexed("dataframe_split.columns", repeated) + ": column '" + frame.columns[repeated].name +
                      "' appears twice");
  }
  size_t row = 0;
  for (element row_value : rows) {
    simdjson::dom::array cells;
    if (row_value.get_array().get(cells)) Expected(Indexed("dataframe_split.data", row), "an array", row_value);
    if (cells.size() != frame.columns.size()) {
      ThrowInvalidInput(Indexed("dataframe_split.data", row) + ": expected " + std::to_string(frame.columns.size()) +
                        " values (one per column), got " + std::to_string(cells.size()));
    }
    size_t c = 0;
    for (element cell : cells) {
      if (!AppendCell(frame.columns[c], cell)) {
        Expected(Indexed(Indexed("dataframe_split.data", row), c) + " (column '" + frame.columns[c].name + "')", kScalar,
                 cell);
      }
      ++c;
    }
    ++row;
  }
  frame.rows = static_cast<int64_t>(row);
  return frame;
}

Frame ParseRecords(simdjson::dom::array records, std::string_view what) {
  Frame frame;
  // Keys point into the parsed document, which outlives this call.
  std::unordered_map<std::string_view, size_t> index;
  size_t row = 0;
  for (element record : records) {
    simdjson::dom::object members;
    if (record.get_object().get(members)) Expected(Indexed(what, row), "an object", record);
    for (auto member : members) {
      auto [it, inserted] = index.emplace(member.key, frame.columns.size());
      if (inserted) {
        FrameColumn column;
        column.name = member.key;
        // Earlier records lacked this column: their cells are missing.
        for (size_t r = 0; r < row; ++r) column.AppendMissing();
        frame.columns.push_back(std::move(column));
      }
      FrameColumn& column = frame.columns[it->second];
      if (column.size() != row) ThrowInvalidInput(Indexed(what, row) + ": column '" + column.name + "' appears twice");
      if (!AppendCell(column, member.value)) Expected(Indexed(what, row) + "." + column.name, kScalar, member.value);
    }
    ++row;
    for (auto& column : frame.columns) {
      if (column.size() < row) column.AppendMissing();
    }
  }
  frame.rows = static_cast<int64_t>(row);
  return frame;
}

// Where FlattenInto is inside a tensor: the field and the indices down to the
// current element, turned into text only for an error message.
struct TensorPath {
  std::string_view field;
  std::vector<size_t> indices;

  std::string Text() const {
    std::string out(field);
    for (size_t index : indices) out += "[" + std::to_string(index) + "]";
    return out;
  }
};

void FlattenInto(element value, size_t depth, RawTensor& tensor, TensorPath& path) {
  const auto type = value.type();
  if (type == element_type::ARRAY) {
    auto array = value.get_array().value_unsafe();
    const auto length = static_cast<int64_t>(array.size());
    if (depth == tensor.shape.size()) {
      // First visit at this depth fixes the dimension; scalars already seen mean ragged nesting.
      if (tensor.size() > 0) ThrowInvalidInput(path.Text() + ": nested arrays have different depths");
      tensor.shape.push_back(length);
    } else if (depth > tensor.shape.size() || tensor.shape[depth] != length) {
      ThrowInvalidInput(path.Text() + ": nested arrays have different lengths or depths (not a rectangular tensor)");
    }
    path.indices.push_back(0);
    for (element item : array) {
      FlattenInto(item, depth + 1, tensor, path);
      ++path.indices.back();
    }
    path.indices.pop_back();
    return;
  }
  if (depth != tensor.shape.size()) ThrowInvalidInput(path.Text() + ": nested arrays have different depths");
  if (IsNumber(type) || type == element_type::BOOL || type == element_type::NULL_VALUE) {
    if (tensor.is_text) ThrowInvalidInput(path.Text() + ": numbers and strings mixed in one tensor");
    tensor.numbers.push_back(type == element_type::NULL_VALUE ? std::nan("") : NumberOf(value));
  } else if (type == element_type::STRING) {
    if (!tensor.numbers.empty()) ThrowInvalidInput(path.Text() + ": numbers and strings mixed in one tensor");
    tensor.is_text = true;
    tensor.strings.emplace_back(value.get_string().value_unsafe());
  } else {
    Expected(path.Text(), "a number, string or array", value);
  }
}

RawTensor TensorFrom(element value, std::string name, std::string_view field) {
  RawTensor tensor;
  tensor.name = std::move(name);
  TensorPath path{field, {}};
  FlattenInto(value, 0, tensor, path);
  return tensor;
}

void ReadKey(element value, const std::string& field, std::string& key) {
  if (value.type() == element_type::STRING) {
    key = std::string(value.get_string().value_unsafe());
  } else if (IsNumber(value.type())) {
    key = std::string(simdjson::minify(value));
  } else {
    Expected(field, "a string or number", value);
  }
}

}  // namespace

RequestBody ParseMlflowJson(std::string_view body, std::string_view key_field) {
  element doc = ParseDocument(body);
  auto top = AsObject(doc, "request body");
  RequestBody request;
  int formats = 0;
  std::string format_names;
  for (auto field : top) {
    const std::string_view key = field.key;
    if (key == "dataframe_split" || key == "dataframe_records" || key == "instances" || key == "inputs") {
      ++formats;
      format_names += (format_names.empty() ? "" : ", ") + std::string(key);
    } else if (!key_field.empty() && key == key_field) {
      ReadKey(field.value, std::string(key), request.request_key);
    } else if (key != "params") {
      ThrowInvalidInput("request body: unknown field '" + std::string(key) +
                        "' (expected one of dataframe_split, dataframe_records, instances, inputs)");
    }
  }
  if (formats != 1) {
    ThrowInvalidInput(std::string("request body: expected exactly one of dataframe_split, dataframe_records, "
                                  "instances, inputs; got ") +
                      (formats == 0 ? "none" : format_names));
  }
  for (auto field : top) {
    const std::string_view key = field.key;
    if (key == "dataframe_split") {
      request.kind = BodyKind::kFrame;
      request.frame = ParseDataframeSplit(field.value);
    } else if (key == "dataframe_records") {
      request.kind = BodyKind::kFrame;
      request.frame = ParseRecords(AsArray(field.value, "dataframe_records"), "dataframe_records");
    } else if (key == "instances") {
      auto instances = AsArray(field.value, "instances");
      if (instances.size() > 0 && instances.at(0).type() == element_type::OBJECT) {
        request.kind = BodyKind::kFrame;
        request.frame = ParseRecords(instances, "instances");
      } else {
        request.kind = BodyKind::kTensors;
        request.tensors.push_back(TensorFrom(field.value, "", "instances"));
      }
    } else if (key == "inputs") {
      request.kind = BodyKind::kTensors;
      if (field.value.type() == element_type::OBJECT) {
        simdjson::dom::object inputs = field.value.get_object().value_unsafe();
        for (auto input : inputs) {
          std::string name(input.key);
          request.tensors.push_back(TensorFrom(input.value, name, "inputs." + name));
        }
      } else if (field.value.type() == element_type::ARRAY) {
        request.tensors.push_back(TensorFrom(field.value, "", "inputs"));
      } else {
        Expected("inputs", "an object of named arrays or an array", field.value);
      }
    }
  }
  return request;
}

RequestBody ParseCsvBody(std::string_view body) {
  data::Table table = data::ReadCsvText(body, data::CsvOptions{.threads = 1}, "request body (text/csv)");
  RequestBody request;
  request.kind = BodyKind::kFrame;
  request.frame.rows = static_cast<int64_t>(table.num_rows());
  for (const auto& source : table.columns()) {
    FrameColumn column;
    column.name = source.name();
    for (size_t row = 0; row < source.size(); ++row) {
      if (source.IsNull(row)) {
        column.AppendMissing();
      } else if (source.type() == data::ColumnType::kCategorical) {
        column.AppendText(source.dictionary()[static_cast<size_t>(source.codes()[row])]);
      } else {
        column.AppendNumber(source.NumericValue(row));
      }
    }
    request.frame.columns.push_back(std::move(column));
  }
  return request;
}

RequestBody ParseKserveInfer(std::string_view body, std::string_view key_field) {
  element doc = ParseDocument(body);
  auto top = AsObject(doc, "request body");
  RequestBody request;
  request.kind = BodyKind::kTensors;
  element inputs_value;
  if (top["inputs"].get(inputs_value)) ThrowInvalidInput("request body: inputs: missing");
  for (auto field : top) {
    const std::string_view key = field.key;
    if (key == "id") {
      request.client_id = AsString(field.value, "id");
    } else if (key == "parameters") {
      auto parameters = AsObject(field.value, "parameters");
      element key_value;
      if (!key_field.empty() && !parameters[key_field].get(key_value)) {
        ReadKey(key_value, "parameters." + std::string(key_field), request.request_key);
      }
    } else if (key != "inputs" && key != "outputs") {
      ThrowInvalidInput("request body: unknown field '" + std::string(key) + "' (expected id, parameters, inputs, outputs)");
    }
  }
  size_t index = 0;
  for (element input : AsArray(inputs_value, "inputs")) {
    const std::string field = "inputs[" + std::to_string(index++) + "]";
    auto object = AsObject(input, field);
    element name_value, shape_value, datatype_value, data_value;
    if (object["name"].get(name_value)) ThrowInvalidInput(field + ".name: missing");
    if (object["shape"].get(shape_value)) ThrowInvalidInput(field + ".shape: missing");
    if (object["datatype"].get(datatype_value)) ThrowInvalidInput(field + ".datatype: missing");
    if (object["data"].get(data_value)) ThrowInvalidInput(field + ".data: missing");
    const std::string name = AsString(name_value, field + ".name");
    const std::string label = field + " ('" + name + "')";
    runtime::Shape shape;
    int64_t expected = 1;
    for (element dim : AsArray(shape_value, label + ".shape")) {
      int64_t value = 0;
      if (dim.get_int64().get(value) || value < 0) ThrowInvalidInput(label + ".shape: expected non-negative integers");
      if (value > 0 && expected > (int64_t{1} << 40) / value) ThrowInvalidInput(label + ".shape: too many elements");
      shape.push_back(value);
      expected *= value;
    }
    RawTensor tensor;
    if (data_value.type() == element_type::ARRAY) {
      tensor = TensorFrom(data_value, name, label + ".data");
    } else {
      Expected(label + ".data", "an array", data_value);
    }
    tensor.datatype = AsString(datatype_value, label + ".datatype");
    if (tensor.size() != expected) {
      ThrowInvalidInput(label + ": shape " + runtime::ShapeToString(shape) + " holds " + std::to_string(expected) +
                        " values but data has " + std::to_string(tensor.size()));
    }
    tensor.shape = std::move(shape);
    request.tensors.push_back(std::move(tensor));
  }
  return request;
}

}  // namespace cairn::serve
