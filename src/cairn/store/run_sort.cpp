#include "cairn/store/run_sort.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::store {
namespace {

// -1, 0 or 1 for two present values: numbers before text.
int CompareValues(const FieldValue& a, const FieldValue& b) {
  if (a.numeric != b.numeric) return a.numeric ? -1 : 1;
  if (a.numeric) return a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
  const int order = a.text.compare(b.text);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

}  // namespace

RunSortKey ParseRunSortKey(std::string_view text) {
  std::string_view trimmed = Trim(text);
  RunSortKey key;
  if (!trimmed.empty() && (trimmed.front() == '-' || trimmed.front() == '+')) {
    key.descending = trimmed.front() == '-';
    trimmed.remove_prefix(1);
  }
  if (trimmed.empty()) ThrowInvalidInput("sort key '" + std::string(text) + "' names no field");
  std::string error;
  const auto field = TryParseRunField(trimmed, &error);
  if (!field) ThrowInvalidInput("sort key '" + std::string(Trim(text)) + "': " + error);
  key.field = *field;
  return key;
}

std::vector<RunSortKey> ParseRunSortKeys(const std::vector<std::string>& texts) {
  std::vector<RunSortKey> keys;
  for (const std::string& text : texts) {
    for (const std::string& part : Split(text, ',')) {
      if (Trim(part).empty()) continue;
      keys.push_back(ParseRunSortKey(part));
    }
  }
  return keys;
}

void SortRuns(std::vector<Run>& runs, const std::vector<RunSortKey>& keys) {
  // Values are looked up once per run rather than once per comparison.
  std::vector<std::vector<std::optional<FieldValue>>> values(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    values[i].reserve(keys.size());
    for (const RunSortKey& key : keys) {
      auto value = FieldValueOf(runs[i], key.field);
      // NaN has no place among numbers; it sorts with the missing values, last.
      if (value && value->numeric && std::isnan(value->number)) value.reset();
      values[i].push_back(std::move(value));
    }
  }
  std::vector<size_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const auto& va = values[a][k];
      const auto& vb = values[b][k];
      if (!va || !vb) {
        if (va.has_value() != vb.has_value()) return va.has_value();  // missing last
        continue;
      }
      const int c = CompareValues(*va, *vb);
      if (c != 0) return keys[k].descending ? c > 0 : c < 0;
    }
    if (runs[a].start_time != runs[b].start_time) return runs[a].start_time > runs[b].start_time;
    return runs[a].id < runs[b].id;
  });
  std::vector<Run> sorted;
  sorted.reserve(runs.size());
  for (size_t index : order) sorted.push_back(std::move(runs[index]));
  runs = std::move(sorted);
}

}  // namespace cairn::store
