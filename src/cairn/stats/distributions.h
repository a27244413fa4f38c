// Distribution functions behind cairn's tests and metrics: the normal and
// chi-square tails, the regularized incomplete gamma function and the binomial
// CDF. The Kolmogorov-Smirnov distributions live in kolmogorov_distribution.h.
#pragma once

#include <cstdint>

namespace cairn::stats {

// Standard normal CDF and survival function; the survival function keeps its
// relative accuracy far into the upper tail.
double NormalCdf(double z);
double NormalSf(double z);

// Regularized lower and upper incomplete gamma functions P(a, x) and Q(a, x),
// a > 0, x >= 0. Q is accurate to about 1e-13 relative in its upper tail (the
// continued fraction is evaluated there directly, never as 1 - P).
double RegularizedGammaP(double a, double x);
double RegularizedGammaQ(double a, double x);

// Chi-square survival function with `dof` > 0 degrees of freedom (SciPy's chi2.sf).
double ChiSquareSf(double x, double dof);

// P(X <= k) for X ~ Binomial(n, p), 0 <= p <= 1.
double BinomialCdf(std::int64_t k, std::int64_t n, double p);

}  // namespace cairn::stats
