#include "cairn/data/credit_synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/progress.h"

namespace cairn::data {
namespace {

// SplitMix64: tiny, fast and fully specified, so output never depends on a
// standard library's distribution implementation.
class Random {
 public:
  // The seed is hashed, so that nearby seeds start far apart in the stream and
  // give independent samples.
  explicit Random(uint64_t seed) : state_(Mix(seed ^ 0x632BE59BD9B4E019ULL)) {}
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t Next() { return Mix(state_ += 0x9E3779B97F4A7C15ULL); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Normal() {
    double u1 = Uniform(), u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  // Index drawn with the given (unnormalised, non-negative) weights.
  size_t Pick(const double* weights, size_t count) {
    double total = 0;
    for (size_t i = 0; i < count; ++i) total += weights[i];
    double u = Uniform() * total;
    for (size_t i = 0; i < count; ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    return count - 1;
  }

 private:
  uint64_t state_;
};

constexpr std::array<const char*, 5> kEmployment = {"salaried", "self_employed", "contractor", "unemployed",
                                                    "retired"};
constexpr std::array<const char*, 3> kHome = {"rent", "own", "mortgage"};
constexpr std::array<const char*, 6> kPurpose = {"car", "home", "education", "business", "debt_consolidation",
                                                 "other"};
constexpr std::array<const char*, 4> kRegion = {"north", "south", "east", "west"};
constexpr std::array<const char*, 2> kGender = {"female", "male"};

double Clamp(double x, double lo, double hi) { return std::min(hi, std::max(lo, x)); }

}  // namespace

const std::vector<std::string>& CreditColumns() {
  static const std::vector<std::string> kColumns = {
      "applicant_id", "application_date", "age",        "income",     "loan_amount",
      "debt_ratio",   "credit_history_months", "open_accounts", "late_payments", "employment",
      "home_ownership", "purpose",      "region",     "gender",     "default"};
  return kColumns;
}

void WriteCreditCsv(const CreditSynthOptions& options, std::ostream& out) {
  if (options.rows == 0) ThrowInvalidInput("synth: --rows must be at least 1");
  if (!std::isfinite(options.drift) || options.drift < 0 || options.drift > 5) {
    ThrowInvalidInput("synth: --drift must be between 0 and 5");
  }
  if (!std::isfinite(options.bias) || std::fabs(options.bias) > 10) {
    ThrowInvalidInput("synth: --bias must be between -10 and 10");
  }
  const double d = options.drift;
  Random rng(options.seed);
  const int64_t start_day = *ParseUtc("2024-01-01") / 86400000000LL;

  for (size_t i = 0; i < CreditColumns().size(); ++i) out << (i ? "," : "") << CreditColumns()[i];
  out << '\n';

  char line[512];
  ProgressBar progress("synth", options.rows, "rows");
  for (uint64_t row = 0; row < options.rows; ++row) {
    if ((row & 0xFFF) == 0) progress.Update(row);
    // Drifted data comes later in time, so time splits and windows see it as newer.
    int64_t day = start_day + static_cast<int64_t>(rng.Uniform() * 365.0) + static_cast<int64_t>(d * 365.0);
    int64_t micros = day * 86400000000LL;
    std::string date = FormatUtc(micros).substr(0, 10);

    double age = Clamp(std::round(41.0 + 12.0 * rng.Normal() + d * 8.0), 18, 85);
    double log_income = std::log(52000.0) + 0.45 * rng.Normal() - d * 0.35 + 0.006 * (age - 41);
    double income = std::round(std::exp(log_income) * 100.0) / 100.0;
    double loan = std::round(std::exp(std::log(15000.0) + 0.6 * rng.Normal() + d * 0.4) * 100.0) / 100.0;
    double debt_ratio = Clamp(0.32 + 0.12 * rng.Normal() + d * 0.08 + 0.05 * (loan / income), 0.0, 1.5);
    double history = Clamp(std::round((age - 18) * 12.0 * (0.3 + 0.6 * rng.Uniform())), 0, 700);
    double open_accounts = std::floor(Clamp(3.0 + 2.0 * rng.Normal() + d * 1.5, 0, 20));
    double late_lambda = 0.35 + 0.8 * std::max(0.0, debt_ratio - 0.3) + d * 0.5;
    int late = 0;
    for (double p = std::exp(-late_lambda), u = rng.Uniform(), cdf = p; u > cdf && late < 5;) {
      ++late;
      p *= late_lambda / late;
      cdf += p;
    }
    double employment_w[] = {0.62 - 0.2 * d, 0.14, 0.10 + 0.1 * d, 0.06 + 0.1 * d, 0.08};
    size_t employment = rng.Pick(employment_w, kEmployment.size());
    double home_w[] = {0.38 + 0.15 * d, 0.22, 0.40 - 0.15 * d};
    size_t home = rng.Pick(home_w, kHome.size());
    double purpose_w[] = {0.22, 0.18, 0.1, 0.12, 0.28 + 0.25 * d, 0.1};
    size_t purpose = rng.Pick(purpose_w, kPurpose.size());
    double region_w[] = {0.25, 0.25 + 0.2 * d, 0.25, 0.25 - 0.1 * d};
    size_t region = rng.Pick(region_w, kRegion.size());
    double gender_w[] = {0.5, 0.5};
    size_t gender = rng.Pick(gender_w, kGender.size());

    // The label's dependence on the features moves with drift (concept drift),
    // so a model trained on old data degrades on new data.
    double logit = -2.3 + (7.0 - 8.0 * d) * (debt_ratio - 0.35) - 2.0 * (log_income - std::log(52000.0)) +
                   (0.9 - 1.0 * d) * late + 0.6 * std::log1p(loan / 15000.0) - 0.008 * (history - 120) +
                   (employment == 3 ? 1.6 : 0.0) + (employment == 2 ? 0.6 + 3.0 * d : 0.0) +
                   (home == 1 ? -0.7 : 0.0) + (purpose == 3 ? 0.8 + 2.0 * d : 0.0) + (region == 1 ? 2.4 * d : 0.0) +
                   0.08 * d * (age - 41) + (gender == 0 ? options.bias : 0.0);
    double probability = 1.0 / (1.0 + std::exp(-logit));
    int label = rng.Uniform() < probability ? 1 : 0;

    // A few missing values, as real application data has.
    bool income_missing = rng.Uniform() < 0.02;
    bool employment_missing = rng.Uniform() < 0.01;
    char income_text[32] = "";
    if (!income_missing) std::snprintf(income_text, sizeof income_text, "%.2f", income);

    std::snprintf(line, sizeof line, "%llu,%s,%.0f,%s,%.2f,%.4f,%.0f,%.0f,%d,%s,%s,%s,%s,%s,%d\n",
                  static_cast<unsigned long long>(row + 1), date.c_str(), age, income_text, loan, debt_ratio,
                  history, open_accounts, late, employment_missing ? "" : kEmployment[employment], kHome[home],
                  kPurpose[purpose], kRegion[region], kGender[gender], label);
    out << line;
  }
  progress.Finish();
}

}  // namespace cairn::data
