#include "cairn/report/svg_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "cairn/core/error.h"
#include "markup_check.h"

namespace cairn::report {
namespace {

using testing::CheckSvg;
using testing::HasNonFiniteText;
using testing::PythonAvailable;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::string kHostile = "<script>alert(\"x\")</script> & 'q'";

// One chart of every family, from the same inputs each time.
std::vector<std::pair<std::string, Svg>> EveryChart(const std::string& label) {
  std::vector<std::pair<std::string, Svg>> charts;
  charts.emplace_back("roc", RenderSvg(RocChart({{label, {0, 0.1, 0.3, 1}, {0, 0.6, 0.9, 1}, ""},
                                                 {"baseline", {0, 0.5, 1}, {0, 0.55, 1}, ""}})));
  charts.emplace_back("pr", RenderSvg(PrecisionRecallChart({{label, {0, 0.5, 1}, {1, 0.8, 0.4}, ""}}, 0.4)));
  charts.emplace_back("calibration", RenderSvg(CalibrationChart({{label, {0.05, 0.3, 0.7, 0.95}, {0.02, 0.35, 0.6, 0.9}, ""}})));
  charts.emplace_back("trend", RenderSvg(TrendChart({{label, {1.7e15, 1.7001e15, 1.7002e15}, {0.1, 0.2, 0.15}, ""}},
                                                    label, label)));
  Histogram histogram;
  histogram.options.title = label;
  histogram.options.x_label = label;
  histogram.edges = {0, 10, 20, 30, 40};
  histogram.series = {{"reference " + label, {10, 40, 30, 20}, ""}, {"current", {5, 15, 50, 30}, ""}};
  charts.emplace_back("histogram", RenderSvg(histogram));
  BarChart bars;
  bars.options.title = label;
  bars.categories = {"north", label, "south"};
  bars.series = {{"reference", {30, 50, 20}, ""}, {label, {20, 40, 40}, ""}};
  bars.normalize = true;
  charts.emplace_back("bars", RenderSvg(bars));
  bars.horizontal = true;
  charts.emplace_back("horizontal bars", RenderSvg(bars));
  charts.emplace_back("confusion", RenderSvg(ConfusionMatrixChart({"no", label}, {{50, 10}, {5, 35}})));
  charts.emplace_back("scatter", RenderSvg(PredictedVsActualChart({1, 2, 3, 4}, {1.1, 1.8, 3.3, 3.9}, label)));
  charts.emplace_back("residuals", RenderSvg(ResidualChart({1, 2, 3, 4}, {1.1, 1.8, 3.3, 3.9}, label)));
  return charts;
}

TEST(SvgCharts, EveryFamilyIsWellFormedXmlWithATitle) {
  if (!PythonAvailable()) GTEST_SKIP() << "no /usr/bin/python3";
  for (const auto& [name, svg] : EveryChart("model A")) {
    EXPECT_EQ(CheckSvg(svg.markup), "") << name << "\n" << svg.markup;
    EXPECT_EQ(svg.markup.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 0), 0u) << name;
    EXPECT_NE(svg.markup.find("<title>"), std::string::npos) << name;
  }
}

TEST(SvgCharts, EscapesLabels) {
  for (const auto& [name, svg] : EveryChart(kHostile)) {
    EXPECT_EQ(svg.markup.find("<script"), std::string::npos) << name;
    EXPECT_NE(svg.markup.find("&lt;script&gt;"), std::string::npos) << name;
    if (PythonAvailable()) {
      EXPECT_EQ(CheckSvg(svg.markup), "") << name;
    }
  }
}

TEST(SvgCharts, SameDataGivesTheSameBytes) {
  const auto first = EveryChart("model A");
  const auto second = EveryChart("model A");
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].second.markup, second[i].second.markup) << first[i].first;
}

TEST(SvgCharts, CoordinatesUseTwoDecimals) {
  const Svg svg = RenderSvg(RocChart({{"m", {0, 1.0 / 3, 1}, {0, 2.0 / 3, 1}, ""}}));
  EXPECT_EQ(svg.markup.find("0.333"), std::string::npos);
  EXPECT_NE(svg.markup.find("viewBox=\"0 0 420.00 420.00\""), std::string::npos);
}

// Empty, single-point, constant and non-finite inputs of every family.
std::vector<std::pair<std::string, Svg>> DegenerateCharts() {
  std::vector<std::pair<std::string, Svg>> charts;
  const std::vector<Series> cases[] = {
      {},
      {{"empty", {}, {}, ""}},
      {{"one point", {0.5}, {0.5}, ""}},
      {{"constant", {1, 2, 3}, {7, 7, 7}, ""}},
      {{"same x", {4, 4, 4}, {1, 2, 3}, ""}},
      {{"not a number", {kNaN, kNaN}, {kNaN, 1}, ""}},
      {{"gaps", {0, 1, kNaN, 3, 4}, {1, kInf, 2, -kInf, 3}, ""}},
      {{"ragged", {1, 2, 3}, {1}, ""}},
  };
  for (const auto& series : cases) {
    const std::string name = series.empty() ? "no series" : series[0].name;
    LineChart line;
    line.options.title = name;
    line.series = series;
    line.references = {{ReferenceLine::Kind::kDiagonal, 0, "d"}, {ReferenceLine::Kind::kHorizontal, kNaN, "h"}};
    charts.emplace_back("line " + name, RenderSvg(line));
    line.markers = true;
    line.options.x_format = AxisFormat::kTime;
    charts.emplace_back("time line " + name, RenderSvg(line));
    ScatterChart scatter;
    scatter.series = series;
    charts.emplace_back("scatter " + name, RenderSvg(scatter));
    charts.emplace_back("roc " + name, RenderSvg(RocChart(series)));
  }
  charts.emplace_back("residual NaN", RenderSvg(ResidualChart({kNaN, 1}, {1, kNaN})));
  charts.emplace_back("pva nan", RenderSvg(PredictedVsActualChart({kNaN}, {kInf})));
  charts.emplace_back("pva constant", RenderSvg(PredictedVsActualChart({3, 3}, {3, 3})));

  Histogram histogram;
  charts.emplace_back("histogram empty", RenderSvg(histogram));
  histogram.edges = {0, kNaN, 2};
  histogram.series = {{"a", {1, 2}, ""}};
  charts.emplace_back("histogram nan edge", RenderSvg(histogram));
  histogram.edges = {5, 5};
  histogram.series = {{"a", {3}, ""}};
  charts.emplace_back("histogram zero width", RenderSvg(histogram));
  histogram.edges = {0, 1, 2};
  histogram.series = {{"a", {kNaN, kInf}, ""}, {"b", {0, 0}, ""}};
  charts.emplace_back("histogram nan counts", RenderSvg(histogram));
  histogram.edges = {7};
  histogram.series = {};
  charts.emplace_back("histogram one edge", RenderSvg(histogram));

  BarChart bars;
  charts.emplace_back("bars empty", RenderSvg(bars));
  bars.categories = {"a"};
  bars.series = {{"x", {kNaN}, ""}};
  charts.emplace_back("bars nan", RenderSvg(bars));
  bars.horizontal = true;
  bars.normalize = true;
  charts.emplace_back("horizontal bars nan", RenderSvg(bars));

  Heatmap heatmap;
  charts.emplace_back("heatmap empty", RenderSvg(heatmap));
  charts.emplace_back("heatmap nan", RenderSvg(ConfusionMatrixChart({"a", "b"}, {{kNaN, 0}, {0, 0}})));
  ChartOptions tiny;
  tiny.width = 1;
  tiny.height = 1;
  LineChart small;
  small.options = tiny;
  small.series = {{"s", {0, 1}, {0, 1}, ""}};
  charts.emplace_back("tiny", RenderSvg(small));
  return charts;
}

TEST(SvgCharts, DegenerateDataNeverWritesNonFiniteNumbers) {
  for (const auto& [name, svg] : DegenerateCharts()) {
    EXPECT_FALSE(HasNonFiniteText(svg.markup)) << name << "\n" << svg.markup;
    if (PythonAvailable()) {
      EXPECT_EQ(CheckSvg(svg.markup), "") << name;
    }
  }
}

TEST(SvgCharts, EmptyChartsSayNoData) {
  LineChart line;
  line.options.title = "nothing";
  EXPECT_NE(RenderSvg(line).markup.find(">no data</text>"), std::string::npos);
  LineChart one;
  one.series = {{"one", {0.5}, {0.5}, ""}};
  const std::string markup = RenderSvg(one).markup;
  EXPECT_EQ(markup.find("no data"), std::string::npos);
  EXPECT_NE(markup.find("<circle"), std::string::npos);  // a lone point is still drawn
}

TEST(SvgCharts, MismatchedShapesAreInvalidInput) {
  Histogram histogram;
  histogram.options.title = "age";
  histogram.edges = {0, 1, 2};
  histogram.series = {{"reference", {1, 2, 3}, ""}};
  try {
    RenderSvg(histogram);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(std::string(error.what()), "chart 'age': series 'reference' has 3 values for 2 bins");
  }
  Heatmap heatmap;
  heatmap.row_labels = {"a", "b"};
  heatmap.column_labels = {"a", "b"};
  heatmap.values = {{1, 2}, {3}};
  EXPECT_THROW(RenderSvg(heatmap), Error);
}

TEST(SvgCharts, HistogramSharesAndTooltips) {
  Histogram histogram;
  histogram.edges = {0, 1, 2};
  histogram.series = {{"reference", {1, 3}, ""}};
  const std::string markup = RenderSvg(histogram).markup;
  EXPECT_NE(markup.find("reference: [0, 1) 25%"), std::string::npos);
  EXPECT_NE(markup.find("reference: [1, 2) 75%"), std::string::npos);
  EXPECT_NE(markup.find(">80%</text>"), std::string::npos);  // the share axis ends past 75%
}

TEST(SvgCharts, ConfusionMatrixShowsCountsAndRowShares) {
  const std::string markup = RenderSvg(ConfusionMatrixChart({"no", "yes"}, {{50, 10}, {5, 35}})).markup;
  EXPECT_NE(markup.find(">50</text>"), std::string::npos);
  EXPECT_NE(markup.find(">83.3%</text>"), std::string::npos);
  EXPECT_NE(markup.find("yes / no: 5 (12.5% of row)"), std::string::npos);
}

TEST(SvgCharts, LargeScattersAreThinnedDeterministically) {
  std::vector<double> x, y;
  for (int i = 0; i < 10000; ++i) {
    x.push_back(i);
    y.push_back(std::sin(i * 0.01));
  }
  ScatterChart chart;
  chart.series = {{"rows", x, y, ""}};
  chart.max_points = 1000;
  const std::string markup = RenderSvg(chart).markup;
  size_t circles = 0;
  for (size_t at = markup.find("<circle"); at != std::string::npos; at = markup.find("<circle", at + 1)) ++circles;
  EXPECT_EQ(circles, 1000u);
  EXPECT_EQ(markup, RenderSvg(chart).markup);
}

}  // namespace
}  // namespace cairn::report
