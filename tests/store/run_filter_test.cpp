#include "cairn/store/run_filter.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/store/run_sort.h"

namespace cairn::store {
namespace {

Run MakeRun(std::string id, std::string name, double auc, std::string model, int64_t start) {
  Run run;
  run.id = std::move(id);
  run.name = std::move(name);
  run.experiment_name = "credit";
  run.start_time = start;
  run.metrics["roc_auc"] = Metric{"roc_auc", auc, 0, 0};
  run.params["model"] = std::move(model);
  return run;
}

bool Matches(std::string_view filter, const Run& run) { return RunFilter::Parse(filter).Matches(run); }

std::string ParseError(std::string_view filter) {
  try {
    RunFilter::Parse(filter);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    return error.what();
  }
  ADD_FAILURE() << "filter parsed: " << filter;
  return "";
}

TEST(RunFilter, EvaluatesComparisons) {
  store::Run run = MakeRun("a1", "baseline", 0.85, "gbdt", *ParseUtc("2026-03-01"));
  run.params["depth"] = "12";
  run.params["note"] = "n/a";
  run.tags["team"] = "Risk";
  run.status = RunStatus::kFinished;
  run.end_time = *ParseUtc("2026-03-02");

  EXPECT_TRUE(Matches("", run));
  EXPECT_TRUE(Matches("   ", run));
  EXPECT_TRUE(Matches("metrics.roc_auc > 0.8 and params.model = 'gbdt'", run));
  EXPECT_FALSE(Matches("metrics.roc_auc > 0.8 and params.model = 'mlp'", run));
  EXPECT_TRUE(Matches("metrics.roc_auc >= 0.85 AND metrics.roc_auc <= 0.85", run));
  EXPECT_TRUE(Matches("metrics.roc_auc != 0.9", run));
  EXPECT_TRUE(Matches("metrics.roc_auc = '0.85'", run));
  EXPECT_TRUE(Matches("params.depth > 9", run));    // numeric: 12 > 9
  EXPECT_TRUE(Matches("params.depth > '9'", run));  // a quoted number is still a number
  EXPECT_TRUE(Matches("params.note > 9", run));     // text: "n/a" > "9"
  EXPECT_TRUE(Matches("params.model LIKE 'gb%'", run));
  EXPECT_TRUE(Matches("params.model like '_bd_'", run));
  EXPECT_FALSE(Matches("params.model LIKE 'GB%'", run));
  EXPECT_TRUE(Matches("params.model ILIKE 'GB%'", run));
  EXPECT_TRUE(Matches("params.model NOT LIKE 'lin%'", run));
  EXPECT_TRUE(Matches("tags.team = \"Risk\"", run));
  EXPECT_TRUE(Matches("status = 'FINISHED' and attributes.status = 'finished'", run));
  EXPECT_TRUE(Matches("name = 'baseline' and run_id LIKE 'a%' and experiment = 'credit'", run));
  EXPECT_TRUE(Matches("start_time >= '2026-03-01' and end_time < '2026-03-03'", run));
  EXPECT_TRUE(Matches("params.model = 'x' or (metrics.roc_auc > 0.5 and tags.team = 'Risk')", run));
  EXPECT_FALSE(Matches("(params.model = 'x' or metrics.roc_auc > 0.9) and tags.team = 'Risk'", run));
  EXPECT_TRUE(Matches("metrics.`roc_auc` > 0.1", run));
  EXPECT_TRUE(Matches("params.model = 'it''s' or params.model = 'gbdt'", run));
  // Absent fields never match, not even with !=.
  EXPECT_FALSE(Matches("metrics.loss < 1", run));
  EXPECT_FALSE(Matches("params.missing != 'x'", run));
  EXPECT_FALSE(Matches("parent_run_id = 'x'", run));

  run.metrics["loss"] = Metric{"loss", std::nan(""), 0, 0};
  EXPECT_FALSE(Matches("metrics.loss < 1", run));
  EXPECT_FALSE(Matches("metrics.loss >= 1", run));
}

TEST(RunFilter, ReportsErrorsWithTheirPosition) {
  EXPECT_EQ(ParseError("metrics.auc 0.8"),
            "filter: position 13: expected an operator after 'metrics.auc' (= != < <= > >= or LIKE), found '0.8'");
  EXPECT_EQ(ParseError("metrics.auc >"),
            "filter: position 14: expected a value (a number or a quoted string) after '>', found the end of the "
            "filter");
  EXPECT_EQ(ParseError("params.model = 'gbdt"), "filter: position 16: unterminated string; add the closing '");
  EXPECT_EQ(ParseError("metrics.auc > 0.8 params.x = 1"),
            "filter: position 19: expected 'and', 'or' or the end of the filter, found 'params.x'");
  EXPECT_EQ(ParseError("metrcs.auc > 1"),
            "filter: position 1: unknown field group 'metrcs'; did you mean 'metrics'?");
  EXPECT_EQ(ParseError("stauts = 'FINISHED'"), "filter: position 1: unknown field 'stauts'; did you mean 'status'?");
  EXPECT_EQ(ParseError("attributes.colour = 'x'"),
            "filter: position 1: unknown attribute 'colour'; expected one of status, name, run_id, start_time, "
            "end_time, experiment, parent_run_id");
  EXPECT_EQ(ParseError("metrics.auc > 'high'"), "filter: position 15: metrics.auc compares with numbers, not 'high'");
  EXPECT_EQ(ParseError("metrics.auc LIKE '0.%'"), "filter: position 18: LIKE needs text, but metrics.auc is a number");
  EXPECT_EQ(ParseError("params.model LIKE 3"),
            "filter: position 19: LIKE needs a quoted pattern such as 'gb%', found '3'");
  EXPECT_EQ(ParseError("status = 'DONE'"),
            "filter: position 10: unknown status 'DONE'; expected RUNNING, FINISHED, FAILED or KILLED");
  EXPECT_EQ(ParseError("start_time > 'yesterday'"),
            "filter: position 14: start_time compares with microseconds or a date such as '2026-01-31', not "
            "'yesterday'");
  EXPECT_EQ(ParseError("(metrics.auc > 1"),
            "filter: position 17: expected ')' to close the '(' at position 1, found the end of the filter");
  EXPECT_EQ(ParseError("metrics.auc > 1)"), "filter: position 16: ')' without a matching '('");
  EXPECT_EQ(ParseError("metrics.auc # 1"), "filter: position 13: unexpected character '#'");
  EXPECT_EQ(ParseError("metrics.auc ! 1"), "filter: position 13: unexpected '!'; write != for 'not equal'");
  EXPECT_EQ(ParseError("and metrics.auc > 1"),
            "filter: position 1: expected a field such as metrics.auc, params.model or status, found 'and'");
  EXPECT_EQ(ParseError("metrics. > 1"), "filter: position 1: 'metrics.' names no key after the dot");
  EXPECT_EQ(ParseError("metrics.auc > 1 and"),
            "filter: position 20: expected a field such as metrics.auc, params.model or status, found the end of "
            "the filter");
}

TEST(RunSort, SortsByKeysWithMissingValuesLast) {
  std::vector<store::Run> runs = {MakeRun("a", "r1", 0.7, "gbdt", 100), MakeRun("b", "r2", 0.9, "mlp", 200),
                           MakeRun("c", "r3", 0.8, "linear", 300), MakeRun("d", "r4", 0.0, "gbdt", 400)};
  runs[3].metrics.clear();
  runs[2].params["depth"] = "10";
  runs[1].params["depth"] = "9";

  SortRuns(runs, {});
  EXPECT_EQ(runs[0].id, "d");  // newest first
  EXPECT_EQ(runs[3].id, "a");

  SortRuns(runs, ParseRunSortKeys({"-metrics.roc_auc"}));
  EXPECT_EQ(runs[0].id, "b");
  EXPECT_EQ(runs[1].id, "c");
  EXPECT_EQ(runs[2].id, "a");
  EXPECT_EQ(runs[3].id, "d");  // no roc_auc: last

  SortRuns(runs, ParseRunSortKeys({"metrics.roc_auc"}));
  EXPECT_EQ(runs[0].id, "a");
  EXPECT_EQ(runs[3].id, "d");

  SortRuns(runs, ParseRunSortKeys({"params.model,-start_time"}));
  EXPECT_EQ(runs[0].id, "d");
  EXPECT_EQ(runs[1].id, "a");
  EXPECT_EQ(runs[2].id, "c");
  EXPECT_EQ(runs[3].id, "b");

  SortRuns(runs, ParseRunSortKeys({"params.depth"}));  // numbers: 9 before 10
  EXPECT_EQ(runs[0].id, "b");
  EXPECT_EQ(runs[1].id, "c");

  SortRuns(runs, ParseRunSortKeys({"start_time"}));
  EXPECT_EQ(runs[0].id, "a");

  try {
    ParseRunSortKeys({"-metrcs.auc"});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
    EXPECT_STREQ(error.what(), "sort key '-metrcs.auc': unknown field group 'metrcs'; did you mean 'metrics'?");
  }
}

}  // namespace
}  // namespace cairn::store
