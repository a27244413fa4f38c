// Parity of cairn's statistics with SciPy, scikit-learn and NumPy: the cases
// below go to tests/stats/reference_stats.py in one /usr/bin/python3 run and
// every number comes back to be compared.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/stats/classification_metrics.h"
#include "cairn/stats/comparison_tests.h"
#include "cairn/stats/distributions.h"
#include "cairn/stats/drift_tests.h"
#include "cairn/stats/kolmogorov_distribution.h"
#include "cairn/stats/ranking_metrics.h"
#include "cairn/stats/regression_metrics.h"
#include "test_samples.h"

namespace cairn::stats {
namespace {

namespace fs = std::filesystem;
using testing::ExponentialSample;
using testing::Logistic;
using testing::NormalSample;
using testing::RoundedTo;

double Num(const Json& value) {
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  return value.get<double>();
}

std::vector<double> Doubles(const Json& array) {
  std::vector<double> values;
  for (const Json& v : array) values.push_back(Num(v));
  return values;
}

std::vector<int> Ints(const Json& array) { return array.get<std::vector<int>>(); }

// |actual - expected| <= absolute + relative * |expected|; infinities must match exactly.
void ExpectClose(double actual, double expected, double absolute, double relative, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": cairn " << actual << ", reference NaN";
    return;
  }
  if (std::isinf(expected)) {
    EXPECT_EQ(actual, expected) << what;
    return;
  }
  EXPECT_LE(std::fabs(actual - expected), absolute + relative * std::fabs(expected))
      << what << ": cairn " << actual << ", reference " << expected << " (diff " << actual - expected << ")";
}

void ExpectAllClose(const std::vector<double>& actual, const Json& expected, double tolerance,
                    const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i)
    ExpectClose(actual[i], Num(expected[i]), tolerance, tolerance, what + "[" + std::to_string(i) + "]");
}

Json NumericCase(const std::string& name, const std::vector<double>& a, const std::vector<double>& b) {
  return Json{{"name", name}, {"a", a}, {"b", b}};
}

Json BuildCases() {
  Json cases;
  // Two-sample drift cases: tiny, ties, n ~ 300 and ~ 3000 (exact KS, equal
  // and unequal sizes), above 10,000 (asymptotic KS: Pelz-Good and Smirnov
  // tails), discrete and constant columns, a skewed feature.
  Json numeric = Json::array();
  numeric.push_back(NumericCase("tiny equal", NormalSample(5, 0, 1, 1), NormalSample(5, 0.5, 1, 2)));
  numeric.push_back(NumericCase("tiny unequal", NormalSample(5, 0, 1, 3), NormalSample(7, 0, 1, 4)));
  numeric.push_back(
      NumericCase("ties", RoundedTo(NormalSample(60, 0, 2, 5), 1.0), RoundedTo(NormalSample(45, 0.5, 2, 6), 1.0)));
  numeric.push_back(NumericCase("n300 shifted", NormalSample(300, 0, 1, 7), NormalSample(300, 0.2, 1, 8)));
  numeric.push_back(NumericCase("n300 unequal", NormalSample(300, 0, 1, 9), NormalSample(250, 0, 1, 10)));
  numeric.push_back(NumericCase("n3000 unequal", NormalSample(3000, 0, 1, 11), NormalSample(2000, 0.08, 1, 12)));
  numeric.push_back(NumericCase("n3000 same", NormalSample(3000, 0, 1, 13), NormalSample(3000, 0, 1, 14)));
  numeric.push_back(NumericCase("rounded ties 2000", RoundedTo(NormalSample(2000, 0, 1, 15), 0.05),
                                RoundedTo(NormalSample(1500, 0.05, 1, 16), 0.05)));
  numeric.push_back(NumericCase("asymptotic same", NormalSample(12000, 0, 1, 17), NormalSample(3000, 0, 1, 18)));
  numeric.push_back(NumericCase("asymptotic shifted", NormalSample(12000, 0, 1, 19), NormalSample(3000, 0.1, 1, 20)));
  numeric.push_back(NumericCase("asymptotic far", NormalSample(11000, 0, 1, 21), NormalSample(10500, 1.5, 1, 22)));
  numeric.push_back(NumericCase("discrete", RoundedTo(NormalSample(500, 1.5, 0.8, 23), 1.0),
                                RoundedTo(NormalSample(400, 1.7, 0.8, 24), 1.0)));
  numeric.push_back(NumericCase("constant", std::vector<double>(50, 3.0), std::vector<double>(40, 3.0)));
  numeric.push_back(NumericCase("constant reference", std::vector<double>(50, 3.0), NormalSample(40, 3, 1, 25)));
  numeric.push_back(NumericCase("skewed", ExponentialSample(800, 1.0, 26), ExponentialSample(1200, 0.8, 27)));
  cases["numeric"] = numeric;

  Json counts = Json::array();
  counts.push_back({{"reference", {50, 30, 20}}, {"current", {45, 35, 20}}});
  counts.push_back({{"reference", {500, 300, 200, 0}}, {"current", {480, 290, 210, 20}}});
  counts.push_back({{"reference", {400, 0, 600}}, {"current", {380, 0, 620}}});
  counts.push_back({{"reference", {700, 300}}, {"current", {650, 350}}});
  counts.push_back({{"reference", {70, 30}}, {"current", {69, 31}}});
  counts.push_back({{"reference", {1000, 0}}, {"current", {990, 10}}});
  {
    Random random(28);
    std::vector<double> r, c;
    for (int k = 0; k < 50; ++k) {
      r.push_back(static_cast<double>(1 + random.Below(200)));
      c.push_back(static_cast<double>(1 + random.Below(200)));
    }
    counts.push_back({{"reference", r}, {"current", c}});
  }
  cases["counts"] = counts;

  Json kstwo = Json::array();
  for (int n : {3, 10, 50, 140, 141, 400, 2400, 20000, 150000}) {
    for (double x : {0.4 / n, 0.8 / n, 1.5 / n, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45,
                     0.6, 0.9, 1.0 - 1.5 / n}) {
      if (x > 0.0 && x < 1.0) kstwo.push_back({n, x});
    }
  }
  cases["kstwo"] = kstwo;
  Json smirnov = Json::array();
  for (int n : {1, 2, 10, 100, 1000, 5000, 200000, 1200000})
    for (double x : {0.5 / n, 1.0 / n, 0.001, 0.01, 0.05, 0.1, 0.3, 0.6, 0.95})
      if (x <= 1.0) smirnov.push_back({n, x});
  cases["smirnov"] = smirnov;
  Json chi2 = Json::array();
  for (double k : {1.0, 2.0, 3.0, 5.0, 30.0, 200.0, 2000.0})
    for (double f : {0.05, 0.5, 1.0, 1.5, 3.0, 6.0}) chi2.push_back({k * f, k});
  chi2.push_back({60.0, 1.0});
  chi2.push_back({2300.0, 2000.0});
  cases["chi2"] = chi2;
  cases["normal"] = {-3.0, -0.5, 0.0, 0.7, 1.96, 5.0, 12.0, 30.0};
  cases["binomial"] = {Json{3, 11, 0.5}, Json{0, 5, 0.5}, Json{12, 24, 0.5}, Json{40, 200, 0.3}, Json{150, 200, 0.7}};

  Json binary = Json::array();
  auto add_binary = [&](std::size_t n, double separation, double rounding, std::uint64_t seed, bool all_negative) {
    Random random(seed);
    std::vector<int> y(n), pred(n);
    std::vector<double> score(n);
    std::vector<double> noise = NormalSample(n, 0, 1, seed + 100);
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = random.Uniform() < 0.4 ? 1 : 0;
      double s = Logistic(separation * (y[i] == 1 ? 1.0 : -1.0) + noise[i]);
      if (rounding > 0) s = std::round(s / rounding) * rounding;
      score[i] = s;
      pred[i] = all_negative ? 0 : (s >= 0.5 ? 1 : 0);
    }
    binary.push_back({{"y", y}, {"score", score}, {"pred", pred}});
  };
  add_binary(300, 0.8, 0.0, 40, false);
  add_binary(300, 0.5, 0.05, 41, false);  // many tied scores
  add_binary(2000, 1.0, 0.01, 42, false);
  add_binary(200, 0.6, 0.0, 43, true);  // precision of class 1 divides by zero
  binary.push_back(
      {{"y", {0, 1, 1, 0, 1, 0}}, {"score", {0.0, 1.0, 0.5, 0.5, 0.9, 0.1}}, {"pred", {0, 1, 1, 1, 1, 0}}});
  cases["binary"] = binary;

  Json multiclass = Json::array();
  auto add_multiclass = [&](std::size_t n, int k, bool tied, std::uint64_t seed) {
    Random random(seed);
    std::vector<int> y(n);
    std::vector<double> proba;
    std::vector<double> noise = NormalSample(n * static_cast<std::size_t>(k), 0, 1, seed + 100);
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = static_cast<int>(random.Below(static_cast<std::uint64_t>(k)));
      std::vector<double> logits(static_cast<std::size_t>(k));
      double total = 0.0;
      for (int c = 0; c < k; ++c) {
        logits[c] = std::exp((c == y[i] ? 1.0 : 0.0) + noise[i * k + c]);
        total += logits[c];
      }
      if (tied) {
        // Multiples of 1/20 that sum to one: many tied scores per class.
        std::vector<int> units(static_cast<std::size_t>(k));
        int used = 0;
        for (int c = 0; c + 1 < k; ++c) {
          units[c] = std::min(20 - used, static_cast<int>(std::floor(20.0 * logits[c] / total)));
          used += units[c];
        }
        units[k - 1] = 20 - used;
        for (int c = 0; c < k; ++c) proba.push_back(units[c] / 20.0);
      } else {
        for (int c = 0; c < k; ++c) proba.push_back(logits[c] / total);
      }
    }
    std::vector<int> pred = ArgMaxLabels(proba, static_cast<std::size_t>(k));
    multiclass.push_back({{"classes", k}, {"y", y}, {"proba", proba}, {"pred", pred}});
  };
  add_multiclass(400, 4, false, 50);
  add_multiclass(300, 3, true, 51);
  add_multiclass(150, 5, false, 52);
  cases["multiclass"] = multiclass;

  Json regression = Json::array();
  {
    std::vector<double> y = NormalSample(500, 10, 5, 60);
    std::vector<double> noise = NormalSample(500, 0, 1.5, 61);
    std::vector<double> pred(500);
    for (std::size_t i = 0; i < y.size(); ++i) pred[i] = y[i] + noise[i];
    y[3] = 0.0;  // MAPE divides by eps here
    regression.push_back({{"y", y}, {"pred", pred}});
    std::vector<double> y7(y.begin(), y.begin() + 7), p7(pred.begin(), pred.begin() + 7);
    regression.push_back({{"y", y7}, {"pred", p7}});
    regression.push_back({{"y", {2.0, 2.0, 2.0}}, {"pred", {2.0, 2.0, 2.0}}});
    regression.push_back({{"y", {2.0, 2.0, 2.0}}, {"pred", {1.0, 2.0, 3.0}}});
  }
  cases["regression"] = regression;

  Json mcnemar = Json::array();
  for (auto [b, c] :
       std::vector<std::pair<int, int>>{{3, 8}, {0, 5}, {12, 12}, {10, 14}, {10, 15}, {40, 60}, {100, 100}, {1, 30}})
    mcnemar.push_back({{"b", b}, {"c", c}});
  cases["mcnemar"] = mcnemar;

  Json delong = Json::array();
  auto add_delong = [&](std::size_t n, double rounding, std::uint64_t seed) {
    Random random(seed);
    std::vector<int> y(n);
    std::vector<double> a(n), b(n);
    std::vector<double> shared = NormalSample(n, 0, 1, seed + 1);
    std::vector<double> own_a = NormalSample(n, 0, 0.7, seed + 2);
    std::vector<double> own_b = NormalSample(n, 0, 0.7, seed + 3);
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = random.Uniform() < 0.35 ? 1 : 0;
      const double signal = y[i] == 1 ? 1.0 : 0.0;
      a[i] = Logistic(0.9 * signal + shared[i] + own_a[i]);
      b[i] = Logistic(1.3 * signal + shared[i] + own_b[i]);
      if (rounding > 0) {
        a[i] = std::round(a[i] / rounding) * rounding;
        b[i] = std::round(b[i] / rounding) * rounding;
      }
    }
    delong.push_back({{"y", y}, {"a", a}, {"b", b}});
  };
  add_delong(400, 0.0, 70);
  add_delong(300, 0.05, 71);
  add_delong(40, 0.0, 72);
  cases["delong"] = delong;
  return cases;
}

std::string RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[65536];
  std::size_t got;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  if (pclose(pipe) != 0) output.clear();
  return output;
}

class ReferenceParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cases_ = new Json(BuildCases());
    const fs::path dir = fs::temp_directory_path() / ("cairn-stats-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path input = dir / "cases.json";
    std::ofstream(input) << cases_->dump();
    const fs::path script = fs::path(CAIRN_SOURCE_DIR) / "tests/stats/reference_stats.py";
    const std::string output = RunCommand("/usr/bin/python3 '" + script.string() + "' '" + input.string() + "'");
    fs::remove_all(dir);
    reference_ = new Json(output.empty() ? Json() : Json::parse(output));
  }
  static void TearDownTestSuite() {
    delete cases_;
    delete reference_;
    cases_ = reference_ = nullptr;
  }
  void SetUp() override {
    ASSERT_FALSE(reference_->is_null())
        << "/usr/bin/python3 with Debian's scipy, sklearn and numpy is needed for this test";
  }

  static Json* cases_;
  static Json* reference_;
};

Json* ReferenceParity::cases_ = nullptr;
Json* ReferenceParity::reference_ = nullptr;

TEST_F(ReferenceParity, KolmogorovSmirnovMatchesKs2samp) {
  const Json& numeric = (*cases_)["numeric"];
  for (std::size_t c = 0; c < numeric.size(); ++c) {
    const std::string name = numeric[c]["name"];
    SCOPED_TRACE(name);
    const std::vector<double> a = Doubles(numeric[c]["a"]), b = Doubles(numeric[c]["b"]);
    const Json& expected = (*reference_)["numeric"][c];
    KsStatistic ks = KsTwoSample(a, b);
    ExpectClose(ks.statistic, Num(expected["ks_statistic"]), 1e-12, 0, "ks statistic");
    ExpectClose(ks.p_value, Num(expected["ks_pvalue"]), 1e-6, 0, "ks p-value");
    // Tight relative agreement as well, where the p-value is not tiny.
    ExpectClose(ks.p_value, Num(expected["ks_pvalue"]), 1e-300, 1e-6, "ks p-value (relative)");
    KsStatistic swapped = KsTwoSample(b, a);
    EXPECT_EQ(swapped.statistic, ks.statistic);
  }
}

TEST_F(ReferenceParity, KolmogorovDistributionsMatchScipy) {
  const Json& kstwo = (*cases_)["kstwo"];
  for (std::size_t i = 0; i < kstwo.size(); ++i) {
    const auto n = kstwo[i][0].get<std::int64_t>();
    const double x = kstwo[i][1].get<double>();
    const double expected = Num((*reference_)["kstwo"][i]);
    const std::string what = "kstwo.sf(" + std::to_string(x) + ", " + std::to_string(n) + ")";
    ExpectClose(KolmogorovSf(n, x), expected, 1e-10, 1e-7, what);
  }
  const Json& smirnov = (*cases_)["smirnov"];
  for (std::size_t i = 0; i < smirnov.size(); ++i) {
    const auto n = smirnov[i][0].get<std::int64_t>();
    const double x = smirnov[i][1].get<double>();
    const std::string what = "smirnov(" + std::to_string(n) + ", " + std::to_string(x) + ")";
    ExpectClose(SmirnovSf(n, x), Num((*reference_)["smirnov"][i]), 1e-12, 1e-9, what);
  }
}

TEST_F(ReferenceParity, ChiSquareNormalBinomialMatchScipy) {
  const Json& chi2 = (*cases_)["chi2"];
  for (std::size_t i = 0; i < chi2.size(); ++i) {
    const double x = chi2[i][0].get<double>(), k = chi2[i][1].get<double>();
    const std::string what = "chi2.sf(" + std::to_string(x) + ", " + std::to_string(k) + ")";
    ExpectClose(ChiSquareSf(x, k), Num((*reference_)["chi2"][i]), 1e-300, 1e-12, what);
  }
  const Json& normal = (*cases_)["normal"];
  for (std::size_t i = 0; i < normal.size(); ++i)
    ExpectClose(NormalSf(normal[i].get<double>()), Num((*reference_)["normal_sf"][i]), 1e-300, 1e-11,
                "norm.sf");  // libm erfc vs cephes far in the tail
  const Json& binomial = (*cases_)["binomial"];
  for (std::size_t i = 0; i < binomial.size(); ++i)
    ExpectClose(BinomialCdf(binomial[i][0].get<std::int64_t>(), binomial[i][1].get<std::int64_t>(),
                            binomial[i][2].get<double>()),
                Num((*reference_)["binomial_cdf"][i]), 1e-13, 1e-10, "binom.cdf");
}

TEST_F(ReferenceParity, DriftStatisticsMatchScipyAndNumpy) {
  const Json& numeric = (*cases_)["numeric"];
  for (std::size_t c = 0; c < numeric.size(); ++c) {
    SCOPED_TRACE(numeric[c]["name"].get<std::string>());
    const std::vector<double> a = Doubles(numeric[c]["a"]), b = Doubles(numeric[c]["b"]);
    const Json& expected = (*reference_)["numeric"][c];
    ExpectClose(WassersteinDistance(a, b), Num(expected["wasserstein"]), 1e-9, 1e-9, "wasserstein_distance");
    DriftResult wasserstein = WassersteinTest(a, b);
    ExpectClose(wasserstein.statistic, Num(expected["wasserstein_normed"]), 1e-9, 1e-9, "normed wasserstein");

    DriftResult psi = PsiTest(a, b);
    ExpectClose(psi.statistic, Num(expected["psi"]), 1e-12, 1e-12, "psi");
    ASSERT_TRUE(psi.bins.has_value());
    ExpectAllClose(psi.bins->edges, expected["edges"], 1e-15, "edges");
    ExpectAllClose(psi.bins->reference_shares, expected["reference_shares"], 1e-15, "reference shares");
    ExpectAllClose(psi.bins->current_shares, expected["current_shares"], 1e-15, "current shares");
    DriftResult js = JensenShannonTest(a, b);
    ExpectClose(js.statistic, Num(expected["jensenshannon"]), 1e-12, 1e-12, "jensen-shannon");
    ExpectClose(js.statistic, Num(expected["jensenshannon_scipy"]), 1e-12, 1e-12, "scipy jensenshannon");
  }
}

TEST_F(ReferenceParity, CategoricalDriftMatchesScipy) {
  const Json& counts = (*cases_)["counts"];
  for (std::size_t c = 0; c < counts.size(); ++c) {
    SCOPED_TRACE("counts case " + std::to_string(c));
    const std::vector<double> r = Doubles(counts[c]["reference"]), cur = Doubles(counts[c]["current"]);
    const Json& expected = (*reference_)["counts"][c];
    DriftResult chi = ChiSquareTest(r, cur);
    ExpectClose(chi.statistic, Num(expected["chisquare_statistic"]), 1e-9, 1e-12, "chisquare statistic");
    ExpectClose(chi.p_value, Num(expected["chisquare_pvalue"]), 1e-9, 0, "chisquare p-value");
    ExpectClose(PsiTestCounts(r, cur).statistic, Num(expected["psi"]), 1e-12, 1e-12, "psi");
    ExpectClose(JensenShannonTestCounts(r, cur).statistic, Num(expected["jensenshannon"]), 1e-12, 1e-12, "js");
    if (expected.contains("z_statistic")) {
      DriftResult z = ZTest(r, cur);
      ExpectClose(z.statistic, Num(expected["z_statistic"]), 1e-12, 1e-12, "z statistic");
      ExpectClose(z.p_value, Num(expected["z_pvalue"]), 1e-9, 0, "z p-value");
    }
  }
}

TEST_F(ReferenceParity, BinaryClassificationMatchesSklearn) {
  const Json& binary = (*cases_)["binary"];
  constexpr double kTol = 1e-9;
  for (std::size_t c = 0; c < binary.size(); ++c) {
    SCOPED_TRACE("binary case " + std::to_string(c));
    const std::vector<int> y = Ints(binary[c]["y"]), pred = Ints(binary[c]["pred"]);
    const std::vector<double> score = Doubles(binary[c]["score"]);
    const Json& e = (*reference_)["binary"][c];
    ExpectClose(Accuracy(y, pred), Num(e["accuracy"]), kTol, 0, "accuracy");
    ExpectClose(BalancedAccuracy(y, pred), Num(e["balanced_accuracy"]), kTol, 0, "balanced accuracy");
    PrecisionRecallF1 prf = ComputePrecisionRecallF1(y, pred, std::vector<int>{0, 1});
    for (std::size_t k = 0; k < 2; ++k) {
      ExpectClose(prf.per_class[k].precision, Num(e["precision"][k]), kTol, 0, "precision");
      ExpectClose(prf.per_class[k].recall, Num(e["recall"][k]), kTol, 0, "recall");
      ExpectClose(prf.per_class[k].f1, Num(e["f1"][k]), kTol, 0, "f1");
      EXPECT_EQ(prf.per_class[k].support, e["support"][k].get<std::int64_t>());
    }
    PrecisionRecallF1 observed = ComputePrecisionRecallF1(y, pred);
    ExpectClose(observed.macro_precision, Num(e["macro_precision"]), kTol, 0, "macro precision");
    ExpectClose(observed.macro_recall, Num(e["macro_recall"]), kTol, 0, "macro recall");
    ExpectClose(observed.macro_f1, Num(e["macro_f1"]), kTol, 0, "macro f1");
    ExpectClose(observed.weighted_f1, Num(e["weighted_f1"]), kTol, 0, "weighted f1");
    ExpectClose(observed.weighted_precision, Num(e["weighted_precision"]), kTol, 0, "weighted precision");
    ExpectClose(RocAuc(y, score), Num(e["roc_auc"]), kTol, 0, "roc auc");
    ExpectClose(AveragePrecision(y, score), Num(e["average_precision"]), kTol, 0, "average precision");
    ExpectClose(BinaryLogLoss(y, score), Num(e["log_loss"]), kTol, 0, "log loss");
    ExpectClose(BrierScore(y, score), Num(e["brier"]), kTol, 0, "brier");
    ConfusionMatrix confusion = ComputeConfusionMatrix(y, pred, std::vector<int>{0, 1});
    std::vector<double> counts(confusion.counts.begin(), confusion.counts.end());
    ExpectAllClose(counts, e["confusion"], 0, "confusion");
    RocCurve roc = ComputeRocCurve(y, score);
    ExpectAllClose(roc.fpr, e["roc_fpr"], 1e-12, "roc fpr");
    ExpectAllClose(roc.tpr, e["roc_tpr"], 1e-12, "roc tpr");
    ExpectAllClose(roc.thresholds, e["roc_thresholds"], 1e-12, "roc thresholds");
    PrecisionRecallCurve pr = ComputePrecisionRecallCurve(y, score);
    ExpectAllClose(pr.precision, e["pr_precision"], 1e-12, "pr precision");
    ExpectAllClose(pr.recall, e["pr_recall"], 1e-12, "pr recall");
    ExpectAllClose(pr.thresholds, e["pr_thresholds"], 1e-12, "pr thresholds");
    CalibrationCurve calibration = ComputeCalibrationCurve(y, score, 10);
    ExpectAllClose(calibration.fraction_positive, e["calibration_true"], 1e-12, "calibration prob_true");
    ExpectAllClose(calibration.mean_predicted, e["calibration_pred"], 1e-12, "calibration prob_pred");
  }
}

TEST_F(ReferenceParity, MulticlassClassificationMatchesSklearn) {
  const Json& multiclass = (*cases_)["multiclass"];
  constexpr double kTol = 1e-9;
  for (std::size_t c = 0; c < multiclass.size(); ++c) {
    SCOPED_TRACE("multiclass case " + std::to_string(c));
    const auto k = multiclass[c]["classes"].get<std::size_t>();
    const std::vector<int> y = Ints(multiclass[c]["y"]), pred = Ints(multiclass[c]["pred"]);
    const std::vector<double> proba = Doubles(multiclass[c]["proba"]);
    const Json& e = (*reference_)["multiclass"][c];
    ExpectClose(Accuracy(y, pred), Num(e["accuracy"]), kTol, 0, "accuracy");
    ExpectClose(BalancedAccuracy(y, pred), Num(e["balanced_accuracy"]), kTol, 0, "balanced accuracy");
    PrecisionRecallF1 prf = ComputePrecisionRecallF1(y, pred);
    ExpectClose(prf.macro_precision, Num(e["macro_precision"]), kTol, 0, "macro precision");
    ExpectClose(prf.macro_recall, Num(e["macro_recall"]), kTol, 0, "macro recall");
    ExpectClose(prf.macro_f1, Num(e["macro_f1"]), kTol, 0, "macro f1");
    ExpectClose(prf.weighted_f1, Num(e["weighted_f1"]), kTol, 0, "weighted f1");
    ASSERT_EQ(prf.per_class.size(), e["f1"].size());
    for (std::size_t i = 0; i < prf.per_class.size(); ++i)
      ExpectClose(prf.per_class[i].f1, Num(e["f1"][i]), kTol, 0, "per-class f1");
    ExpectClose(RocAucOvr(y, proba, k), Num(e["roc_auc_ovr"]), kTol, 0, "ovr roc auc");
    ExpectClose(AveragePrecisionOvr(y, proba, k), Num(e["average_precision_ovr"]), kTol, 0, "ovr average precision");
    ExpectClose(LogLoss(y, proba, k), Num(e["log_loss"]), kTol, 0, "log loss");
    ExpectClose(MulticlassBrierScore(y, proba, k), Num(e["brier"]), kTol, 0, "multiclass brier");
    ConfusionMatrix confusion = ComputeConfusionMatrix(y, pred);
    std::vector<double> counts(confusion.counts.begin(), confusion.counts.end());
    ExpectAllClose(counts, e["confusion"], 0, "confusion");
  }
}

TEST_F(ReferenceParity, RegressionMatchesSklearn) {
  const Json& regression = (*cases_)["regression"];
  for (std::size_t c = 0; c < regression.size(); ++c) {
    SCOPED_TRACE("regression case " + std::to_string(c));
    const std::vector<double> y = Doubles(regression[c]["y"]), pred = Doubles(regression[c]["pred"]);
    const Json& e = (*reference_)["regression"][c];
    RegressionMetrics m = ComputeRegressionMetrics(y, pred);
    ExpectClose(m.rmse, Num(e["rmse"]), 1e-9, 1e-12, "rmse");
    ExpectClose(m.mae, Num(e["mae"]), 1e-9, 1e-12, "mae");
    ExpectClose(m.r2, Num(e["r2"]), 1e-9, 1e-12, "r2");
    ExpectClose(m.mape, Num(e["mape"]), 1e-9, 1e-12, "mape");
    ExpectClose(m.median_absolute_error, Num(e["median_absolute_error"]), 1e-9, 1e-12, "median absolute error");
    ExpectClose(m.max_error, Num(e["max_error"]), 1e-9, 1e-12, "max error");
  }
}

TEST_F(ReferenceParity, McNemarMatchesScipy) {
  const Json& mcnemar = (*cases_)["mcnemar"];
  for (std::size_t c = 0; c < mcnemar.size(); ++c) {
    const auto b = mcnemar[c]["b"].get<std::int64_t>(), cc = mcnemar[c]["c"].get<std::int64_t>();
    SCOPED_TRACE("b=" + std::to_string(b) + " c=" + std::to_string(cc));
    const Json& e = (*reference_)["mcnemar"][c];
    McNemarResult result = McNemarTest(b, cc);
    EXPECT_EQ(result.exact, b + cc < kMcNemarExactBelow);
    if (result.exact) {
      ExpectClose(result.p_value, Num(e["exact_pvalue"]), 1e-12, 1e-9, "binomtest p-value");
      EXPECT_EQ(result.statistic, static_cast<double>(std::min(b, cc)));
    } else {
      ExpectClose(result.statistic, Num(e["chi2_statistic"]), 1e-12, 1e-12, "corrected statistic");
      ExpectClose(result.p_value, Num(e["chi2_pvalue"]), 1e-12, 1e-9, "chi2.sf p-value");
    }
  }
}

TEST_F(ReferenceParity, DeLongMatchesNumpyReimplementation) {
  const Json& delong = (*cases_)["delong"];
  for (std::size_t c = 0; c < delong.size(); ++c) {
    SCOPED_TRACE("delong case " + std::to_string(c));
    const std::vector<int> y = Ints(delong[c]["y"]);
    const std::vector<double> a = Doubles(delong[c]["a"]), b = Doubles(delong[c]["b"]);
    const Json& e = (*reference_)["delong"][c];
    DeLongResult result = DeLongTest(y, a, b);
    ExpectClose(result.auc_a, Num(e["auc_a"]), 1e-12, 0, "auc a");
    ExpectClose(result.auc_b, Num(e["auc_b"]), 1e-12, 0, "auc b");
    ExpectClose(result.auc_a, Num(e["sklearn_auc_a"]), 1e-12, 0, "auc a against roc_auc_score");
    ExpectClose(result.variance_a, Num(e["var_a"]), 1e-15, 1e-9, "variance a");
    ExpectClose(result.variance_b, Num(e["var_b"]), 1e-15, 1e-9, "variance b");
    ExpectClose(result.covariance, Num(e["cov"]), 1e-15, 1e-9, "covariance");
    ExpectClose(result.z, Num(e["z"]), 1e-9, 1e-9, "z");
    ExpectClose(result.p_value, Num(e["pvalue"]), 1e-12, 1e-9, "p-value");
  }
}

}  // namespace
}  // namespace cairn::stats
