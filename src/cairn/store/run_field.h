// A field of a run named in filters and sort keys: metrics.KEY, params.KEY,
// tags.KEY, or an attribute (status, name, start_time, end_time, run_id, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cairn/store/run.h"

namespace cairn::store {

struct RunField {
  enum class Group { kMetric, kParam, kTag, kAttribute };
  Group group = Group::kAttribute;
  // The metric, param or tag key; for attributes one of: status, name, run_id,
  // start_time, end_time, experiment, parent_run_id.
  std::string key;

  // "metrics.roc_auc", "status"
  std::string ToString() const;
  bool is_time() const;  // start_time and end_time: numbers that also accept dates
};

// A field's value on one run: a number, a text, or absent.
struct FieldValue {
  bool numeric = false;
  double number = 0;
  std::string text;
};
std::optional<FieldValue> FieldValueOf(const Run& run, const RunField& field);

// Interprets a field name; empty with a one-sentence reason in `error` when it is not one.
std::optional<RunField> TryParseRunField(std::string_view text, std::string* error);

// Parses a whole field name ("metrics.auc", "params.model", "attributes.status", "status").
// Keys may be written in backquotes when they hold spaces: metrics.`val loss`.
// kInvalidInput naming `context` ("sort key") and the text otherwise.
RunField ParseRunField(std::string_view text, std::string_view context);

// The attribute names accepted bare or after "attributes.".
bool IsRunAttribute(std::string_view name);

}  // namespace cairn::store
