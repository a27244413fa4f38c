#include "learn_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "cairn/core/file_io.h"
#include "cairn/learn/random.h"

namespace cairn::learn::testing {

data::Table SyntheticTable(size_t rows, uint64_t seed) {
  SplitMix64 random(seed);
  std::vector<double> num_a(rows);
  std::vector<int64_t> num_b(rows), when(rows), y_binary(rows);
  std::vector<uint8_t> flag(rows), a_nulls(rows), b_nulls(rows, 0), flag_nulls(rows, 0), color_nulls(rows), when_nulls(rows),
      zero(rows, 0);
  std::vector<int32_t> color(rows), y_class(rows);
  std::vector<double> y_value(rows);
  for (size_t i = 0; i < rows; ++i) {
    double a = random.Uniform() * 4 - 2;
    num_a[i] = a;
    a_nulls[i] = random.Uniform() < 0.08;
    num_b[i] = static_cast<int64_t>(random.Below(50));
    flag[i] = random.Uniform() < 0.4;
    color[i] = static_cast<int32_t>(random.Below(4));
    color_nulls[i] = random.Uniform() < 0.05;
    // 2019-01-01 plus up to ~4 years, at any second of the day.
    when[i] = (1546300800LL + static_cast<int64_t>(random.Below(4 * 365 * 86400))) * 1000000LL;
    when_nulls[i] = random.Uniform() < 0.05;
    double month = static_cast<double>((when[i] / 86400000000LL / 30) % 12);
    double score = 1.2 * (a_nulls[i] ? 0 : a) + 0.04 * static_cast<double>(num_b[i]) - 1 + (flag[i] ? 0.7 : 0) +
                   (color_nulls[i] ? 0 : 0.5 * color[i] - 0.7) + 0.05 * month;
    double noise = random.Uniform() * 2 - 1;
    y_binary[i] = score + noise > 0 ? 1 : 0;
    y_class[i] = score + noise < -0.5 ? 0 : score + noise < 0.8 ? 1 : 2;
    y_value[i] = 10 * score + 3 * noise + 50;
  }
  data::Table table;
  table.AddColumn(data::Column::FromFloats("num_a", num_a, a_nulls));
  table.AddColumn(data::Column::FromIntegers("num_b", num_b, b_nulls));
  table.AddColumn(data::Column::FromBooleans("flag", flag, flag_nulls));
  table.AddColumn(data::Column::FromCategorical("color", color, {"red", "green", "blue", "amber"}, color_nulls));
  table.AddColumn(data::Column::FromDatetimes("when", when, when_nulls));
  table.AddColumn(data::Column::FromIntegers("y_binary", y_binary, zero));
  table.AddColumn(data::Column::FromCategorical("y_class", y_class, {"a", "b", "c"}, zero));
  table.AddColumn(data::Column::FromFloats("y_value", y_value, zero));
  return table;
}

std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  char* made = mkdtemp(buffer.data());
  if (made == nullptr) throw std::runtime_error("mkdtemp failed");
  return made;
}

data::Table WithUnknownColor(const data::Table& table, size_t row, const std::string& value) {
  data::Table out;
  for (const auto& column : table.columns()) {
    if (column.name() != "color") {
      out.AddColumn(column);
      continue;
    }
    std::vector<int32_t> codes = column.codes();
    std::vector<std::string> dictionary = column.dictionary();
    std::vector<uint8_t> nulls = column.nulls();
    dictionary.push_back(value);
    codes[row] = static_cast<int32_t>(dictionary.size() - 1);
    nulls[row] = 0;
    out.AddColumn(data::Column::FromCategorical("color", codes, dictionary, nulls));
  }
  return out;
}

Json OrtInputs(const data::Table& table, std::span<const size_t> rows, const Json& inputs) {
  Json feeds = Json::object();
  for (const auto& input : inputs) {
    std::string name = input.at("name");
    std::string type = input.at("type");
    const data::Column& column = table.column(name);
    Json values = Json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if (type == "string") {
        values.push_back(column.IsNull(row) ? "" : column.ValueText(row));
      } else {
        double value = column.NumericValue(row);
        if (std::isnan(value)) {
          values.push_back(nullptr);
        } else {
          values.push_back(value);
        }
      }
    }
    feeds[name] = {{"type", type == "string" ? "string" : type == "double" ? "float64" : "float32"},
                   {"shape", {rows.size(), 1}},
                   {"data", values}};
  }
  return feeds;
}

Json RunOrt(const std::string& model_bytes, const Json& inputs, const std::filesystem::path& dir) {
  WriteFileAtomic(dir / "model.onnx", model_bytes);
  WriteFileAtomic(dir / "inputs.json", inputs.dump());
  std::string command = "node " + std::string(CAIRN_SOURCE_DIR) + "/tests/tools/ort/ort_run.js " + (dir / "model.onnx").string() + " " +
                        (dir / "inputs.json").string() + " " + (dir / "outputs.json").string() + " 2> " + (dir / "ort.err").string();
  int status = std::system(command.c_str());
  if (status != 0) {
    ADD_FAILURE() << "ONNX Runtime failed: " << ReadFile(dir / "ort.err");
    return Json::object();
  }
  return Json::parse(ReadFile(dir / "outputs.json"));
}

std::string RunPython(const std::string& script, const std::filesystem::path& dir) {
  WriteFileAtomic(dir / "reference.py", script);
  std::string command = "cd " + dir.string() + " && /usr/bin/python3 reference.py > python.out 2> python.err";
  int status = std::system(command.c_str());
  if (status != 0) ADD_FAILURE() << "python failed: " << ReadFile(dir / "python.err");
  return ReadFile(dir / "python.out");
}

}  // namespace cairn::learn::testing
