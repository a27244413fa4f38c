#include "cairn/monitor/drift_html.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cairn/data/credit_synth.h"
#include "cairn/data/csv_reader.h"
#include "cairn/monitor/drift_engine.h"
#include "report/markup_check.h"

namespace cairn::monitor {
namespace {

data::Table Credit(uint64_t seed, double drift, uint64_t rows) {
  std::ostringstream out;
  data::WriteCreditCsv({rows, seed, drift, 0.0}, out);
  data::CsvOptions options;
  options.threads = 1;
  return data::ReadCsvText(out.str(), options, "credit.csv");
}

std::vector<std::string> Svgs(const std::string& html) {
  std::vector<std::string> out;
  for (size_t start = html.find("<svg"); start != std::string::npos; start = html.find("<svg", start + 1)) {
    size_t end = html.find("</svg>", start);
    out.push_back(html.substr(start, end + 6 - start));
  }
  return out;
}

TEST(DriftHtml, SelfContainedWellFormedWithAChartPerFeatureAndTrends) {
  stats::ReferenceOptions options;
  options.exclude = {"applicant_id"};
  auto reference = stats::ReferenceData::FromTable(Credit(1, 0, 600), options, "credit@1");
  std::vector<DriftReport> history;
  for (uint64_t seed : {2, 3}) {
    CurrentData current;
    current.table = Credit(seed, 0.1 * static_cast<double>(seed), 400);
    current.source = "credit@" + std::to_string(seed);
    history.push_back(ComputeDrift(reference, current, {}));
    history.back().generated_at = 1700000000000000LL + static_cast<int64_t>(seed) * 86400000000LL;
  }
  CurrentData current;
  current.table = Credit(9, 0.8, 500);
  current.source = "credit@4";
  DriftReport report = ComputeDrift(reference, current, {});
  ASSERT_TRUE(report.dataset_drift);
  DriftPageInfo info{"Drift of credit <data>", "credit-data", "abc123", {"dataset drift: 9 of 13"}};
  const std::string html = RenderDriftHtml(report, info, history);

  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Nothing loaded from elsewhere (the SVG namespace URI is a name, not a fetch).
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("credit &lt;data&gt;"), std::string::npos);  // escaped
  EXPECT_NE(html.find("Dataset drift: "), std::string::npos);
  for (const auto& f : report.features) EXPECT_NE(html.find(f.feature), std::string::npos) << f.feature;
  const auto svgs = Svgs(html);
  size_t drifted = 0;
  for (const auto& f : report.features) drifted += f.drift ? 1 : 0;
  // One distribution per feature, the share trend, one trend per drifted feature.
  EXPECT_EQ(svgs.size(), report.features.size() + 1 + drifted);
  EXPECT_FALSE(report::testing::HasNonFiniteText(html));
  if (!report::testing::PythonAvailable()) GTEST_SKIP() << "no /usr/bin/python3";
  EXPECT_EQ(report::testing::CheckHtml(html), "");
  for (const auto& svg : svgs) EXPECT_EQ(report::testing::CheckSvg(svg), "");
}

TEST(DriftHtml, UntestedFeaturesAndNoHistory) {
  data::Table ref, cur;
  ref.AddColumn(data::Column::FromFloats("x", {1, 2, 3, 4, 5, 6, 7}, std::vector<uint8_t>(7, 0)));
  ref.AddColumn(data::Column::FromFloats("gone", {1, 2, 3, 4, 5, 6, 7}, std::vector<uint8_t>(7, 0)));
  cur.AddColumn(data::Column::FromFloats("x", {1, 1, 1}, {1, 1, 1}));  // all missing
  auto reference = stats::ReferenceData::FromTable(ref);
  CurrentData current;
  current.table = cur;
  auto report = ComputeDrift(reference, current, {});
  EXPECT_EQ(report.features_tested, 0u);
  const std::string html = RenderDriftHtml(report, {"Drift", "", "", {}});
  EXPECT_NE(html.find("no values in the current data"), std::string::npos);
  EXPECT_NE(html.find("not in the current data"), std::string::npos);
  if (!report::testing::PythonAvailable()) GTEST_SKIP() << "no /usr/bin/python3";
  EXPECT_EQ(report::testing::CheckHtml(html), "");
}

}  // namespace
}  // namespace cairn::monitor
