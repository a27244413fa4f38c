// Batch scoring: column mapping (one input per feature, or one matrix input
// named by feature_names metadata), missing values, errors that name the
// column, and identical CSV whatever the batch size and thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cairn/core/error.h"
#include "cairn/data/table_reader.h"
#include "cairn/runtime/batch_scoring.h"
#include "cairn/runtime/model_writer.h"

namespace cairn::runtime {
namespace {

Dimension Fixed(int64_t value) {
  Dimension d;
  d.value = value;
  return d;
}

Dimension Batch() {
  Dimension d;
  d.symbol = "N";
  return d;
}

ValueInfo TensorValue(const std::string& name, DataType type, std::vector<Dimension> dims) {
  return ValueInfo{name, {ValueKind::kTensor, type, DataType::kUndefined, true, std::move(dims)}};
}

Attribute Int(const std::string& name, int64_t value) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInt;
  a.i = value;
  return a;
}

// skl2onnx-style: age, income float [N, 1], city string [N, 1] ->
// city code by LabelEncoder -> weighted sum -> sigmoid -> probabilities
// [N, 2] and label [N]. Every op works row by row, so any batching gives
// bit-identical results.
Model PerFeatureModel() {
  Model model;
  model.ir_version = 8;
  model.opsets[""] = 15;
  model.opsets["ai.onnx.ml"] = 2;
  model.metadata_props.emplace_back("cairn.classes", R"(["no", "yes"])");
  auto& g = model.graph;
  g.inputs.push_back(TensorValue("age", DataType::kFloat32, {Batch(), Fixed(1)}));
  g.inputs.push_back(TensorValue("income", DataType::kFloat32, {Batch(), Fixed(1)}));
  g.inputs.push_back(TensorValue("city", DataType::kString, {Batch(), Fixed(1)}));
  g.outputs.push_back(TensorValue("label", DataType::kInt64, {Batch()}));
  g.outputs.push_back(TensorValue("probabilities", DataType::kFloat32, {Batch(), Fixed(2)}));
  g.initializers.emplace_back("weights", Tensor::FromVector<float>({3}, {0.03f, -0.0001f, 0.7f}));
  g.initializers.emplace_back("one", Tensor::FromVector<float>({1}, {1.0f}));
  Node encoder{"city_code", "LabelEncoder", "ai.onnx.ml", {"city"}, {"code"}, {}};
  Attribute keys;
  keys.name = "keys_strings";
  keys.type = AttributeType::kStrings;
  keys.strings = {"paris", "rome", "oslo"};
  Attribute values;
  values.name = "values_floats";
  values.type = AttributeType::kFloats;
  values.floats = {1.0f, -1.0f, 0.5f};
  encoder.attributes = {keys, values};
  g.nodes.push_back(encoder);
  g.nodes.push_back(Node{"features", "Concat", "", {"age", "income", "code"}, {"x"}, {Int("axis", 1)}});
  g.nodes.push_back(Node{"weigh", "Mul", "", {"x", "weights"}, {"wx"}, {}});
  g.nodes.push_back(Node{"sum", "ReduceSum", "", {"wx", "axes"}, {"z"}, {Int("keepdims", 1)}});
  g.initializers.emplace_back("axes", Tensor::FromVector<int64_t>({1}, {1}));
  g.nodes.push_back(Node{"p1", "Sigmoid", "", {"z"}, {"yes"}, {}});
  g.nodes.push_back(Node{"p0", "Sub", "", {"one", "yes"}, {"no"}, {}});
  g.nodes.push_back(Node{"probs", "Concat", "", {"no", "yes"}, {"probabilities"}, {Int("axis", 1)}});
  g.nodes.push_back(Node{"argmax", "ArgMax", "", {"probabilities"}, {"label"}, {Int("axis", 1), Int("keepdims", 0)}});
  return model;
}

// One matrix input [N, 2] fed from the columns named in feature_names.
Model MatrixModel() {
  Model model;
  model.ir_version = 8;
  model.opsets[""] = 15;
  model.metadata_props.emplace_back("feature_names", "income, age");
  auto& g = model.graph;
  g.inputs.push_back(TensorValue("X", DataType::kFloat32, {Batch(), Fixed(2)}));
  g.outputs.push_back(TensorValue("variable", DataType::kFloat32, {Batch(), Fixed(1)}));
  g.initializers.emplace_back("W", Tensor::FromVector<float>({2, 1}, {0.001f, 2.0f}));
  g.nodes.push_back(Node{"linear", "MatMul", "", {"X", "W"}, {"variable"}, {}});
  return model;
}

class PredictTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cairn_predict_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  data::Table WriteAndRead(const std::string& csv) {
    std::string path = dir_ + "/data.csv";
    std::ofstream(path) << csv;
    return data::ReadTableFile(path);
  }

  // 103 rows with a few missing values and an unknown city.
  data::Table SampleTable() {
    std::string csv = "id,age,income,city\n";
    const char* cities[] = {"paris", "rome", "oslo", "lima"};
    for (int i = 0; i < 103; ++i) {
      std::string age = i % 17 == 5 ? "" : std::to_string(20 + i % 50);
      std::string city = i % 23 == 7 ? "" : cities[i % 4];
      csv += std::to_string(i) + "," + age + "," + std::to_string(20000 + 731 * i) + "," + city + "\n";
    }
    return WriteAndRead(csv);
  }

  static std::string Csv(const ScoredTable& scores) {
    std::ostringstream out;
    WriteScoresCsv(scores, out);
    return out.str();
  }

  std::string dir_;
};

TEST_F(PredictTest, BatchSizeAndThreadsDoNotChangeTheCsv) {
  Session session = Session::FromModel(PerFeatureModel());
  data::Table table = SampleTable();
  BatchScoringOptions one{1000, 1, false};
  BatchScoringOptions many{7, 2, false};
  ScoredTable a = ScoreTable(session, table, one);
  ScoredTable b = ScoreTable(session, table, many);
  EXPECT_EQ(a.rows, 103);
  std::string csv = Csv(a);
  EXPECT_EQ(csv, Csv(b));
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "row,label,prob_no,prob_yes");
  // Row 5 has no age: NaN flows through to empty probability fields.
  std::istringstream lines(csv);
  std::string line;
  for (int i = 0; i <= 6; ++i) std::getline(lines, line);
  EXPECT_EQ(line.substr(0, 2), "5,");
  EXPECT_NE(line.find(",,"), std::string::npos) << line;
  EXPECT_GE(a.engine_seconds, 0.0);
}

TEST_F(PredictTest, MissingColumnIsNamedWithASuggestion) {
  Session session = Session::FromModel(PerFeatureModel());
  data::Table table = WriteAndRead("age,incme,city\n30,100,paris\n");
  try {
    ScoreTable(session, table, {1000, 1, false});
    FAIL() << "scored without an income column";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    std::string message = e.what();
    EXPECT_NE(message.find("no column 'income'"), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean 'incme'"), std::string::npos) << message;
  }
}

TEST_F(PredictTest, WrongColumnTypeIsNamed) {
  Session session = Session::FromModel(PerFeatureModel());
  data::Table table = WriteAndRead("age,income,city\nold,100,paris\nyoung,200,rome\n");
  try {
    ScoreTable(session, table, {1000, 1, false});
    FAIL() << "fed a categorical column to a float input";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("column 'age' (categorical)"), std::string::npos) << e.what();
  }
}

TEST_F(PredictTest, MatrixInputUsesFeatureNamesMetadata) {
  Session session = Session::FromModel(MatrixModel());
  data::Table table = WriteAndRead("age,city,income\n30,paris,1000\n40,rome,\n");
  auto bindings = BindInputs(session, table);
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].columns, (std::vector<size_t>{2, 0}));
  ScoredTable scores = ScoreTable(session, table, {1000, 1, false});
  EXPECT_EQ(Csv(scores), "row,variable\n0,61\n1,\n");
}

}  // namespace
}  // namespace cairn::runtime
