// The statistical checks of the monitoring issue on synthetic credit data,
// with 1000 reference and 1000 current rows (so KS, chi-square and Z run) and
// different seeds for reference and current, far enough apart that their
// random streams do not overlap:
//  - drift 0: no dataset drift for 20 of 20 seeds;
//  - drift 0.5: dataset drift for 20 of 20 seeds;
//  - drift 0, 200 seeds: the per-feature false-positive rate of KS at
//    alpha = 0.05 lies in [0.02, 0.08], over the continuous features (income,
//    loan_amount, debt_ratio, age, credit_history_months). Features with few
//    integer values (open_accounts, late_payments) are left out of that rate:
//    on tied data KS is conservative by construction, as in SciPy.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "cairn/data/credit_synth.h"
#include "cairn/data/csv_reader.h"
#include "cairn/monitor/drift_engine.h"

namespace cairn::monitor {
namespace {

constexpr uint64_t kRows = 1000;

data::Table Credit(uint64_t seed, double drift) {
  std::ostringstream out;
  data::WriteCreditCsv({kRows, seed, drift, 0.0}, out);
  data::CsvOptions options;
  options.threads = 1;
  return data::ReadCsvText(out.str(), options, "credit.csv");
}

DriftReport Check(uint64_t seed, double drift) {
  stats::ReferenceOptions options;
  options.exclude = {"applicant_id"};  // identifiers, as the example policy says
  // WriteCreditCsv's seed s starts its SplitMix64 sequence s steps into one
  // shared sequence, so nearby seeds reuse most of each other's draws and the
  // two samples would not be independent. A million steps apart they never
  // overlap (1000 rows take about 25,000 draws).
  auto reference = stats::ReferenceData::FromTable(Credit(seed * 1'000'000, 0.0), options, "reference");
  CurrentData current;
  current.table = Credit(seed * 1'000'000 + 500'000, drift);
  return ComputeDrift(reference, current, {});
}

TEST(SeedChecks, NoDatasetDriftWithoutDriftFor20Of20Seeds) {
  int drifted = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto report = Check(seed, 0.0);
    EXPECT_EQ(report.features_tested, 13u);
    drifted += report.dataset_drift ? 1 : 0;
  }
  std::cout << "drift 0: dataset drift in " << drifted << " of 20 seeds\n";
  EXPECT_EQ(drifted, 0);
}

TEST(SeedChecks, DatasetDriftAtHalfAStandardDeviationFor20Of20Seeds) {
  int drifted = 0;
  double min_share = 1.0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto report = Check(seed, 0.5);
    drifted += report.dataset_drift ? 1 : 0;
    min_share = std::min(min_share, report.drift_share);
  }
  std::cout << "drift 0.5: dataset drift in " << drifted << " of 20 seeds, smallest share " << min_share << "\n";
  EXPECT_EQ(drifted, 20);
}

TEST(SeedChecks, KsFalsePositiveRateOver200Seeds) {
  const std::set<std::string> continuous = {"income", "loan_amount", "debt_ratio", "age", "credit_history_months"};
  int tests = 0, positives = 0;
  std::map<std::string, int> per_feature;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    auto report = Check(seed, 0.0);
    for (const auto& f : report.features) {
      per_feature[f.feature] += f.drift ? 1 : 0;
      if (!continuous.count(f.feature)) continue;
      EXPECT_EQ(f.method, "ks") << f.feature;
      ++tests;
      positives += f.drift ? 1 : 0;
    }
  }
  for (const auto& [name, count] : per_feature) std::cout << name << " " << count << "\n";
  const double rate = static_cast<double>(positives) / tests;
  std::cout << "KS false-positive rate: " << positives << " of " << tests << " = " << rate << "\n";
  EXPECT_GE(rate, 0.02);
  EXPECT_LE(rate, 0.08);
}

}  // namespace
}  // namespace cairn::monitor
