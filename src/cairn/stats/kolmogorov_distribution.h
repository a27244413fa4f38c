// Distributions of the Kolmogorov-Smirnov statistics, computed the way SciPy
// 1.10 computes them so that cairn's KS p-values agree with scipy.stats.ks_2samp.
#pragma once

#include <cstdint>

namespace cairn::stats {

// One-sided one-sample statistic: P(D+_n >= x) (scipy.special.smirnov). Exact
// (Smirnov / Birnbaum-Tingey sum) up to n = 1,000,000; beyond that the
// exp(-(6nx + 1)^2 / 18n) approximation.
double SmirnovSf(std::int64_t n, double x);

// Two-sided one-sample statistic: P(D_n >= x) (scipy.stats.kstwo.sf), chosen
// by region as Simard and L'Ecuyer recommend: Ruben-Gambino closed forms at
// the ends, the Durbin matrix (Marsaglia-Tsang-Wang) for small n x^2,
// 2 * SmirnovSf in the tail, and the Pelz-Good series for large n. Where SciPy
// uses Pomeranz's recursion (n <= 140, 0.754693 < n x^2 <= 4) this uses the
// Durbin matrix, which computes the same exact probability.
double KolmogorovSf(std::int64_t n, double x);

// Cumulative distribution P(D_n <= x) of the same statistic by the Durbin
// matrix method; exact for any n and x.
double KolmogorovCdfDurbin(std::int64_t n, double x);

// Exact two-sided two-sample tail: the probability that the statistic of
// samples of sizes m and n reaches h / lcm(m, n), i.e. the share of lattice
// paths from (0, 0) to (m, n) that touch |i n - j m| >= h gcd(m, n).
double TwoSampleKsExactSf(std::int64_t m, std::int64_t n, std::int64_t h);

}  // namespace cairn::stats
