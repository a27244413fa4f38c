// Limited-memory BFGS for smooth convex objectives (Nocedal and Wright,
// Numerical Optimization, algorithm 7.4), with a bisection line search for the
// weak Wolfe conditions. Near the optimum, where objective values no longer
// differ by more than their rounding, the curvature condition on the gradient
// still steers the search, so the gradient can be driven close to its own
// rounding rather than stopping at the square root of it.
#pragma once

#include <Eigen/Dense>
#include <functional>

#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

struct LbfgsOptions {
  int max_iterations = 1000;
  int memory = 10;                  // correction pairs kept
  double gradient_tolerance = 0.0;  // stop when the largest gradient entry is at most this
};

struct LbfgsResult {
  int iterations = 0;
  bool converged = false;  // the tolerance was met (else: out of iterations or no progress possible)
};

// Returns the objective at `theta` and writes its gradient into `gradient`.
using ObjectiveFn = std::function<double(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient)>;

// Minimises from `theta` in place; `progress` sees (iteration, max_iterations).
LbfgsResult MinimizeLbfgs(const ObjectiveFn& objective, Eigen::VectorXd& theta, const LbfgsOptions& options,
                          const ProgressFn& progress = nullptr);

}  // namespace cairn::learn
