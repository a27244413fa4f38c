#include "cairn/learn/trainers/logistic_trainer.h"

#include <Eigen/Dense>
#include <cmath>

#include "cairn/core/error.h"
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

  MatrixXd Scores(const VectorXd& theta) const {
    Eigen::Map<const MatrixXd> w(theta.data(), width(), static_cast<Index>(outputs));
    return x * w;
  }

  double Objective(const VectorXd& theta) const {
    MatrixXd scores = Scores(theta);
    double loss = 0;
    for (Index i = 0; i < scores.rows(); ++i) {
      if (outputs == 1) {
        double z = scores(i, 0);
        loss += y[static_cast<size_t>(i)] > 0.5 ? Softplus(-z) : Softplus(z);
      } else {
        double top = scores.row(i).maxCoeff();
        double sum = (scores.row(i).array() - top).exp().sum();
        loss += top + std::log(sum) - scores(i, static_cast<Index>(y[static_cast<size_t>(i)]));
      }
    }
    double penalty = 0;
    for (size_t k = 0; k < outputs; ++k) penalty += theta.segment(static_cast<Index>(k) * width(), width() - 1).squaredNorm();
    return 0.5 * penalty + c * loss;
  }

  // Gradient and Hessian at theta.
  void Derivatives(const VectorXd& theta, VectorXd& gradient, MatrixXd& hessian) const {
    MatrixXd p = Scores(theta);
    const Index n = x.rows();
    const Index k = static_cast<Index>(outputs);
    for (Index i = 0; i < n; ++i) {
      if (outputs == 1) {
        p(i, 0) = 1 / (1 + std::exp(-p(i, 0)));
      } else {
        double top = p.row(i).maxCoeff();
        p.row(i) = (p.row(i).array() - top).exp();
        p.row(i) /= p.row(i).sum();
      }
    }
    MatrixXd residual = p;
    for (Index i = 0; i < n; ++i) {
      if (outputs == 1) {
        residual(i, 0) -= y[static_cast<size_t>(i)];
      } else {
        residual(i, static_cast<Index>(y[static_cast<size_t>(i)])) -= 1;
      }
    }
    const Index w = width();
    gradient.resize(w * k);
    hessian.setZero(w * k, w * k);
    for (Index a = 0; a < k; ++a) {
      VectorXd g = c * (x.transpose() * residual.col(a));
      g.head(w - 1) += theta.segment(a * w, w - 1);
      gradient.segment(a * w, w) = g;
      for (Index b = a; b < k; ++b) {
        // d^2/dw_a dw_b = C * sum_i x_i x_i^T p_ia (delta_ab - p_ib).
        VectorXd d = outputs == 1 ? VectorXd(p.col(0).array() * (1 - p.col(0).array()))
                                  : VectorXd(p.col(a).array() * ((a == b ? 1.0 : 0.0) - p.col(b).array()));
        MatrixXd block = c * (x.transpose() * d.asDiagonal() * x);
        hessian.block(a * w, b * w, w, w) = block;
        if (b != a) hessian.block(b * w, a * w, w, w) = block.transpose();
      }
      hessian.block(a * w, a * w, w - 1, w - 1).diagonal().array() += 1;
    }
  }
};

}  // namespace

const std::vector<ParamSpec>& LogisticParams() {
  static const std::vector<ParamSpec> specs = {
      {"C", ParamKind::kNumber, 1.0, 1e-12, 1e12, "inverse of the L2 penalty"},
      {"max_iter", ParamKind::kInteger, 100, 1, 100000, "Newton steps at most"},
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
  double objective = problem.Objective(theta);
  double tolerance = params.Number("tol") * std::max(1.0, problem.c * static_cast<double>(n));
  auto max_iter = static_cast<int>(params.Integer("max_iter"));
  int iteration = 0;
  VectorXd gradient;
  MatrixXd hessian;
  for (; iteration < max_iter; ++iteration) {
    problem.Derivatives(theta, gradient, hessian);
    if (gradient.lpNorm<Eigen::Infinity>() <= tolerance) break;
    // The softmax's intercepts may all move together without changing the loss:
    // a tiny ridge keeps the solve defined, and steps stay orthogonal to that
    // direction because the gradient is.
    hessian.diagonal().array() += 1e-12 * std::max(1.0, hessian.diagonal().maxCoeff());
    VectorXd step = -hessian.ldlt().solve(gradient);
    double slope = gradient.dot(step);
    if (!(slope < 0)) break;
    double t = 1;
    double next = problem.Objective(theta + step);
    while (next > objective + 1e-4 * t * slope && t > 1e-12) {
      t /= 2;
      next = problem.Objective(theta + t * step);
    }
    if (t <= 1e-12) break;
    theta += t * step;
    objective = next;
    if (progress) progress(static_cast<uint64_t>(iteration + 1), static_cast<uint64_t>(max_iter));
  }
  if (progress) progress(static_cast<uint64_t>(max_iter), static_cast<uint64_t>(max_iter));
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
  coefficients.iterations = iteration;
  for (size_t k = 0; k < problem.outputs; ++k) {
    for (size_t j = 0; j < f; ++j) coefficients.weights.push_back(theta(static_cast<Index>(k * (f + 1) + j)));
    coefficients.intercepts.push_back(theta(static_cast<Index>(k * (f + 1) + f)));
  }
  return MakeLinearModel(std::move(coefficients), data.task);
}

}  // namespace cairn::learn
