#include "cairn/learn/trainers/lbfgs.h"

#include <cmath>
#include <deque>
#include <limits>
#include <vector>

namespace cairn::learn {

using Eigen::VectorXd;

LbfgsResult MinimizeLbfgs(const ObjectiveFn& objective, VectorXd& theta, const LbfgsOptions& options, const ProgressFn& progress) {
  constexpr double kSufficientDecrease = 1e-4;
  constexpr double kCurvature = 0.9;
  constexpr int kLineSearchSteps = 60;
  LbfgsResult result;
  VectorXd gradient(theta.size());
  double value = objective(theta, gradient);
  std::deque<VectorXd> steps, changes;  // s_k = theta_{k+1} - theta_k, y_k = g_{k+1} - g_k
  std::deque<double> inverse_curvatures;  // 1 / (y_k . s_k)
  VectorXd candidate(theta.size()), candidate_gradient(theta.size());
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    if (gradient.lpNorm<Eigen::Infinity>() <= options.gradient_tolerance) break;
    // Two-loop recursion: the inverse-Hessian estimate applied to the gradient.
    VectorXd direction = -gradient;
    if (!steps.empty()) {
      VectorXd q = gradient;
      std::vector<double> alpha(steps.size());
      for (size_t i = steps.size(); i-- > 0;) {
        alpha[i] = inverse_curvatures[i] * steps[i].dot(q);
        q -= alpha[i] * changes[i];
      }
      VectorXd r = (steps.back().dot(changes.back()) / changes.back().squaredNorm()) * q;
      for (size_t i = 0; i < steps.size(); ++i) {
        double beta = inverse_curvatures[i] * changes[i].dot(r);
        r += (alpha[i] - beta) * steps[i];
      }
      direction = -r;
    }
    double slope = gradient.dot(direction);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in a stale memory): start over from the gradient.
      steps.clear();
      changes.clear();
      inverse_curvatures.clear();
      direction = -gradient;
      slope = -gradient.squaredNorm();
    }
    // A quasi-Newton step is tried whole; the first, along the gradient, moves theta by one unit.
    double t = steps.empty() ? 1.0 / std::max(direction.norm(), 1e-300) : 1.0;
    // Objective values this close to the current one are equal up to rounding.
    const double noise = 1e-12 * (std::abs(value) + 1.0);
    double low = 0.0, high = std::numeric_limits<double>::infinity();
    double candidate_value = value;
    bool accepted = false;
    for (int trial = 0; trial < kLineSearchSteps; ++trial) {
      candidate = theta + t * direction;
      candidate_value = objective(candidate, candidate_gradient);
      if (!(candidate_value <= value + kSufficientDecrease * t * slope + noise)) {
        high = t;  // too far (or not finite)
      } else if (candidate_gradient.dot(direction) < kCurvature * slope) {
        low = t;  // still going steeply down: go further
      } else {
        accepted = true;
        break;
      }
      t = std::isinf(high) ? 2 * t : (low + high) / 2;
    }
    // No step meets both conditions: theta is optimal up to rounding.
    if (!accepted) break;
    VectorXd step = candidate - theta;
    VectorXd change = candidate_gradient - gradient;
    double curvature = step.dot(change);
    theta = candidate;
    gradient = candidate_gradient;
    value = candidate_value;
    result.iterations = iteration + 1;
    if (curvature > 0) {
      steps.push_back(std::move(step));
      changes.push_back(std::move(change));
      inverse_curvatures.push_back(1.0 / curvature);
      if (static_cast<int>(steps.size()) > options.memory) {
        steps.pop_front();
        changes.pop_front();
        inverse_curvatures.pop_front();
      }
    }
    if (progress) progress(static_cast<uint64_t>(iteration + 1), static_cast<uint64_t>(options.max_iterations));
  }
  result.converged = gradient.lpNorm<Eigen::Infinity>() <= options.gradient_tolerance;
  return result;
}

}  // namespace cairn::learn
