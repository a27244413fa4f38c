#include "cairn/data/jsonl_reader.h"

#include <system_error>
#include <unordered_map>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/json.h"
#include "cairn/data/value_parsing.h"

namespace cairn::data {
namespace {

std::string_view KindName(const Json& value) {
  if (value.is_array()) return "an array";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number()) return "a number";
  return "null";
}

// nlohmann's message without its "[json.exception...] parse error at line 1, column N: " preamble.
std::string ParseErrorDetail(const std::string& what) {
  size_t column = what.find("column ");
  size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

bool FitsInt64(const Json& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return true;
  return value.is_number_unsigned() && value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX);
}

Column BuildColumn(const std::string& name, const std::vector<Json>& cells) {
  bool all_integer = true, all_number = true, all_boolean = true, all_datetime = true, any = false;
  for (const Json& cell : cells) {
    if (cell.is_null()) continue;
    any = true;
    if (!FitsInt64(cell)) all_integer = false;
    if (!cell.is_number()) all_number = false;
    if (!cell.is_boolean()) all_boolean = false;
    int64_t micros;
    if (!cell.is_string() || !ParseDatetime(cell.get_ref<const std::string&>(), micros)) all_datetime = false;
  }
  std::vector<uint8_t> nulls(cells.size(), 0);
  for (size_t row = 0; row < cells.size(); ++row) nulls[row] = cells[row].is_null() ? 1 : 0;
  if (!any || (all_number && !all_integer)) {
    std::vector<double> values(cells.size(), 0.0);
    for (size_t row = 0; row < cells.size(); ++row) {
      if (!nulls[row]) values[row] = cells[row].get<double>();
    }
    return Column::FromFloats(name, std::move(values), std::move(nulls));
  }
  if (all_integer) {
    std::vector<int64_t> values(cells.size(), 0);
    for (size_t row = 0; row < cells.size(); ++row) {
      if (!nulls[row]) values[row] = cells[row].get<int64_t>();
    }
    return Column::FromIntegers(name, std::move(values), std::move(nulls));
  }
  if (all_boolean) {
    std::vector<uint8_t> values(cells.size(), 0);
    for (size_t row = 0; row < cells.size(); ++row) {
      if (!nulls[row]) values[row] = cells[row].get<bool>() ? 1 : 0;
    }
    return Column::FromBooleans(name, std::move(values), std::move(nulls));
  }
  if (all_datetime) {
    std::vector<int64_t> values(cells.size(), 0);
    for (size_t row = 0; row < cells.size(); ++row) {
      if (!nulls[row]) ParseDatetime(cells[row].get_ref<const std::string&>(), values[row]);
    }
    return Column::FromDatetimes(name, std::move(values), std::move(nulls));
  }
  // Mixed or textual values: strings as they are, anything else as its JSON text.
  Column column(name, ColumnType::kCategorical);
  for (const Json& cell : cells) {
    if (cell.is_null()) {
      column.AppendNull();
    } else if (cell.is_string()) {
      column.AppendCategorical(cell.get_ref<const std::string&>());
    } else {
      column.AppendCategorical(cell.dump());
    }
  }
  return column;
}

}  // namespace

Table ReadJsonLinesText(std::string_view text, std::string_view source_name) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string source(source_name);
  std::vector<std::string> names;
  std::unordered_map<std::string, size_t> index;
  std::vector<std::vector<Json>> cells;
  size_t rows = 0;
  size_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t stop = newline == std::string_view::npos ? text.size() : newline;
    std::string_view line = text.substr(start, stop - start);
    start = stop + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Json value;
    try {
      value = Json::parse(line);
    } catch (const Json::parse_error& error) {
      ThrowInvalidInput(source + ":" + std::to_string(line_number) + ": byte " + std::to_string(error.byte) +
                        ": malformed JSON: " + ParseErrorDetail(error.what()));
    }
    if (!value.is_object()) {
      ThrowInvalidInput(source + ":" + std::to_string(line_number) + ": expected a JSON object, found " +
                        std::string(KindName(value)));
    }
    for (auto& [key, cell] : value.items()) {
      auto [it, inserted] = index.emplace(key, names.size());
      if (inserted) {
        names.push_back(key);
        cells.emplace_back();
      }
      auto& column = cells[it->second];
      column.resize(rows);  // rows where this key was absent are null
      column.push_back(std::move(cell));
    }
    ++rows;
  }
  if (rows == 0) ThrowInvalidInput(source + ": the file is empty; expected one JSON object per line");
  Table table;
  for (size_t c = 0; c < names.size(); ++c) {
    cells[c].resize(rows);
    table.AddColumn(BuildColumn(names[c], cells[c]));
  }
  return table;
}

Table ReadJsonLinesFile(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) ThrowNotFound(path.string() + ": no such file");
  std::string text = ReadFile(path);
  return ReadJsonLinesText(text, path.string());
}

}  // namespace cairn::data
