#include "cairn/learn/trainers/ridge_trainer.h"

#include <Eigen/Dense>

#include "cairn/core/error.h"
#include "cairn/learn/trainers/linear_model.h"

namespace cairn::learn {

const std::vector<ParamSpec>& RidgeParams() {
  static const std::vector<ParamSpec> specs = {
      {"alpha", ParamKind::kNumber, 1.0, 0, 1e12, "L2 penalty on the coefficients"},
      {"fit_intercept", ParamKind::kBool, true, 0, 1, "learn an unpenalised intercept"},
  };
  return specs;
}

std::unique_ptr<Model> FitRidge(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress) {
  if (data.task != Task::kRegression) ThrowInvalidInput("model.type: linear is ridge regression; use logistic for classification");
  const size_t n = data.x.rows;
  const size_t f = data.x.cols;
  Eigen::MatrixXd x(n, f);
  Eigen::VectorXd y(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = data.x.at(i, j);
    y(static_cast<Eigen::Index>(i)) = data.y[i];
  }
  Eigen::RowVectorXd x_mean = Eigen::RowVectorXd::Zero(static_cast<Eigen::Index>(f));
  double y_mean = 0;
  bool intercept = params.Bool("fit_intercept");
  if (intercept && n > 0) {
    x_mean = x.colwise().mean();
    y_mean = y.mean();
    x.rowwise() -= x_mean;
    y.array() -= y_mean;
  }
  Eigen::MatrixXd gram = x.transpose() * x;
  gram.diagonal().array() += params.Number("alpha");
  Eigen::VectorXd weights = gram.ldlt().solve(x.transpose() * y);
  LinearCoefficients coefficients;
  coefficients.weights.assign(weights.data(), weights.data() + weights.size());
  coefficients.intercepts = {intercept ? y_mean - x_mean.dot(weights) : 0.0};
  if (progress) progress(1, 1);
  return MakeLinearModel(std::move(coefficients), Task::kRegression);
}

}  // namespace cairn::learn
