#include "cairn/data/schema.h"

#include "cairn/core/error.h"

namespace cairn::data {

Schema Schema::FromTable(const Table& table) {
  Schema schema;
  for (const auto& column : table.columns()) {
    schema.columns.push_back({column.name(), column.type(), column.NullCount() > 0});
  }
  return schema;
}

const ColumnSchema* Schema::Find(std::string_view name) const {
  for (const auto& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

Json Schema::ToJson() const {
  Json list = Json::array();
  for (const auto& column : columns) {
    list.push_back({{"name", column.name}, {"type", ColumnTypeName(column.type)}, {"nullable", column.nullable}});
  }
  return Json{{"columns", std::move(list)}};
}

Schema Schema::FromJson(const Json& json) {
  if (!json.is_object() || !json.contains("columns") || !json["columns"].is_array()) {
    ThrowInvalidInput("schema: expected an object with a 'columns' array");
  }
  Schema schema;
  const Json& list = json["columns"];
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    std::string where = "schema: columns[" + std::to_string(i) + "]";
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string() || !item.contains("type") ||
        !item["type"].is_string()) {
      ThrowInvalidInput(where + ": expected an object with string 'name' and 'type'");
    }
    ColumnSchema column;
    column.name = item["name"].get<std::string>();
    try {
      column.type = ParseColumnType(item["type"].get<std::string>());
    } catch (const Error& error) {
      ThrowInvalidInput(where + ": " + error.what());
    }
    if (item.contains("nullable")) {
      if (!item["nullable"].is_boolean()) ThrowInvalidInput(where + ": 'nullable' must be true or false");
      column.nullable = item["nullable"].get<bool>();
    }
    schema.columns.push_back(std::move(column));
  }
  return schema;
}

}  // namespace cairn::data
