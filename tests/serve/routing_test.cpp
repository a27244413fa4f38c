// The pieces behind the routes, without sockets: the error-status table, the
// deterministic A/B split, token auth, and the A/B significance test.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "cairn/serve/ab_report.h"
#include "cairn/serve/http_status.h"
#include "cairn/serve/token_auth.h"
#include "cairn/serve/traffic_router.h"

namespace cairn::serve {
namespace {

TEST(HttpStatusTest, OneTableForEveryErrorCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kCorrupt), 500);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kIo), 503);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnsupported), 415);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(ErrorBody(ErrorCode::kNotFound, "no \"x\""), R"({"error_code":"not_found","message":"no \"x\""})");
}

TEST(TrafficRouterTest, SameKeyAlwaysMeetsSameVariant) {
  TrafficRouter router(0.3);
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "user-" + std::to_string(i);
    const Variant first = router.Choose(key);
    for (int repeat = 0; repeat < 3; ++repeat) EXPECT_EQ(router.Choose(key), first) << key;
  }
  // Fixed across builds and machines: a key's variant survives restarts.
  EXPECT_DOUBLE_EQ(TrafficRouter::KeyPosition("user-42"), TrafficRouter::KeyPosition(std::string("user-") + "42"));
}

TEST(TrafficRouterTest, SplitWithinTwoPointsOverTenThousandKeys) {
  for (double share : {0.05, 0.1, 0.25, 0.5, 0.9}) {
    TrafficRouter router(share);
    int challenger = 0;
    for (int i = 0; i < 10000; ++i) challenger += router.Choose("customer:" + std::to_string(i)) == Variant::kChallenger;
    EXPECT_NEAR(challenger / 10000.0, share, 0.02) << "share " << share;
  }
  TrafficRouter none(0.0), all(1.0);
  EXPECT_EQ(none.Choose("k"), Variant::kChampion);
  EXPECT_EQ(all.Choose("k"), Variant::kChallenger);
  EXPECT_THROW(TrafficRouter(1.5), Error);
}

TEST(TrafficRouterTest, RequestsWithoutKeySplitRandomly) {
  TrafficRouter router(0.5);
  int challenger = 0;
  for (int i = 0; i < 4000; ++i) challenger += router.Choose("") == Variant::kChallenger;
  EXPECT_NEAR(challenger / 4000.0, 0.5, 0.05);
}

TEST(TokenAuthTest, ScopesMissingAndWrongTokens) {
  TokenAuth auth = TokenAuth::FromText("# tokens\nalpha predict,feedback\n\nbeta metrics\ngamma\n", "tokens.txt");
  EXPECT_TRUE(auth.enabled());
  EXPECT_EQ(auth.Check("", Scope::kPredict), AuthResult::kMissing);
  EXPECT_EQ(auth.Check("Bearer nope", Scope::kPredict), AuthResult::kInvalid);
  EXPECT_EQ(auth.Check("Basic alpha", Scope::kPredict), AuthResult::kInvalid);
  EXPECT_EQ(auth.Check("Bearer alpha", Scope::kPredict), AuthResult::kAllowed);
  EXPECT_EQ(auth.Check("Bearer alpha", Scope::kFeedback), AuthResult::kAllowed);
  EXPECT_EQ(auth.Check("Bearer alpha", Scope::kMetrics), AuthResult::kForbidden);
  EXPECT_EQ(auth.Check("Bearer beta", Scope::kMetrics), AuthResult::kAllowed);
  EXPECT_EQ(auth.Check("Bearer beta", Scope::kPredict), AuthResult::kForbidden);
  EXPECT_EQ(auth.Check("Bearer gamma", Scope::kAdmin), AuthResult::kAllowed);  // no scopes listed: all
  EXPECT_EQ(auth.Check("Bearer alph", Scope::kPredict), AuthResult::kInvalid);
  EXPECT_EQ(TokenAuth().Check("", Scope::kAdmin), AuthResult::kAllowed);
  try {
    TokenAuth::FromText("t1 predict\nt2 predict,root\n", "tokens.txt");
    FAIL() << "unknown scope accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("tokens.txt:2: unknown scope 'root'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(TokenAuth::FromText("# nothing\n", "empty.txt"), Error);
}

TEST(AbReportTest, TwoProportionZTestMatchesTheFormula) {
  // 800/1000 against 850/1000: pooled 0.825, se = sqrt(.825 * .175 * 2 / 1000).
  const auto result = TwoProportionZTest(800, 1000, 850, 1000);
  const double se = std::sqrt(0.825 * 0.175 * 0.002);
  EXPECT_NEAR(result.difference, 0.05, 1e-12);
  EXPECT_NEAR(result.z, 0.05 / se, 1e-9);
  EXPECT_NEAR(result.p_value, 0.0032562696, 1e-8);  // scipy: 2 * norm.sf(2.9424494)
  EXPECT_EQ(TwoProportionZTest(0, 0, 5, 10).p_value, 1.0);
  EXPECT_EQ(TwoProportionZTest(10, 10, 10, 10).p_value, 1.0);
}

}  // namespace
}  // namespace cairn::serve
