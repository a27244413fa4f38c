#include "cairn/stats/distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace cairn::stats {
namespace {

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
constexpr double kTiny = 1e-300;
constexpr int kMaxIterations = 1000000;

// log(1 + t) - t without the cancellation a direct evaluation suffers for small t.
double Log1pMinus(double t) {
  if (std::fabs(t) > 0.1) return std::log1p(t) - t;
  // -t^2/2 + t^3/3 - t^4/4 + ...
  double power = t * t;
  double sum = 0.0;
  for (int k = 2; k < 60; ++k) {
    double term = power / k;
    sum += (k % 2 == 0) ? -term : term;
    if (std::fabs(term) < 1e-18 * std::fabs(sum)) break;
    power *= t;
  }
  return sum;
}

// Stirling's series remainder: lgamma(a) - ((a - 0.5) log a - a + log(2 pi) / 2), for a >= 10.
double StirlingRemainder(double a) {
  double inv = 1.0 / a;
  double inv2 = inv * inv;
  return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
}

// log(x^a e^-x / Gamma(a)), the common prefactor of P and Q. For large a the
// direct form loses digits to cancellation between a log x and lgamma(a), so
// it is rewritten around x = a.
double LogGammaPrefactor(double a, double x) {
  if (a < 10.0) return a * std::log(x) - x - std::lgamma(a);
  double t = (x - a) / a;
  return a * Log1pMinus(t) + 0.5 * std::log(a) - 0.5 * std::log(2.0 * std::numbers::pi) - StirlingRemainder(a);
}

// P(a, x) by its power series; converges quickly for x < a + 1.
double GammaPSeries(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon * 0.5) break;
  }
  return sum * std::exp(LogGammaPrefactor(a, x));
}

// Q(a, x) by its continued fraction (modified Lentz); converges for x > a + 1.
double GammaQContinuedFraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon * 0.5) break;
  }
  return std::exp(LogGammaPrefactor(a, x)) * h;
}

}  // namespace

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double NormalSf(double z) { return 0.5 * std::erfc(z / std::numbers::sqrt2); }

double RegularizedGammaP(double a, double x) {
  if (std::isnan(a) || std::isnan(x) || a <= 0.0 || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return 0.0;
  if (std::isinf(x)) return 1.0;
  if (x < a + 1.0) return GammaPSeries(a, x);
  return 1.0 - GammaQContinuedFraction(a, x);
}

double RegularizedGammaQ(double a, double x) {
  if (std::isnan(a) || std::isnan(x) || a <= 0.0 || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return 1.0;
  if (std::isinf(x)) return 0.0;
  if (x < a + 1.0) return 1.0 - GammaPSeries(a, x);
  return GammaQContinuedFraction(a, x);
}

double ChiSquareSf(double x, double dof) {
  if (std::isnan(x) || std::isnan(dof) || dof <= 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0.0) return 1.0;
  return RegularizedGammaQ(0.5 * dof, 0.5 * x);
}

double BinomialCdf(std::int64_t k, std::int64_t n, double p) {
  if (n < 0 || std::isnan(p) || p < 0.0 || p > 1.0) return std::numeric_limits<double>::quiet_NaN();
  if (k < 0) return 0.0;
  if (k >= n) return 1.0;
  if (p == 0.0) return 1.0;
  if (p == 1.0) return 0.0;
  // Sum the pmf terms on the side of the mode that has fewer of them, in log
  // space so that large n neither overflows nor underflows.
  const double log_p = std::log(p);
  const double log_q = std::log1p(-p);
  const double log_n_fact = std::lgamma(static_cast<double>(n) + 1.0);
  auto log_pmf = [&](std::int64_t i) {
    return log_n_fact - std::lgamma(static_cast<double>(i) + 1.0) - std::lgamma(static_cast<double>(n - i) + 1.0) +
           static_cast<double>(i) * log_p + static_cast<double>(n - i) * log_q;
  };
  const bool lower_side = static_cast<double>(k) <= static_cast<double>(n) * p;
  std::int64_t first = lower_side ? 0 : k + 1;
  std::int64_t last = lower_side ? k : n;
  double sum = 0.0;
  for (std::int64_t i = first; i <= last; ++i) sum += std::exp(log_pmf(i));
  sum = std::clamp(sum, 0.0, 1.0);
  return lower_side ? sum : 1.0 - sum;
}

}  // namespace cairn::stats
