#include "cairn/stats/kolmogorov_distribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

namespace cairn::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// log of the smallest normal double: below it the Smirnov tail underflows.
constexpr double kMinLog = -708.3964185322641;
constexpr std::int64_t kSmirnovMaxExactN = 1000000;

double Clip01(double p) { return std::clamp(p, 0.0, 1.0); }

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return -FloorDiv(-a, b); }

// Splits n * x into floor and fractional part from the exact product (the
// rounding of n * x alone can push the floor across an integer).
void SplitProduct(std::int64_t n, double x, std::int64_t* floor_part, double* fraction) {
  const double nd = static_cast<double>(n);
  const double hi = nd * x;
  const double lo = std::fma(nd, x, -hi);
  double f = std::floor(hi);
  double alpha = (hi - f) + lo;
  if (alpha < 0.0) {
    f -= 1.0;
    alpha += 1.0;
  }
  if (alpha >= 1.0) {
    f += 1.0;
    alpha -= 1.0;
  }
  *floor_part = static_cast<std::int64_t>(f);
  *fraction = alpha;
}

// Square matrix in row-major order, small enough for the Durbin method.
using Matrix = std::vector<double>;

Matrix Multiply(const Matrix& a, const Matrix& b, int m) {
  Matrix c(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < m; ++k) {
      const double aik = a[i * m + k];
      if (aik == 0.0) continue;
      for (int j = 0; j < m; ++j) c[i * m + j] += aik * b[k * m + j];
    }
  }
  return c;
}

// Pelz-Good asymptotic series for P(D_n <= x), used for large n away from the tail.
double KolmogorovCdfPelzGood(std::int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double pi2 = std::numbers::pi * std::numbers::pi;
  const double pi4 = pi2 * pi2;
  const double pi6 = pi4 * pi2;
  const double z = std::sqrt(static_cast<double>(n)) * x;
  const double z2 = z * z;
  const double z4 = z2 * z2;
  const double z6 = z4 * z2;
  const double z8 = z4 * z4;
  if (-pi2 / 8.0 / z2 < -708.0) return 0.0;
  const int max_k = static_cast<int>(std::ceil(16.0 * z / std::numbers::pi));
  // Terms of the four series, summed from the smallest so that rounding stays low.
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, e2 = 0.0, e3 = 0.0;
  for (int k = max_k; k >= 1; --k) {
    const double m = 2.0 * k - 1.0;
    const double m2 = m * m;
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double w = std::exp(-m2 * pi2 / (8.0 * z2));
    s0 += w;
    s1 += w * (-z2 + pi2 / 4.0 * m2);
    s2 += w * ((6.0 * z6 + 2.0 * z4) + (2.0 * z4 - 5.0 * z2) * pi2 / 4.0 * m2 + pi4 * (1.0 - 2.0 * z2) / 16.0 * m4);
    s3 += w * ((-30.0 * z6 - 90.0 * z8) + pi2 * (135.0 * z4 - 96.0 * z6) / 4.0 * m2 +
               pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0 * m4 + pi6 * (5.0 - 30.0 * z2) / 64.0 * m6);
    const double kk = static_cast<double>(k) * k;
    const double v = std::exp(-pi2 * kk / (2.0 * z2));
    e2 += kk * v;
    e3 += (3.0 * z2 - pi2 * kk) * kk * v;
  }
  const double sqrt2pi = std::sqrt(2.0 * std::numbers::pi);
  const double k0 = sqrt2pi * s0 / z;
  const double k1 = sqrt2pi * s1 / (6.0 * z4);
  const double k2 = sqrt2pi * s2 / (72.0 * std::pow(z, 7)) + e2 * pi2 * sqrt2pi / (-36.0 * z2 * z);
  const double k3 = sqrt2pi * s3 / (6480.0 * std::pow(z, 10)) + e3 * pi2 * sqrt2pi / (216.0 * z6);
  const double nd = static_cast<double>(n);
  return k0 + k1 / std::sqrt(nd) + k2 / nd + k3 / (nd * std::sqrt(nd));
}

}  // namespace

double SmirnovSf(std::int64_t n, double x) {
  if (n <= 0 || std::isnan(x) || x < 0.0 || x > 1.0) return kNaN;
  if (n == 1) return 1.0 - x;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;
  std::int64_t nx_floor = 0;
  double alpha = 0.0;
  SplitProduct(n, x, &nx_floor, &alpha);
  const double nd = static_cast<double>(n);
  if (nx_floor == 0 || (nx_floor == 1 && alpha == 0.0)) {
    // x <= 1/n: closed form of the CDF.
    return Clip01(1.0 - x * std::pow(1.0 + x, nd - 1.0));
  }
  if (-2.0 * nd * x * x < kMinLog) return 0.0;
  if (nx_floor >= n - 1) return std::pow(1.0 - x, nd);
  if (n > kSmirnovMaxExactN) {
    const double log_p = -std::pow(6.0 * nd * x + 1.0, 2) / 18.0 / nd;
    return log_p < -std::numbers::ln2 ? std::exp(log_p) : 1.0 + std::expm1(log_p);
  }
  // Smirnov's sum: x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v).
  // The terms are positive and unimodal in v: the peak is found by ternary
  // search and the sum grows outwards from it until the terms no longer
  // count, which in the far tail skips most of them. Terms are taken in log
  // space (the powers over- and underflow doubles) relative to the peak term.
  using Real = long double;
  const Real log_n = std::log(static_cast<Real>(nd));
  const Real log_x = std::log(static_cast<Real>(x));
  const Real log_n_factorial = std::lgamma(static_cast<Real>(nd) + 1.0L);
  const Real a = static_cast<Real>(alpha);
  const std::int64_t last = n - nx_floor - 1;
  auto log_term = [&](std::int64_t v) {
    const Real up = static_cast<Real>(nx_floor + v) + a;        // n (x + v/n)
    const Real down = static_cast<Real>(n - nx_floor - v) - a;  // n (1 - x - v/n)
    return log_x + log_n_factorial - std::lgamma(static_cast<Real>(v) + 1.0L) -
           std::lgamma(static_cast<Real>(n - v) + 1.0L) + static_cast<Real>(v - 1) * (std::log(up) - log_n) +
           static_cast<Real>(n - v) * (std::log(down) - log_n);
  };
  std::int64_t lo = 0, hi = last;
  while (hi - lo > 2) {
    const std::int64_t m1 = lo + (hi - lo) / 3;
    const std::int64_t m2 = hi - (hi - lo) / 3;
    if (log_term(m1) < log_term(m2)) {
      lo = m1 + 1;
    } else {
      hi = m2 - 1;
    }
  }
  std::int64_t peak = lo;
  Real peak_log = log_term(lo);
  for (std::int64_t v = lo + 1; v <= hi; ++v) {
    const Real l = log_term(v);
    if (l > peak_log) {
      peak_log = l;
      peak = v;
    }
  }
  // Outwards from the peak the binomial coefficient and the powers are
  // updated with double logarithms and accumulated in extended precision:
  // several times faster than lgamma per term, still about 1e-10 relative.
  auto power_part = [&](std::int64_t v) {
    const double up = (static_cast<double>(nx_floor + v) + alpha) / nd;
    const double down = (static_cast<double>(n - nx_floor - v) - alpha) / nd;
    return static_cast<Real>(v - 1) * static_cast<Real>(std::log(up)) +
           static_cast<Real>(n - v) * static_cast<Real>(std::log(down));
  };
  const Real log_choose_peak =
      log_n_factorial - std::lgamma(static_cast<Real>(peak) + 1.0L) - std::lgamma(static_cast<Real>(n - peak) + 1.0L);
  constexpr double kNegligible = 1e-20;
  Real sum = 1.0L;
  Real log_choose = log_choose_peak;
  for (std::int64_t v = peak - 1; v >= 0; --v) {
    log_choose -= static_cast<Real>(std::log(static_cast<double>(n - v) / static_cast<double>(v + 1)));
    const double term = std::exp(static_cast<double>(log_x + log_choose + power_part(v) - peak_log));
    sum += term;
    if (term < kNegligible * static_cast<double>(sum)) break;
  }
  log_choose = log_choose_peak;
  for (std::int64_t v = peak + 1; v <= last; ++v) {
    log_choose += static_cast<Real>(std::log(static_cast<double>(n - v + 1) / static_cast<double>(v)));
    const double term = std::exp(static_cast<double>(log_x + log_choose + power_part(v) - peak_log));
    sum += term;
    if (term < kNegligible * static_cast<double>(sum)) break;
  }
  return Clip01(static_cast<double>(std::exp(peak_log) * sum));
}

double KolmogorovCdfDurbin(std::int64_t n, double x) {
  if (n <= 0 || std::isnan(x)) return kNaN;
  if (x >= 1.0) return 1.0;
  const double nd_value = static_cast<double>(n) * x;
  if (nd_value <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd_value));
  const double h = k - nd_value;
  const int m = 2 * k - 1;
  // H[i][j] = 1/(i-j+1)! below the first superdiagonal, corrected in the
  // first column and the last row (Marsaglia, Tsang and Wang 2003).
  std::vector<double> inv_factorial(m + 1, 1.0);
  for (int i = 1; i <= m; ++i) inv_factorial[i] = inv_factorial[i - 1] / i;
  Matrix hm(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j)
      if (i - j + 1 >= 0) hm[i * m + j] = inv_factorial[i - j + 1];
  for (int i = 0; i < m; ++i) {
    hm[i * m] -= std::pow(h, i + 1) * inv_factorial[i + 1];
    hm[(m - 1) * m + i] -= std::pow(h, m - i) * inv_factorial[m - i];
  }
  if (2.0 * h - 1.0 > 0.0) hm[(m - 1) * m] += std::pow(2.0 * h - 1.0, m) * inv_factorial[m];

  // H^n by squaring, rescaling by powers of two to stay within range.
  constexpr int kScaleBits = 128;
  const double big = std::ldexp(1.0, kScaleBits);
  Matrix power(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) power[i * m + i] = 1.0;
  std::int64_t power_exponent = 0;
  std::int64_t base_exponent = 0;
  const int center = (k - 1) * m + (k - 1);
  for (std::int64_t e = n; e > 0; e /= 2) {
    if (e % 2 == 1) {
      power = Multiply(power, hm, m);
      power_exponent += base_exponent;
      if (std::fabs(power[center]) > big) {
        for (double& v : power) v /= big;
        power_exponent += kScaleBits;
      }
    }
    if (e > 1) {
      hm = Multiply(hm, hm, m);
      base_exponent *= 2;
      if (std::fabs(hm[center]) > big) {
        for (double& v : hm) v /= big;
        base_exponent += kScaleBits;
      }
    }
  }
  // Multiply by n! / n^n, keeping the value in range.
  double p = power[center];
  const double small = std::ldexp(1.0, -kScaleBits);
  const double nd = static_cast<double>(n);
  for (std::int64_t i = 1; i <= n; ++i) {
    p = static_cast<double>(i) * p / nd;
    if (std::fabs(p) < small) {
      p *= big;
      power_exponent -= kScaleBits;
    }
  }
  if (power_exponent != 0)
    p = std::ldexp(p, static_cast<int>(std::clamp<std::int64_t>(power_exponent, -100000, 100000)));
  return Clip01(p);
}

double KolmogorovSf(std::int64_t n, double x) {
  if (n <= 0 || std::isnan(x)) return kNaN;
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double nd = static_cast<double>(n);
  const double t = nd * x;
  if (t <= 1.0) {
    // Ruben-Gambino: P(D_n <= x) = n! / n^n (2t - 1)^n for 1/2n <= x <= 1/n.
    if (t <= 0.5) return 1.0;
    double cdf;
    if (n <= 140) {
      cdf = 1.0;
      for (std::int64_t i = 1; i <= n; ++i) cdf *= static_cast<double>(i) * (1.0 / nd) * (2.0 * t - 1.0);
    } else {
      cdf = std::exp(std::lgamma(nd + 1.0) - nd * std::log(nd) + nd * std::log(2.0 * t - 1.0));
    }
    return Clip01(1.0 - cdf);
  }
  if (t >= nd - 1.0) return Clip01(2.0 * std::pow(1.0 - x, nd));
  if (x >= 0.5) return Clip01(2.0 * SmirnovSf(n, x));
  const double nx_squared = t * x;
  if (n <= 140) {
    if (nx_squared <= 4.0) return Clip01(1.0 - KolmogorovCdfDurbin(n, x));
    return Clip01(2.0 * SmirnovSf(n, x));
  }
  if (nx_squared >= 370.0) return 0.0;
  if (nx_squared >= 2.2) return Clip01(2.0 * SmirnovSf(n, x));
  double cdf;
  if (nx_squared >= 18.0) {
    cdf = 1.0;
  } else if (n <= 100000 && nd * std::pow(x, 1.5) <= 1.4) {
    cdf = KolmogorovCdfDurbin(n, x);
  } else {
    cdf = KolmogorovCdfPelzGood(n, x);
  }
  return Clip01(1.0 - cdf);
}

double TwoSampleKsExactSf(std::int64_t m, std::int64_t n, std::int64_t h) {
  if (m <= 0 || n <= 0) return kNaN;
  if (h <= 0) return 1.0;
  if (m == n) {
    // Reflection principle: P = 2 sum_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n);
    // the ratios are built as running products so nothing overflows.
    double ratio = 1.0;
    double p = 0.0;
    double sign = 1.0;
    for (std::int64_t k = 1; k * h <= n; ++k) {
      for (std::int64_t j = (k - 1) * h; j < k * h; ++j)
        ratio *= static_cast<double>(n - j) / static_cast<double>(n + j + 1);
      p += sign * ratio;
      sign = -sign;
    }
    return Clip01(2.0 * p);
  }
  if (m < n) std::swap(m, n);
  const std::int64_t g = std::gcd(m, n);
  const std::int64_t bound = h * g;
  // f(i, j): share of the paths from (0, 0) to (i, j) that have touched the
  // boundary |i n - j m| >= h g. Cells outside the band are 1; inside,
  // f(i, j) = (i f(i-1, j) + j f(i, j-1)) / (i + j).
  std::vector<double> previous(static_cast<std::size_t>(n) + 1, 1.0);
  std::vector<double> current(static_cast<std::size_t>(n) + 1, 1.0);
  std::int64_t previous_lo = 0;
  std::int64_t previous_hi = -1;
  for (std::int64_t i = 0; i <= m; ++i) {
    const std::int64_t lo = std::max<std::int64_t>(FloorDiv(i * n - bound, m) + 1, 0);
    const std::int64_t hi = std::min<std::int64_t>(CeilDiv(i * n + bound, m) - 1, n);
    if (lo > hi) return 1.0;
    for (std::int64_t j = lo; j <= hi; ++j) {
      if (i == 0 && j == 0) {
        current[0] = 0.0;
        continue;
      }
      const double from_left = (i > 0 && j >= previous_lo && j <= previous_hi) ? previous[j] : 1.0;
      const double from_below = (j > lo) ? current[j - 1] : 1.0;
      current[j] =
          (static_cast<double>(i) * from_left + static_cast<double>(j) * from_below) / static_cast<double>(i + j);
    }
    std::swap(previous, current);
    previous_lo = lo;
    previous_hi = hi;
  }
  return Clip01(previous[n]);
}

}  // namespace cairn::stats
