#include "cairn/monitor/logged_traffic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/monitor/drift_engine.h"
#include "cairn/monitor/schedule.h"
#include "cairn/store/prediction_log_store.h"

namespace cairn::monitor {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int64_t ParseTime(const std::string& text, const char* flag) {
  auto micros = ParseUtc(text);
  if (!micros) ThrowInvalidInput(std::string(flag) + ": '" + text + "' is not an ISO-8601 UTC time such as 2026-11-24T10:00:00Z");
  return *micros;
}

// The text a value is compared by: JSON strings as they are, numbers in their shortest form.
std::string ValueText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return FormatNumber(value.get<double>());
  return value.dump();
}

// A scalar inside a row that may be nested one level ([[0.3]] for shape [N, 1]).
const Json* Scalar(const Json& cell) {
  const Json* value = &cell;
  while (value->is_array() && value->size() == 1) value = &(*value)[0];
  return value->is_array() || value->is_object() ? nullptr : value;
}

double AsNumber(const Json* value) {
  if (!value) return kNaN;
  if (value->is_number()) return value->get<double>();
  if (value->is_boolean()) return value->get<bool>() ? 1.0 : 0.0;
  return kNaN;
}

// Builds one page of inputs into a table typed as the reference's columns.
class PageBuilder {
 public:
  explicit PageBuilder(const stats::ReferenceData& reference) {
    for (const auto& f : reference.data.features) columns_.push_back({&f, {}, {}, {}, false});
  }

  void AddRequest(const Json& inputs, int64_t rows) {
    for (Slot& slot : columns_) {
      // A feature absent from one request is missing in its rows, so columns stay aligned.
      auto it = inputs.find(slot.feature->name);
      const bool present = it != inputs.end() && it->is_array();
      slot.seen = slot.seen || present;
      for (int64_t r = 0; r < rows; ++r) {
        const Json* value = present && r < static_cast<int64_t>(it->size()) ? Scalar((*it)[r]) : nullptr;
        const bool null = !value || value->is_null();
        slot.nulls.push_back(null ? 1 : 0);
        if (slot.feature->kind == stats::FeatureKind::kNumeric) {
          const double number = null ? 0.0 : AsNumber(value);
          slot.numbers.push_back(std::isnan(number) ? 0.0 : number);
          if (!null && std::isnan(number)) slot.nulls.back() = 1;  // text where a number belongs counts as missing
        } else {
          // An empty category is a missing value, as in the CSV the reference was read from.
          std::string text = null ? std::string() : ValueText(*value);
          if (text.empty()) slot.nulls.back() = 1;
          slot.texts.push_back(std::move(text));
        }
      }
    }
  }

  data::Table Finish() {
    data::Table table;
    for (Slot& slot : columns_) {
      if (!slot.seen) continue;
      if (slot.feature->kind == stats::FeatureKind::kNumeric) {
        table.AddColumn(data::Column::FromFloats(slot.feature->name, std::move(slot.numbers), std::move(slot.nulls)));
      } else {
        data::Column column(slot.feature->name, data::ColumnType::kCategorical);
        for (std::size_t r = 0; r < slot.texts.size(); ++r) {
          if (slot.nulls[r]) {
            column.AppendNull();
          } else {
            column.AppendCategorical(slot.texts[r]);
          }
        }
        table.AddColumn(std::move(column));
      }
      slot.numbers.clear(), slot.texts.clear(), slot.nulls.clear();
    }
    return table;
  }

 private:
  struct Slot {
    const stats::FeatureSummary* feature;
    std::vector<double> numbers;
    std::vector<std::string> texts;
    std::vector<uint8_t> nulls;
    bool seen;
  };
  std::vector<Slot> columns_;
};

// Every logged input of the labelled rows, typed by what the log holds:
// numbers stay numbers, anything else is a category.
class LabelledRows {
 public:
  void Add(const Json& inputs, int64_t row, const Json& truth) {
    for (const auto& [name, values] : inputs.items()) {
      Values& column = columns_[name];
      column.cells.resize(count_);  // a column that appears late is null before
      const Json* value = values.is_array() && row < static_cast<int64_t>(values.size()) ? Scalar(values[row]) : nullptr;
      const bool empty = value && value->is_string() && value->get_ref<const std::string&>().empty();
      column.cells.push_back(value && !empty ? *value : Json());
      if (value && !value->is_null() && !value->is_number()) column.numeric = false;
    }
    target_.push_back(truth);
    ++count_;
  }

  data::Table Finish(const std::string& target, const std::vector<std::string>& datetimes) {
    data::Table table;
    for (auto& [name, column] : columns_) {
      column.cells.resize(count_);
      const bool datetime = column.numeric && std::find(datetimes.begin(), datetimes.end(), name) != datetimes.end();
      table.AddColumn(datetime ? BuildDatetime(name, column.cells) : Build(name, column.cells, column.numeric));
    }
    bool numeric = true;
    for (const Json& t : target_) numeric = numeric && t.is_number();
    table.AddColumn(Build(target, target_, numeric));
    return table;
  }

 private:
  struct Values {
    std::vector<Json> cells;
    bool numeric = true;
  };

  static data::Column Build(const std::string& name, const std::vector<Json>& cells, bool numeric) {
    data::Column column(name, numeric ? data::ColumnType::kFloat : data::ColumnType::kCategorical);
    for (const Json& cell : cells) {
      if (cell.is_null()) {
        column.AppendNull();
      } else if (numeric) {
        column.AppendFloat(cell.get<double>());
      } else {
        column.AppendCategorical(ValueText(cell));
      }
    }
    return column;
  }

  static data::Column BuildDatetime(const std::string& name, const std::vector<Json>& cells) {
    data::Column column(name, data::ColumnType::kDatetime);
    for (const Json& cell : cells) {
      if (cell.is_null()) {
        column.AppendNull();
      } else {
        column.AppendDatetime(static_cast<int64_t>(std::llround(cell.get<double>())));
      }
    }
    return column;
  }

  std::map<std::string, Values> columns_;
  std::vector<Json> target_;
  size_t count_ = 0;
};

Json ParseLogged(const std::string& text, const std::string& what, const std::string& request_id) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) ThrowCorrupt("prediction log: the " + what + " of request " + request_id + " are not JSON");
  return value;
}

}  // namespace

TrafficWindow ResolveTrafficWindow(const std::optional<std::string>& window, const std::optional<std::string>& from,
                                   const std::optional<std::string>& to, int64_t now) {
  if (window && (from || to)) ThrowInvalidInput("--window cannot be combined with --from or --to");
  TrafficWindow out{0, now + 1};
  if (window) {
    out.from = now - ParseEvery(*window, "--window") * 1000000;
    return out;
  }
  if (from) out.from = ParseTime(*from, "--from");
  if (to) out.to = ParseTime(*to, "--to");
  if (out.from >= out.to)
    ThrowInvalidInput("--from " + FormatUtc(out.from) + " is not before --to " + FormatUtc(out.to));
  return out;
}

ScoreReader ScoreReader::ForModel(const store::ModelVersion& model) {
  ScoreReader reader;
  const Json& props = model.metadata.contains("metadata_props") ? model.metadata["metadata_props"] : Json::object();
  auto text = [&](const char* key) -> std::string {
    return props.contains(key) && props[key].is_string() ? props[key].get<std::string>() : std::string();
  };
  const std::string task = text("cairn.task");
  if (task == "binary") reader.task = Task::kBinary;
  if (task == "multiclass") reader.task = Task::kMulticlass;
  if (task == "regression") reader.task = Task::kRegression;
  Json classes = Json::parse(text("cairn.classes"), nullptr, false);
  if (classes.is_array())
    for (const Json& c : classes) reader.classes.push_back(ValueText(c));
  if (reader.task == Task::kUnknown && reader.classes.size() == 2) reader.task = Task::kBinary;
  return reader;
}

std::vector<std::string> ScoreReader::DatetimeInputs(const store::ModelVersion& model) {
  std::vector<std::string> out;
  const Json& props = model.metadata.contains("metadata_props") ? model.metadata["metadata_props"] : Json::object();
  if (!props.contains("cairn.inputs") || !props["cairn.inputs"].is_string()) return out;
  const Json inputs = Json::parse(props["cairn.inputs"].get<std::string>(), nullptr, false);
  if (!inputs.is_array()) return out;
  for (const Json& input : inputs)
    if (input.is_object() && input.value("kind", "") == "datetime" && input.contains("name") && input["name"].is_string())
      out.push_back(input["name"].get<std::string>());
  return out;
}

std::vector<double> ScoreReader::Scores(const Json& outputs, int64_t rows) const {
  std::vector<double> scores(static_cast<std::size_t>(rows), kNaN);
  if (task == Task::kRegression) {
    // The regressor's output ("variable", or the only output of an imported model).
    const Json* values = outputs.contains("variable") ? &outputs["variable"]
                         : outputs.size() == 1        ? &outputs.begin().value()
                                                      : nullptr;
    if (!values || !values->is_array()) return scores;
    for (int64_t r = 0; r < rows && r < static_cast<int64_t>(values->size()); ++r) scores[r] = AsNumber(Scalar((*values)[r]));
    return scores;
  }
  if (task != Task::kBinary) return scores;
  // Probabilities as a [N, 2] tensor, or as ZipMap's one map per row keyed by class.
  for (const char* name : {"probabilities", "output_probability"}) {
    if (!outputs.contains(name) || !outputs[name].is_array()) continue;
    const Json& values = outputs[name];
    for (int64_t r = 0; r < rows && r < static_cast<int64_t>(values.size()); ++r) {
      const Json& row = values[r];
      if (row.is_array() && row.size() == 2) {
        scores[r] = AsNumber(&row[1]);
      } else if (row.is_object() && classes.size() == 2) {
        for (const auto& [key, value] : row.items())
          if (key == classes[1]) scores[r] = AsNumber(&value);
      }
    }
    return scores;
  }
  return scores;
}

double ScoreReader::Truth(const Json& label) const {
  const Json* value = Scalar(label);
  if (!value || value->is_null()) return kNaN;
  if (task == Task::kRegression) return AsNumber(value);
  if (task != Task::kBinary) return kNaN;
  const std::string text = ValueText(*value);
  if (classes.size() == 2) {
    if (text == classes[1]) return 1.0;
    if (text == classes[0]) return 0.0;
    return kNaN;
  }
  const double number = AsNumber(value);
  return number == 0.0 || number == 1.0 ? number : kNaN;
}

LoggedTraffic ReadLoggedTraffic(store::Store& store, const stats::ReferenceData& reference, const ScoreReader& scores,
                                const TrafficScan& scan) {
  LoggedTraffic out;
  out.source = "log " + FormatUtc(scan.window.from) + " .. " + FormatUtc(scan.window.to);
  CurrentSummarizer summarizer(reference);
  PageBuilder page(reference);
  LabelledRows labelled;
  std::size_t page_rows = 0;
  store::PredictionScan query;
  query.model_name = scan.model_name;
  query.variant = scan.variant;
  query.from = scan.window.from;
  query.to = scan.window.to;
  store.predictions().ScanPredictions(query, [&](const store::LoggedPrediction& logged) {
    const store::PredictionRecord& record = logged.record;
    const Json inputs = ParseLogged(record.inputs, "inputs", record.request_id);
    const int64_t rows = std::max<int64_t>(record.row_count, 0);
    page.AddRequest(inputs, rows);
    ++out.requests;
    out.rows += static_cast<uint64_t>(rows);
    page_rows += static_cast<std::size_t>(rows);
    if (page_rows >= 4096) {
      summarizer.Add(page.Finish());
      page_rows = 0;
    }
    if (!logged.feedback) return;
    const Json truth = ParseLogged(*logged.feedback, "feedback labels", record.request_id);
    const std::vector<double> row_scores = scores.Scores(ParseLogged(record.outputs, "outputs", record.request_id), rows);
    for (int64_t r = 0; r < rows; ++r) {
      // Feedback for a one-row request may be a bare label rather than a list of one.
      const Json& label = truth.is_array() ? (r < static_cast<int64_t>(truth.size()) ? truth[r] : Json()) : truth;
      if (label.is_null()) continue;
      out.scores.push_back(row_scores[r]);
      out.labels.push_back(scores.Truth(label));
      if (scan.keep_labelled_rows) labelled.Add(inputs, r, label);
    }
  });
  if (out.requests == 0)
    ThrowNotFound("the prediction log holds no " + scan.variant + " predictions of '" + scan.model_name + "' in " +
                  out.source.substr(4));
  if (page_rows > 0) summarizer.Add(page.Finish());
  out.summary = summarizer.Finish();
  if (scan.keep_labelled_rows) out.labelled_rows = labelled.Finish(scan.target, scan.datetime_inputs);
  return out;
}

}  // namespace cairn::monitor
