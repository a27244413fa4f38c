// Parity with the reference implementations on scikit-learn's bundled data:
// logistic regression (binary, multinomial, and multinomial on wide one-hot input) and ridge coefficients against
// scikit-learn, GBDT and random-forest predictions against python xgboost,
// all fitted on the very same float32 matrices (one python run for the suite).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cairn/core/file_io.h"
#include "cairn/learn/trainer_registry.h"
#include "cairn/learn/trainers/ridge_trainer.h"
#include "cairn/learn/trainers/xgboost_trainer.h"
#include "learn_test_support.h"

namespace cairn::learn {
namespace {

const char* kScript = R"PY(
import json
import numpy as np
import xgboost as xgb
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

def prepare(name, X, y, stratify):
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y if stratify else None)
    scaler = StandardScaler().fit(Xtr)
    # The same float32 numbers cairn's trainers see, widened back for scikit-learn.
    Xtr = scaler.transform(Xtr).astype(np.float32)
    Xte = scaler.transform(Xte).astype(np.float32)
    np.savetxt(name + "_x_train.csv", Xtr, fmt="%.9g", delimiter=",")
    np.savetxt(name + "_x_test.csv", Xte, fmt="%.9g", delimiter=",")
    np.savetxt(name + "_y_train.csv", ytr, fmt="%.17g")
    return Xtr, Xte, ytr

out = {}
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xte, ytr = prepare("cancer", X, y, True)
lr = LogisticRegression(C=0.5, solver="lbfgs", tol=1e-12, max_iter=100000).fit(Xtr.astype(np.float64), ytr)
out["logistic_binary"] = {"coef": lr.coef_.ravel().tolist(), "intercept": lr.intercept_.tolist()}
params = {"objective": "binary:logistic", "tree_method": "hist", "seed": 17, "verbosity": 1, "max_depth": 4,
          "learning_rate": 0.2, "min_child_weight": 1, "subsample": 0.8, "colsample_bynode": 0.7, "reg_lambda": 1,
          "max_bin": 256, "nthread": 1, "colsample_bytree": 0.9, "reg_alpha": 0, "gamma": 0}
booster = xgb.train(params, xgb.DMatrix(Xtr, label=ytr, missing=np.nan), num_boost_round=30)
out["gbdt"] = booster.predict(xgb.DMatrix(Xte, missing=np.nan)).astype(np.float64).tolist()
rf = {"objective": "binary:logistic", "tree_method": "hist", "seed": 17, "verbosity": 1, "max_depth": 5,
      "learning_rate": 1, "min_child_weight": 1, "subsample": 0.8, "colsample_bynode": 0.8, "reg_lambda": 1e-5,
      "max_bin": 256, "nthread": 1, "num_parallel_tree": 25}
forest = xgb.train(rf, xgb.DMatrix(Xtr, label=ytr, missing=np.nan), num_boost_round=1)
out["random_forest"] = forest.predict(xgb.DMatrix(Xte, missing=np.nan)).astype(np.float64).tolist()

X, y = load_wine(return_X_y=True)
Xtr, Xte, ytr = prepare("wine", X, y, True)
lr = LogisticRegression(C=2.0, solver="lbfgs", tol=1e-12, max_iter=100000).fit(Xtr.astype(np.float64), ytr)
out["logistic_multinomial"] = {"coef": lr.coef_.ravel().tolist(), "intercept": lr.intercept_.tolist()}

X, y = load_diabetes(return_X_y=True)
Xtr, Xte, ytr = prepare("diabetes", X, y, False)
ridge = Ridge(alpha=3.0).fit(Xtr.astype(np.float64), ytr)
out["ridge"] = {"coef": ridge.coef_.ravel().tolist(), "intercept": [float(ridge.intercept_)]}

# Wide and one-hot, as encoded categories make it: 4 categories of 20 levels and
# 6 numbers (86 columns), 6 classes.
rng = np.random.default_rng(5)
levels = rng.integers(0, 20, size=(600, 4))
onehot = np.zeros((600, 80))
for j in range(4):
    onehot[np.arange(600), j * 20 + levels[:, j]] = 1
numbers = rng.normal(size=(600, 6))
Xw = np.hstack([onehot, numbers]).astype(np.float32)
yw = (levels[:, 0] % 3 + 3 * (numbers[:, 0] + 0.5 * rng.normal(size=600) > 0)).astype(np.float64)
np.savetxt("wide_x_train.csv", Xw, fmt="%.9g", delimiter=",")
np.savetxt("wide_y_train.csv", yw, fmt="%.17g")
# scikit-learn's own L-BFGS stops here on its relative-decrease test with a gradient
# near 1e-3; Newton-CG reaches 1e-9.
lr = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=1000).fit(Xw.astype(np.float64), yw)
out["logistic_wide"] = {"coef": lr.coef_.ravel().tolist(), "intercept": lr.intercept_.tolist()}
with open("reference.json", "w") as f:
    json.dump(out, f)
)PY";

FeatureMatrix ReadMatrix(const std::filesystem::path& path) {
  FeatureMatrix m;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    size_t cols = 0;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) {
      m.values.push_back(std::stof(cell));
      ++cols;
    }
    m.cols = cols;
    ++m.rows;
  }
  return m;
}

std::vector<double> ReadVector(const std::filesystem::path& path) {
  std::vector<double> values;
  std::istringstream in(ReadFile(path));
  double value = 0;
  while (in >> value) values.push_back(value);
  return values;
}

class ReferenceParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::MakeTempDir("cairn-learn-parity"));
    testing::RunPython(kScript, *dir_);
    reference_ = new Json(Json::parse(ReadFile(*dir_ / "reference.json")));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete reference_;
  }

  static std::unique_ptr<Model> Fit(const std::string& name, const std::string& trainer, Task task, int classes, const Json& params,
                                    uint64_t seed = 17) {
    train_x_ = ReadMatrix(*dir_ / (name + "_x_train.csv"));
    train_y_ = ReadVector(*dir_ / (name + "_y_train.csv"));
    const TrainerEntry* entry = FindTrainer(trainer);
    TrainingSet data{train_x_, train_y_, task, classes, seed};
    return entry->fit(data, ModelParams::Read(entry->params(), params, "model.params"), nullptr);
  }

  static void ExpectCoefficients(const Model& model, const Json& reference, double tolerance) {
    const LinearCoefficients* c = CoefficientsOf(model);
    ASSERT_NE(c, nullptr);
    auto coef = reference.at("coef").get<std::vector<double>>();
    auto intercept = reference.at("intercept").get<std::vector<double>>();
    ASSERT_EQ(c->weights.size(), coef.size());
    ASSERT_EQ(c->intercepts.size(), intercept.size());
    for (size_t i = 0; i < coef.size(); ++i) EXPECT_NEAR(c->weights[i], coef[i], tolerance) << "coefficient " << i;
    for (size_t i = 0; i < intercept.size(); ++i) EXPECT_NEAR(c->intercepts[i], intercept[i], tolerance) << "intercept " << i;
  }

  static std::filesystem::path* dir_;
  static Json* reference_;
  static FeatureMatrix train_x_;
  static std::vector<double> train_y_;
};

std::filesystem::path* ReferenceParity::dir_ = nullptr;
Json* ReferenceParity::reference_ = nullptr;
FeatureMatrix ReferenceParity::train_x_;
std::vector<double> ReferenceParity::train_y_;

TEST_F(ReferenceParity, BinaryLogisticMatchesScikitLearn) {
  auto model = Fit("cancer", "logistic", Task::kBinary, 2, {{"C", 0.5}});
  ExpectCoefficients(*model, reference_->at("logistic_binary"), 1e-4);
}

TEST_F(ReferenceParity, MultinomialLogisticMatchesScikitLearn) {
  auto model = Fit("wine", "logistic", Task::kMulticlass, 3, {{"C", 2.0}});
  ExpectCoefficients(*model, reference_->at("logistic_multinomial"), 1e-4);
}

TEST_F(ReferenceParity, WideMultinomialLogisticMatchesScikitLearn) {
  auto model = Fit("wide", "logistic", Task::kMulticlass, 6, {{"C", 1.0}});
  ExpectCoefficients(*model, reference_->at("logistic_wide"), 1e-6);
}

TEST_F(ReferenceParity, RidgeMatchesScikitLearn) {
  auto model = Fit("diabetes", "linear", Task::kRegression, 1, {{"alpha", 3.0}});
  ExpectCoefficients(*model, reference_->at("ridge"), 1e-6);
}

TEST_F(ReferenceParity, GbdtMatchesPythonXgboost) {
  auto model = Fit("cancer", "gbdt", Task::kBinary, 2,
                   {{"n_estimators", 30}, {"max_depth", 4}, {"learning_rate", 0.2}, {"subsample", 0.8}, {"colsample_bynode", 0.7},
                    {"colsample_bytree", 0.9}, {"nthread", 1}});
  Predictions predictions = model->Predict(ReadMatrix(*dir_ / "cancer_x_test.csv"));
  auto expected = reference_->at("gbdt").get<std::vector<double>>();
  ASSERT_EQ(predictions.rows, expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(predictions.at(i, 1), expected[i], 1e-6) << "row " << i;
}

TEST_F(ReferenceParity, RandomForestMatchesPythonXgboost) {
  auto model = Fit("cancer", "random_forest", Task::kBinary, 2, {{"n_estimators", 25}, {"max_depth", 5}, {"nthread", 1}});
  Predictions predictions = model->Predict(ReadMatrix(*dir_ / "cancer_x_test.csv"));
  auto expected = reference_->at("random_forest").get<std::vector<double>>();
  ASSERT_EQ(predictions.rows, expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(predictions.at(i, 1), expected[i], 1e-6) << "row " << i;
}

}  // namespace
}  // namespace cairn::learn
