#include "cairn/store/audit_log.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "cairn/core/error.h"
#include "cairn/core/sha256.h"
#include "cairn/store/store.h"
#include "temp_store.h"

namespace cairn::store {
namespace {

using testing::TempDir;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("CAIRN_ACTOR", "auditor", 1);
    store_ = std::make_unique<Store>(dir_.db());
    // Six events: experiment.create, run.create, three run.log, run.end.
    const store::Run run = store_->tracking().CreateRun("exp", "r1");
    run_id_ = run.id;
    store_->tracking().LogParam(run.id, "model", "gbdt");
    store_->tracking().LogMetric(run.id, "auc", 0.8, 1);
    store_->tracking().SetTag(run.id, "team", "risk");
    store_->tracking().EndRun(run.id, RunStatus::kFinished);
  }
  void TearDown() override { unsetenv("CAIRN_ACTOR"); }

  void Sql(const std::string& sql) { store_->connection().Execute(sql, "tamper with the audit chain"); }
  AuditVerification Verify() { return store_->VerifyAuditChain(); }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::string run_id_;
};

TEST_F(AuditLogTest, AnUntouchedChainVerifies) {
  const AuditVerification result = Verify();
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.count, 6);
  EXPECT_EQ(result.first_bad_seq, 0);

  const std::vector<AuditEvent> events = store_->ListAuditEvents();
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0].seq, 1);
  EXPECT_EQ(events[0].action, "experiment.create");
  EXPECT_EQ(events[0].prev_hash, kGenesisHash);
  EXPECT_EQ(events[0].actor, "auditor");
  EXPECT_EQ(events[2].action, "run.log");
  EXPECT_EQ(events[2].subject, "run:" + run_id_);
  EXPECT_EQ(Json::parse(events[2].payload), (Json{{"run", run_id_}, {"params", {{"model", "gbdt"}}}}));
  EXPECT_EQ(events[2].payload_hash, Sha256Hex(events[2].payload));
  for (size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i].prev_hash, events[i - 1].hash);
  EXPECT_EQ(events[5].hash, AuditEventHash(events[5]));
  EXPECT_EQ(ToJson(events[5])["action"], "run.end");
}

TEST_F(AuditLogTest, ListsBySubjectAndLimit) {
  const auto for_run = store_->ListAuditEvents("run:" + run_id_);
  ASSERT_EQ(for_run.size(), 5u);
  EXPECT_EQ(for_run.front().action, "run.create");
  const auto newest = store_->ListAuditEvents(std::nullopt, 2);
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].seq, 5);
  EXPECT_EQ(newest[1].seq, 6);
  EXPECT_TRUE(store_->ListAuditEvents("experiment:none").empty());
}

TEST_F(AuditLogTest, HashFollowsTheDocumentedEncoding) {
  AuditEvent event;
  event.seq = 1;
  event.at = 42;
  event.actor = "a";
  event.action = "x.y";
  event.subject = "s";
  event.payload_hash = std::string(64, 'b');
  event.prev_hash = kGenesisHash;
  const std::string text = "cairn-audit-v1\n1:1\n2:42\n1:a\n3:x.y\n1:s\n64:" + event.payload_hash + "\n64:" +
                           kGenesisHash + "\n";
  EXPECT_EQ(AuditEventHash(event), Sha256Hex(text));
}

TEST_F(AuditLogTest, DetectsAnEditedActor) {
  Sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.reason.find("audit event 3"), std::string::npos) << result.reason;
}

TEST_F(AuditLogTest, DetectsAnEditedPayload) {
  Sql("UPDATE audit_events SET payload = '{\"run\":\"x\"}' WHERE seq = 4");
  EXPECT_EQ(Verify().first_bad_seq, 4);
}

TEST_F(AuditLogTest, DetectsAnEditedPayloadHash) {
  Sql("UPDATE audit_events SET payload_hash = '" + std::string(64, 'f') + "' WHERE seq = 2");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
}

TEST_F(AuditLogTest, DetectsAnEventRewrittenWithAValidHash) {
  // Editing a row and recomputing its own hash still breaks the next link.
  auto events = store_->ListAuditEvents();
  AuditEvent forged = events[2];
  forged.actor = "mallory";
  forged.hash = AuditEventHash(forged);
  Sql("UPDATE audit_events SET actor = 'mallory', hash = '" + forged.hash + "' WHERE seq = 3");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
}

TEST_F(AuditLogTest, DetectsADeletedMiddleEvent) {
  Sql("DELETE FROM audit_events WHERE seq = 3");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.reason.find("missing"), std::string::npos) << result.reason;
}

TEST_F(AuditLogTest, DetectsSwappedEvents) {
  // Exchange everything but the sequence numbers of events 2 and 3.
  Sql("CREATE TABLE saved AS SELECT * FROM audit_events WHERE seq IN (2, 3)");
  for (const char* column : {"at", "actor", "action", "subject", "payload", "payload_hash", "prev_hash", "hash"}) {
    const std::string c = column;
    Sql("UPDATE audit_events SET " + c + " = (SELECT s." + c + " FROM saved s WHERE s.seq = 5 - audit_events.seq) " +
        "WHERE seq IN (2, 3)");
  }
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
}

TEST_F(AuditLogTest, DetectsRenumberedEvents) {
  // Reordering by swapping sequence numbers only.
  Sql("UPDATE audit_events SET seq = 100 WHERE seq = 4");
  Sql("UPDATE audit_events SET seq = 4 WHERE seq = 5");
  Sql("UPDATE audit_events SET seq = 5 WHERE seq = 100");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
}

TEST_F(AuditLogTest, DetectsDeletedNewestEvents) {
  Sql("DELETE FROM audit_events WHERE seq >= 5");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5);
  EXPECT_NE(result.reason.find("deleted"), std::string::npos) << result.reason;
}

TEST_F(AuditLogTest, DetectsForgedEventsAppendedAtTheEnd) {
  auto events = store_->ListAuditEvents();
  AuditEvent forged = events.back();
  forged.seq = 7;
  forged.prev_hash = events.back().hash;
  forged.hash = AuditEventHash(forged);
  Sql("INSERT INTO audit_events (seq, at, actor, action, subject, payload, payload_hash, prev_hash, hash) VALUES (7, " +
      std::to_string(forged.at) + ", '" + forged.actor + "', '" + forged.action + "', '" + forged.subject + "', '" +
      forged.payload + "', '" + forged.payload_hash + "', '" + forged.prev_hash + "', '" + forged.hash + "')");
  const AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 7);
}

TEST_F(AuditLogTest, RefusesToAppendOutsideATransaction) {
  EXPECT_THROW(AppendAuditEvent(store_->connection(), "x", "y", Json::object()), Error);
}

TEST_F(AuditLogTest, RollsBackWithTheChange) {
  {
    sql::Transaction transaction(store_->connection());
    AppendAuditEvent(store_->connection(), "test.event", "test:1", Json{{"a", 1}});
  }
  EXPECT_EQ(store_->ListAuditEvents().size(), 6u);
  EXPECT_TRUE(Verify().ok);
}

}  // namespace
}  // namespace cairn::store
