#include "cairn/data/profile_diff.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cairn/core/clock.h"
#include "cairn/core/text.h"
#include "cairn/core/text_table.h"

namespace cairn::data {
namespace {

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

struct Statistics {
  double count = kAbsent, missing_rate = kAbsent, distinct = kAbsent;
  double mean = kAbsent, std = kAbsent, min = kAbsent, max = kAbsent;
};

Statistics Collect(const ColumnProfile* column) {
  Statistics s;
  if (!column) return s;
  s.count = static_cast<double>(column->count);
  int64_t rows = column->count + column->missing;
  s.missing_rate = rows > 0 ? static_cast<double>(column->missing) / static_cast<double>(rows) : 0.0;
  s.distinct = static_cast<double>(column->distinct);
  if (column->numeric) {
    s.mean = column->numeric->mean;
    s.std = column->numeric->std;
    s.min = column->numeric->min;
    s.max = column->numeric->max;
  } else if (!column->min_time.empty()) {
    if (auto t = ParseUtc(column->min_time)) s.min = static_cast<double>(*t);
    if (auto t = ParseUtc(column->max_time)) s.max = static_cast<double>(*t);
  }
  return s;
}

bool IsTimeStatistic(const ColumnDiff& column, const StatisticShift& shift) {
  return column.type_after == ColumnType::kDatetime && column.type_before == ColumnType::kDatetime &&
         (shift.statistic == "min" || shift.statistic == "max");
}

std::string ShowValue(const ColumnDiff& column, const StatisticShift& shift, double value) {
  if (std::isnan(value)) return "-";
  if (IsTimeStatistic(column, shift)) return FormatUtc(static_cast<int64_t>(value));
  return FormatNumber(value);
}

Json ValueJson(const ColumnDiff& column, const StatisticShift& shift, double value) {
  if (std::isnan(value)) return nullptr;
  if (IsTimeStatistic(column, shift)) return FormatUtc(static_cast<int64_t>(value));
  if (!std::isfinite(value)) return FormatDouble(value);
  return value;
}

std::string ShowChange(const ColumnDiff& column, const StatisticShift& shift) {
  if (std::isnan(shift.before) || std::isnan(shift.after)) return "";
  double change = shift.after - shift.before;
  std::string text = change > 0 ? "+" : "";
  if (IsTimeStatistic(column, shift)) {
    text = change >= 0 ? "+" : "-";
    text += FormatDuration(std::fabs(change) / 1e6);
    return text;
  }
  text += FormatNumber(change);
  if (shift.before != 0 && std::isfinite(change)) {
    text += change > 0 ? " (+" : " (";
    text += FormatNumber(100.0 * change / std::fabs(shift.before), 3);
    text += "%)";
  }
  return text;
}

std::vector<std::string> TopValues(const ColumnProfile* column) {
  std::vector<std::string> values;
  if (column) {
    for (const auto& entry : column->top) values.push_back(entry.value);
  }
  return values;
}

bool IsCategoryType(ColumnType type) { return type == ColumnType::kCategorical || type == ColumnType::kBoolean; }

}  // namespace

bool StatisticShift::Changed() const {
  if (std::isnan(before) && std::isnan(after)) return false;
  return !(before == after);
}

bool ColumnDiff::Changed() const {
  if (type_before != type_after || !new_categories.empty() || !vanished_categories.empty()) return true;
  return std::any_of(statistics.begin(), statistics.end(), [](const auto& s) { return s.Changed(); });
}

DatasetDiff DiffDatasets(const Schema& schema_before, const Profile& profile_before, const Schema& schema_after,
                         const Profile& profile_after) {
  DatasetDiff diff;
  diff.rows_before = profile_before.rows;
  diff.rows_after = profile_after.rows;
  for (const auto& column : schema_before.columns) {
    if (!schema_after.Find(column.name)) diff.removed.push_back(column);
  }
  for (const auto& after : schema_after.columns) {
    const ColumnSchema* before = schema_before.Find(after.name);
    if (!before) {
      diff.added.push_back(after);
      continue;
    }
    if (before->type != after.type) diff.type_changes.push_back({after.name, before->type, after.type});
    ColumnDiff column;
    column.name = after.name;
    column.type_before = before->type;
    column.type_after = after.type;
    const ColumnProfile* profile_a = profile_before.Find(after.name);
    const ColumnProfile* profile_b = profile_after.Find(after.name);
    Statistics a = Collect(profile_a);
    Statistics b = Collect(profile_b);
    column.statistics = {{"count", a.count, b.count}, {"missing_rate", a.missing_rate, b.missing_rate},
                         {"distinct", a.distinct, b.distinct}, {"mean", a.mean, b.mean},
                         {"std", a.std, b.std}, {"min", a.min, b.min}, {"max", a.max, b.max}};
    std::erase_if(column.statistics,
                  [](const StatisticShift& s) { return std::isnan(s.before) && std::isnan(s.after); });
    if (IsCategoryType(before->type) && IsCategoryType(after.type)) {
      std::vector<std::string> top_a = TopValues(profile_a);
      std::vector<std::string> top_b = TopValues(profile_b);
      for (const auto& value : top_b) {
        if (std::find(top_a.begin(), top_a.end(), value) == top_a.end()) column.new_categories.push_back(value);
      }
      for (const auto& value : top_a) {
        if (std::find(top_b.begin(), top_b.end(), value) == top_b.end()) column.vanished_categories.push_back(value);
      }
    }
    diff.columns.push_back(std::move(column));
  }
  return diff;
}

Json DatasetDiff::ToJson() const {
  auto schema_list = [](const std::vector<ColumnSchema>& columns) {
    Json list = Json::array();
    for (const auto& c : columns) {
      list.push_back({{"name", c.name}, {"type", ColumnTypeName(c.type)}, {"nullable", c.nullable}});
    }
    return list;
  };
  Json changes = Json::array();
  for (const auto& change : type_changes) {
    changes.push_back(
        {{"name", change.name}, {"before", ColumnTypeName(change.before)}, {"after", ColumnTypeName(change.after)}});
  }
  Json column_list = Json::array();
  for (const auto& column : columns) {
    Json statistics = Json::object();
    for (const auto& shift : column.statistics) {
      statistics[shift.statistic] = {{"before", ValueJson(column, shift, shift.before)},
                                     {"after", ValueJson(column, shift, shift.after)},
                                     {"changed", shift.Changed()}};
    }
    Json item = {{"name", column.name},
                 {"type_before", ColumnTypeName(column.type_before)},
                 {"type_after", ColumnTypeName(column.type_after)},
                 {"changed", column.Changed()},
                 {"statistics", std::move(statistics)}};
    if (IsCategoryType(column.type_before) && IsCategoryType(column.type_after)) {
      item["new_categories"] = column.new_categories;
      item["vanished_categories"] = column.vanished_categories;
    }
    column_list.push_back(std::move(item));
  }
  return Json{{"rows", {{"before", rows_before}, {"after", rows_after}}},
              {"added", schema_list(added)},
              {"removed", schema_list(removed)},
              {"type_changes", std::move(changes)},
              {"columns", std::move(column_list)}};
}

std::string DatasetDiff::Render() const {
  std::string out = "rows: " + std::to_string(rows_before) + " -> " + std::to_string(rows_after);
  if (rows_after != rows_before) {
    out += " (" + std::string(rows_after > rows_before ? "+" : "") + std::to_string(rows_after - rows_before) + ")";
  }
  out += "\n";
  for (const auto& column : added) {
    out += "added column: " + column.name + " (" + std::string(ColumnTypeName(column.type)) + ")\n";
  }
  for (const auto& column : removed) {
    out += "removed column: " + column.name + " (" + std::string(ColumnTypeName(column.type)) + ")\n";
  }
  for (const auto& change : type_changes) {
    out += "type changed: " + change.name + " " + std::string(ColumnTypeName(change.before)) + " -> " +
           std::string(ColumnTypeName(change.after)) + "\n";
  }
  TextTable table({"column", "statistic", "before", "after", "change"});
  std::string categories;
  for (const auto& column : columns) {
    for (const auto& shift : column.statistics) {
      if (!shift.Changed()) continue;
      table.AddRow({column.name, shift.statistic, ShowValue(column, shift, shift.before),
                    ShowValue(column, shift, shift.after), ShowChange(column, shift)});
    }
    if (!column.new_categories.empty()) {
      categories += column.name + ": new categories: " + Join(column.new_categories, ", ") + "\n";
    }
    if (!column.vanished_categories.empty()) {
      categories += column.name + ": vanished categories: " + Join(column.vanished_categories, ", ") + "\n";
    }
  }
  if (table.size() == 0) {
    out += "no column statistic changed\n";
  } else {
    out += "\n" + table.Render();
    if (out.back() != '\n') out += "\n";
  }
  if (!categories.empty()) out += "\n" + categories;
  return out;
}

}  // namespace cairn::data
