#include "cairn/learn/trainers/logistic_trainer.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "cairn/core/error.h"
#include "cairn/learn/trainers/lbfgs.h"
#include "cairn/learn/trainers/linear_model.h"

namespace cairn::learn {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// log(1 + exp(z)) without overflow.
double Softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

// The parameters as one vector: for each output k, F weights then the intercept.
struct Problem {
  const MatrixXd& x;  // N x (F + 1), last column ones
  const std::vector<double>& y;
  size_t outputs;  // 1 for binary
  double c;

  Index width() const { return x.cols(); }

  // 0.5 * |W|^2 + C * log-loss, and its gradient C * X^T (P - Y) + W (intercepts unpenalised).
  double ValueAndGradient(const VectorXd& theta, VectorXd& gradient) const {
    const Index k = static_cast<Index>(outputs);
    Eigen::Map<const MatrixXd> w(theta.data(), width(), k);
    MatrixXd residual = x * w;  // scores, then probabilities minus targets
    double loss = 0;
    for (Index i = 0; i < residual.rows(); ++i) {
      const double label = y[static_cast<size_t>(i)];
      if (outputs == 1) {
        double z = residual(i, 0);
        loss += label > 0.5 ? Softplus(-z) : Softplus(z);
        double p = z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
        residual(i, 0) = p - label;
      } else {
        double top = residual.row(i).maxCoeff();
        auto target = static_cast<Index>(label);
        double target_score = residual(i, target);
        residual.row(i) = (residual.row(i).array() - top).exp();
        double sum = residual.row(i).sum();
        loss += top + std::log(sum) - target_score;
        residual.row(i) /= sum;
        residual(i, target) -= 1;
      }
    }
    MatrixXd g = c * (x.transpose() * residual);
    double penalty = 0;
    for (Index a = 0; a < k; ++a) {
      g.col(a).head(width() - 1) += w.col(a).head(width() - 1);
      penalty += w.col(a).head(width() - 1).squaredNorm();
    }
    gradient = Eigen::Map<const VectorXd>(g.data(), g.size());
    return 0.5 * penalty + c * loss;
  }
};

}  // namespace

const std::vector<ParamSpec>& LogisticParams() {
  static const std::vector<ParamSpec> specs = {
      {"C", ParamKind::kNumber, 1.0, 1e-12, 1e12, "inverse of the L2 penalty"},
      {"max_iter", ParamKind::kInteger, 1000, 1, 100000, "L-BFGS iterations at most"},
      {"tol", ParamKind::kNumber, 1e-10, 0, 1, "gradient tolerance, relative to C * rows"},
  };
  return specs;
}

std::unique_ptr<Model> FitLogistic(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress) {
  if (data.task == Task::kRegression) ThrowInvalidInput("model.type: logistic is for classification; use linear for regression");
  const size_t n = data.x.rows;
  const size_t f = data.x.cols;
  MatrixXd x(n, f + 1);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) x(static_cast<Index>(i), static_cast<Index>(j)) = data.x.at(i, j);
    x(static_cast<Index>(i), static_cast<Index>(f)) = 1;
  }
  std::vector<double> y(data.y.begin(), data.y.end());
  Problem problem{x, y, data.task == Task::kBinary ? 1 : static_cast<size_t>(data.num_classes), params.Number("C")};
  const Index size = static_cast<Index>((f + 1) * problem.outputs);
  VectorXd theta = VectorXd::Zero(size);
  LbfgsOptions options;
  options.max_iterations = static_cast<int>(params.Integer("max_iter"));
  options.gradient_tolerance = params.Number("tol") * std::max(1.0, problem.c * static_cast<double>(n));
  LbfgsResult solved = MinimizeLbfgs([&](const VectorXd& at, VectorXd& gradient) { return problem.ValueAndGradient(at, gradient); },
                                     theta, options, progress);
  if (progress) progress(static_cast<uint64_t>(options.max_iterations), static_cast<uint64_t>(options.max_iterations));
  if (problem.outputs > 1) {
    // Softmax probabilities do not change when every intercept moves by the same
    // amount; report the solution whose intercepts sum to zero, as other solvers do.
    double mean = 0;
    for (size_t k = 0; k < problem.outputs; ++k) mean += theta(static_cast<Index>(k * (f + 1) + f));
    mean /= static_cast<double>(problem.outputs);
    for (size_t k = 0; k < problem.outputs; ++k) theta(static_cast<Index>(k * (f + 1) + f)) -= mean;
  }
  LinearCoefficients coefficients;
  coefficients.outputs = problem.outputs;
  coefficients.iterations = solved.iterations;
  for (size_t k = 0; k < problem.outputs; ++k) {
    for (size_t j = 0; j < f; ++j) coefficients.weights.push_back(theta(static_cast<Index>(k * (f + 1) + j)));
    coefficients.intercepts.push_back(theta(static_cast<Index>(k * (f + 1) + f)));
  }
  return MakeLinearModel(std::move(coefficients), data.task);
}

}  // namespace cairn::learn
