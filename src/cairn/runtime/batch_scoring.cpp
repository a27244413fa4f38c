#include "cairn/runtime/batch_scoring.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "cairn/core/error.h"
#include "cairn/core/json.h"
#include "cairn/core/progress.h"
#include "cairn/core/text.h"
#include "cairn/runtime/known_categories.h"

namespace cairn::runtime {
namespace {

using data::ColumnType;

bool IsNumeric(ColumnType type) { return type != ColumnType::kCategorical; }

std::string MetadataValue(const Model& model, std::string_view key) {
  for (const auto& [k, v] : model.metadata_props) {
    if (k == key) return v;
  }
  return "";
}

// A JSON list of strings, or comma-separated text.
std::vector<std::string> MetadataList(const Model& model, std::string_view key) {
  std::string text(Trim(MetadataValue(model, key)));
  std::vector<std::string> out;
  if (text.empty()) return out;
  if (text.front() == '[') {
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_array()) ThrowInvalidInput(model.source + ": metadata '" + std::string(key) + "' is not a JSON list");
    for (const auto& item : json) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    return out;
  }
  for (const auto& part : Split(text, ',')) out.emplace_back(Trim(part));
  return out;
}

std::string DescribeColumn(const data::Column& column) {
  return "column '" + column.name() + "' (" + std::string(data::ColumnTypeName(column.type())) + ")";
}

[[noreturn]] void ThrowMissingColumn(const data::Table& table, const std::string& name, const std::string& role) {
  std::string message = "data has no column '" + name + "' for " + role;
  std::string hint = ClosestMatch(name, table.column_names());
  if (!hint.empty()) message += "; did you mean '" + hint + "'?";
  ThrowNotFound(message);
}

bool FeedableType(DataType type) {
  return type == DataType::kFloat32 || type == DataType::kFloat64 || type == DataType::kInt64 ||
         type == DataType::kString;
}

// Builds rows [begin, end) of one input.
Tensor BuildInput(const InputBinding& binding, const ValueInfo& info, const data::Table& table, int64_t begin,
                  int64_t end) {
  const int64_t rows = end - begin;
  const int64_t width = static_cast<int64_t>(binding.columns.size());
  Shape shape{rows, width};
  if (info.type.has_shape && info.type.dims.size() == 1) shape = {rows};
  Tensor tensor(binding.type, shape);
  for (int64_t j = 0; j < width; ++j) {
    const data::Column& column = table.column(binding.columns[j]);
    switch (binding.type) {
      case DataType::kFloat32: {
        float* out = tensor.mutable_data<float>();
        for (int64_t r = 0; r < rows; ++r) out[r * width + j] = static_cast<float>(column.NumericValue(begin + r));
        break;
      }
      case DataType::kFloat64: {
        double* out = tensor.mutable_data<double>();
        for (int64_t r = 0; r < rows; ++r) out[r * width + j] = column.NumericValue(begin + r);
        break;
      }
      case DataType::kInt64: {
        int64_t* out = tensor.mutable_data<int64_t>();
        for (int64_t r = 0; r < rows; ++r) {
          double v = column.NumericValue(begin + r);
          if (std::isnan(v)) {
            ThrowInvalidInput(DescribeColumn(column) + " has a missing value in row " + std::to_string(begin + r) +
                              " but model input '" + binding.input + "' takes int64, which has no NaN");
          }
          out[r * width + j] = static_cast<int64_t>(v);
        }
        break;
      }
      case DataType::kString: {
        std::string* out = tensor.mutable_data<std::string>();
        for (int64_t r = 0; r < rows; ++r) {
          size_t row = static_cast<size_t>(begin + r);
          if (column.IsNull(row)) continue;  // missing: the empty string
          out[r * width + j] = column.type() == ColumnType::kCategorical ? column.dictionary()[column.codes()[row]]
                                                                          : column.ValueText(row);
        }
        break;
      }
      default:
        break;
    }
  }
  return tensor;
}

// Where one score column comes from in the model's outputs.
struct ColumnSource {
  size_t output = 0;
  int64_t index = 0;  // element within the row
  bool from_map = false;
};

struct Layout {
  std::vector<ColumnSource> sources;
  std::vector<ScoreColumn> columns;
};

bool IsTextType(DataType type) { return type == DataType::kString; }

std::string ElementText(const Tensor& t, int64_t i) {
  if (t.dtype() == DataType::kString) return t.data<std::string>()[i];
  return FormatDouble(t.ValueAsDouble(i));
}

Layout PlanColumns(const Session& session, const std::vector<Value>& outputs, int64_t rows) {
  Layout layout;
  std::vector<std::string> classes = MetadataList(session.model(), "cairn.classes");
  if (classes.empty()) classes = MetadataList(session.model(), "classes");
  std::set<std::string> taken{"row"};
  auto add = [&](std::string name, const std::string& output, ColumnSource source, bool text) {
    if (taken.count(name) > 0) name += "_" + output;
    while (taken.count(name) > 0) name += "_";
    taken.insert(name);
    layout.sources.push_back(source);
    layout.columns.push_back(ScoreColumn{std::move(name), text, {}, {}});
  };
  for (size_t o = 0; o < outputs.size(); ++o) {
    const std::string& name = session.outputs()[o].name;
    const Value& value = outputs[o];
    if (value.is_map_sequence()) {
      const Tensor& keys = value.map_sequence().keys;
      for (int64_t j = 0; j < keys.size(); ++j) {
        add("prob_" + ElementText(keys, j), name, ColumnSource{o, j, true}, false);
      }
      continue;
    }
    const Tensor& t = value.tensor("output '" + name + "'");
    if (t.rank() == 0 || t.dim(0) != rows) {
      ThrowInvalidInput(session.model().source + ": output '" + name + "' is " + t.Describe() +
                        ", not one row per input row");
    }
    int64_t width = rows == 0 ? 0 : t.size() / rows;
    if (width == 1) {
      add(name, name, ColumnSource{o, 0, false}, IsTextType(t.dtype()));
      continue;
    }
    bool probabilities = ToLower(name).find("prob") != std::string::npos && t.dtype() == DataType::kFloat32;
    bool named = probabilities && static_cast<int64_t>(classes.size()) == width;
    for (int64_t j = 0; j < width; ++j) {
      std::string column = probabilities ? "prob_" + (named ? classes[j] : std::to_string(j))
                                         : name + "_" + std::to_string(j);
      add(column, name, ColumnSource{o, j, false}, IsTextType(t.dtype()));
    }
  }
  return layout;
}

void CopyOutputs(const std::vector<Value>& outputs, const Layout& layout, int64_t begin, int64_t rows,
                 std::vector<ScoreColumn>& columns) {
  for (size_t c = 0; c < layout.sources.size(); ++c) {
    const ColumnSource& source = layout.sources[c];
    const Value& value = outputs[source.output];
    ScoreColumn& column = columns[c];
    if (source.from_map) {
      const Tensor& values = value.map_sequence().values;
      int64_t width = values.rank() == 2 ? values.dim(1) : 1;
      for (int64_t r = 0; r < rows; ++r) column.numbers[begin + r] = values.ValueAsDouble(r * width + source.index);
      continue;
    }
    const Tensor& t = value.tensor();
    if (t.rank() == 0 || t.dim(0) != rows || t.size() % std::max<int64_t>(rows, 1) != 0) {
      ThrowInvalidInput("output " + t.Describe() + " changed shape between batches");
    }
    int64_t width = t.size() / rows;
    if (source.index >= width) ThrowInvalidInput("output " + t.Describe() + " changed width between batches");
    if (column.is_text) {
      for (int64_t r = 0; r < rows; ++r) column.strings[begin + r] = ElementText(t, r * width + source.index);
    } else {
      for (int64_t r = 0; r < rows; ++r) column.numbers[begin + r] = t.ValueAsDouble(r * width + source.index);
    }
  }
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string NumberText(double v) {
  if (std::isnan(v)) return "";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

}  // namespace

std::vector<InputBinding> BindInputs(const Session& session, const data::Table& table) {
  const Model& model = session.model();
  std::vector<InputBinding> bindings;
  const auto& inputs = session.inputs();
  for (const auto& info : inputs) {
    if (info.type.kind != ValueKind::kTensor || !FeedableType(info.type.elem_type)) {
      ThrowUnsupported(model.source + ": model input '" + info.name + "' is " + info.type.ToString() +
                       "; cairn predict feeds float, double, int64 and string inputs");
    }
  }
  // One float matrix input: a feature vector per row.
  if (inputs.size() == 1) {
    const ValueInfo& info = inputs[0];
    const auto& dims = info.type.dims;
    bool matrix = (info.type.elem_type == DataType::kFloat32 || info.type.elem_type == DataType::kFloat64) &&
                  info.type.has_shape && dims.size() == 2 &&
                  !(dims[1].value == 1 && table.FindColumn(info.name).has_value());
    if (matrix) {
      InputBinding binding{info.name, info.type.elem_type, {}};
      // cairn's own models name their column order "cairn.feature_order".
      std::vector<std::string> names = MetadataList(model, "cairn.feature_order");
      if (names.empty()) names = MetadataList(model, "feature_names");
      std::string role = "model input '" + info.name + "'";
      if (!names.empty()) {
        for (const auto& name : names) {
          std::optional<size_t> index = table.FindColumn(name);
          if (!index) ThrowMissingColumn(table, name, "feature '" + name + "' of " + role);
          if (!IsNumeric(table.column(*index).type())) {
            ThrowInvalidInput(DescribeColumn(table.column(*index)) + " is not numeric; " + role + " takes " +
                              info.type.ToString());
          }
          binding.columns.push_back(*index);
        }
      } else {
        for (size_t c = 0; c < table.num_columns(); ++c) {
          if (IsNumeric(table.column(c).type())) binding.columns.push_back(c);
        }
      }
      if (dims[1].value && *dims[1].value != static_cast<int64_t>(binding.columns.size())) {
        ThrowInvalidInput(model.source + ": " + role + " takes " + std::to_string(*dims[1].value) +
                          " features but the data gives " + std::to_string(binding.columns.size()) +
                          (names.empty() ? " numeric columns (the model has no feature_names metadata to choose them)"
                                         : " named by its feature_names metadata"));
      }
      bindings.push_back(std::move(binding));
      return bindings;
    }
  }
  // One input per feature, named after its column.
  std::vector<std::string> missing;
  for (const auto& info : inputs) {
    if (!table.FindColumn(info.name)) missing.push_back(info.name);
  }
  if (missing.size() == 1) ThrowMissingColumn(table, missing[0], "model input '" + missing[0] + "'");
  if (missing.size() > 1) {
    ThrowNotFound("data lacks columns for " + std::to_string(missing.size()) + " model inputs: " +
                  Join(missing, ", ") + "; the closest to '" + missing[0] + "' is '" +
                  ClosestMatch(missing[0], table.column_names()) + "'");
  }
  for (const auto& info : inputs) {
    size_t index = *table.FindColumn(info.name);
    const data::Column& column = table.column(index);
    if (info.type.elem_type != DataType::kString && !IsNumeric(column.type())) {
      ThrowInvalidInput(DescribeColumn(column) + " cannot feed model input '" + info.name + "', which takes " +
                        info.type.ToString());
    }
    if (info.type.has_shape && info.type.dims.size() == 2 && info.type.dims[1].value &&
        *info.type.dims[1].value != 1) {
      ThrowUnsupported(model.source + ": model input '" + info.name + "' is " + info.type.ToString() +
                       "; cairn predict feeds one column per input");
    }
    bindings.push_back(InputBinding{info.name, info.type.elem_type, {index}});
  }
  return bindings;
}

ScoredTable ScoreTable(const Session& session, const data::Table& table, const BatchScoringOptions& options) {
  if (options.batch_size < 1) ThrowInvalidInput("batch size must be at least 1, got " + std::to_string(options.batch_size));
  if (options.threads < 1) ThrowInvalidInput("thread count must be at least 1, got " + std::to_string(options.threads));
  std::vector<InputBinding> bindings = BindInputs(session, table);
  KnownCategories categories = KnownCategories::FromModel(session.model());
  for (const auto& binding : bindings) {
    if (categories.enforced() && binding.type == DataType::kString && binding.columns.size() == 1) {
      categories.CheckColumn(binding.input, table.column(binding.columns[0]));
    }
  }
  ScoredTable scores;
  scores.rows = static_cast<int64_t>(table.num_rows());
  if (scores.rows == 0) return scores;
  const int64_t batches = (scores.rows + options.batch_size - 1) / options.batch_size;

  std::mutex mutex;  // guards the progress bar, the timings and `failure`
  std::unique_ptr<ProgressBar> progress;
  if (options.show_progress) progress = std::make_unique<ProgressBar>("scoring", scores.rows, "rows");
  std::exception_ptr failure;
  Layout layout;

  // Runs batch `b`; the first batch also fixes the column layout.
  auto run_batch = [&](int64_t b) {
    auto start = std::chrono::steady_clock::now();
    int64_t begin = b * options.batch_size;
    int64_t end = std::min(scores.rows, begin + options.batch_size);
    std::vector<Value> inputs;
    for (size_t i = 0; i < bindings.size(); ++i) {
      inputs.emplace_back(BuildInput(bindings[i], session.inputs()[i], table, begin, end));
    }
    auto engine_start = std::chrono::steady_clock::now();
    std::vector<Value> outputs = session.RunOrdered(std::move(inputs));
    double engine = Seconds(engine_start);
    if (b == 0) {
      layout = PlanColumns(session, outputs, end - begin);
      scores.columns = layout.columns;
      for (auto& column : scores.columns) {
        if (column.is_text) column.strings.resize(scores.rows);
        else column.numbers.assign(scores.rows, std::numeric_limits<double>::quiet_NaN());
      }
    }
    CopyOutputs(outputs, layout, begin, end - begin, scores.columns);
    std::lock_guard lock(mutex);
    scores.engine_seconds += engine;
    scores.convert_seconds += Seconds(start) - engine;
    if (progress) progress->Advance(end - begin);
  };

  run_batch(0);
  std::atomic<int64_t> next{1};
  auto worker = [&] {
    for (int64_t b = next++; b < batches; b = next++) {
      try {
        run_batch(b);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        next = batches;  // the others stop after their current batch
      }
    }
  };
  int extra = static_cast<int>(std::min<int64_t>(options.threads, batches - 1)) - 1;
  std::vector<std::thread> pool;
  for (int t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress->Finish();
  return scores;
}

void WriteScoresCsv(const ScoredTable& scores, std::ostream& out) {
  std::string line = "row";
  for (const auto& column : scores.columns) {
    line += ',';
    line += CsvField(column.name);
  }
  out << line << '\n';
  for (int64_t r = 0; r < scores.rows; ++r) {
    line = std::to_string(r);
    for (const auto& column : scores.columns) {
      line += ',';
      line += column.is_text ? CsvField(column.strings[r]) : NumberText(column.numbers[r]);
    }
    out << line << '\n';
  }
}

}  // namespace cairn::runtime
