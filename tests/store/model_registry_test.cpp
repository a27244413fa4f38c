#include "cairn/store/model_registry.h"

#include <gtest/gtest.h>

#include <functional>

#include "cairn/core/error.h"
#include "cairn/core/sha256.h"
#include "cairn/store/migrations.h"
#include "cairn/store/store.h"
#include "temp_store.h"

namespace cairn::store {
namespace {

using testing::TempDir;

std::pair<ErrorCode, std::string> ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return {error.code(), error.what()};
  }
  ADD_FAILURE() << "expected a cairn::Error";
  return {ErrorCode::kIo, ""};
}

class ModelRegistryTest : public ::testing::Test {
 protected:
  ModelRegistry& models() { return store_.models(); }

  // A FINISHED run holding `path` with the given content's hash.
  std::string FinishedRun(const std::string& content, const std::string& path = "model.onnx") {
    const store::Run run = store_.tracking().CreateRun("credit", "train");
    store_.tracking().RecordArtifact(run.id, path, Sha256Hex(content), static_cast<int64_t>(content.size()));
    store_.tracking().EndRun(run.id, RunStatus::kFinished);
    return run.id;
  }

  std::vector<AuditEvent> EventsWith(const std::string& action) {
    std::vector<AuditEvent> found;
    for (auto& event : store_.ListAuditEvents()) {
      if (event.action == action) found.push_back(event);
    }
    return found;
  }

  TempDir dir_;
  Store store_{dir_.db()};
};

TEST_F(ModelRegistryTest, VersionsCountUpPerModel) {
  const std::string run1 = FinishedRun("first");
  const std::string run2 = FinishedRun("second");
  const auto v1 = RegisterRunModel(store_, run1, "credit-risk");
  const auto v2 = RegisterRunModel(store_, run2, "credit-risk");
  const auto other = RegisterRunModel(store_, run2, "fraud");
  EXPECT_TRUE(v1.created);
  EXPECT_EQ(v1.version.version, 1);
  EXPECT_EQ(v2.version.version, 2);
  EXPECT_EQ(other.version.version, 1);
  EXPECT_EQ(v2.version.blob_hash, Sha256Hex("second"));
  EXPECT_EQ(v2.version.size, 6);
  EXPECT_EQ(v2.version.source, ModelSource::kRun);
  EXPECT_EQ(v2.version.run_id, run2);

  const ModelVersion fetched = models().GetVersion("credit-risk", 2);
  EXPECT_EQ(fetched.blob_hash, v2.version.blob_hash);
  EXPECT_EQ(models().Resolve("credit-risk").version, 2);
  EXPECT_EQ(models().Resolve("credit-risk@latest").version, 2);
  EXPECT_EQ(models().Resolve("credit-risk@1").blob_hash, Sha256Hex("first"));
  EXPECT_EQ(models().Resolve("run:" + run1).version, 1);

  const auto summaries = models().ListModels();
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].name, "credit-risk");
  EXPECT_EQ(summaries[0].latest_version, 2);
  EXPECT_EQ(summaries[0].versions, 2);
  EXPECT_EQ(summaries[1].name, "fraud");

  const auto versions = models().ListVersions("credit-risk");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[1].version, 2);

  // Each version is audited and linked to its run.
  const auto created = EventsWith("model.version.create");
  ASSERT_EQ(created.size(), 3u);
  EXPECT_EQ(created[0].subject, "model:credit-risk");
  EXPECT_EQ(Json::parse(created[0].payload)["new_model"], true);
  EXPECT_FALSE(Json::parse(created[1].payload).contains("new_model"));
  const auto edges = store_.lineage().ListLineage("model", "credit-risk@2");
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0].from_kind, "run");
  EXPECT_EQ(edges[0].from_id, run2);
  EXPECT_TRUE(store_.VerifyAuditChain().ok);
}

TEST_F(ModelRegistryTest, RegisteringTheSameRunAgainIsANoOp) {
  const std::string run = FinishedRun("weights");
  const auto first = RegisterRunModel(store_, run, "credit-risk");
  const size_t events = store_.ListAuditEvents().size();
  const auto again = RegisterRunModel(store_, run.substr(0, 8), "credit-risk");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.version, first.version.version);
  EXPECT_EQ(store_.ListAuditEvents().size(), events);
}

TEST_F(ModelRegistryTest, DerivedVersionsLinkToTheirParent) {
  RegisterRunModel(store_, FinishedRun("float"), "credit-risk");
  NewModelVersion spec;
  spec.name = "credit-risk";
  spec.blob_hash = Sha256Hex("int8");
  spec.size = 4;
  spec.source = ModelSource::kDerived;
  spec.parent_version = 1;
  spec.metadata = Json{{"quantization", "int8"}};
  const auto derived = models().CreateVersion(spec);
  EXPECT_EQ(derived.version.version, 2);
  EXPECT_EQ(derived.version.parent_version, 1);
  EXPECT_EQ(models().GetVersion("credit-risk", 2).metadata["quantization"], "int8");
  const auto edges = store_.lineage().ListLineage("model", "credit-risk@2");
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0].from_id, "credit-risk@1");
  EXPECT_EQ(edges[0].kind, "derived_from");

  spec.parent_version = 9;
  auto [code, message] = ErrorOf([&] { models().CreateVersion(spec); });
  EXPECT_EQ(code, ErrorCode::kNotFound);
  EXPECT_EQ(message, "model 'credit-risk' has no version 9; its versions are 1 to 2");
  spec.parent_version.reset();
  EXPECT_EQ(ErrorOf([&] { models().CreateVersion(spec); }).first, ErrorCode::kInvalidInput);
}

TEST_F(ModelRegistryTest, AliasesMoveAndAuditTheirPreviousVersion) {
  RegisterRunModel(store_, FinishedRun("a"), "credit-risk");
  RegisterRunModel(store_, FinishedRun("b"), "credit-risk");

  const AliasChange set = models().SetAlias("credit-risk", "champion", 1);
  EXPECT_TRUE(set.changed);
  EXPECT_FALSE(set.previous);
  EXPECT_EQ(models().Resolve("credit-risk@champion").version, 1);

  const AliasChange moved = models().SetAlias("credit-risk", "champion", 2);
  EXPECT_TRUE(moved.changed);
  EXPECT_EQ(moved.previous, 1);
  EXPECT_EQ(models().Resolve("credit-risk@champion").version, 2);

  const AliasChange same = models().SetAlias("credit-risk", "champion", 2);
  EXPECT_FALSE(same.changed);

  const auto events = EventsWith("model.alias.set");
  ASSERT_EQ(events.size(), 2u);
  const Json first = Json::parse(events[0].payload);
  EXPECT_EQ(first["version"], 1);
  EXPECT_TRUE(first["previous"].is_null());
  const Json second = Json::parse(events[1].payload);
  EXPECT_EQ(second["alias"], "champion");
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["previous"], 1);

  models().SetAlias("credit-risk", "challenger", 1);
  EXPECT_EQ(models().GetVersion("credit-risk", 2).aliases, std::vector<std::string>{"champion"});
  EXPECT_EQ(models().ListModels()[0].aliases.at("challenger"), 1);
  const auto aliases = models().ListAliases("credit-risk");
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].alias, "challenger");

  EXPECT_EQ(models().DeleteAlias("credit-risk", "challenger"), 1);
  const auto deleted = EventsWith("model.alias.delete");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(Json::parse(deleted[0].payload)["version"], 1);

  auto [code, message] = ErrorOf([&] { models().Resolve("credit-risk@challenger"); });
  EXPECT_EQ(code, ErrorCode::kNotFound);
  EXPECT_EQ(message, "model 'credit-risk' has no alias 'challenger'; its aliases are champion (2)");
  EXPECT_EQ(ErrorOf([&] { models().DeleteAlias("credit-risk", "challenger"); }).first, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf([&] { models().SetAlias("credit-risk", "champion", 5); }).first, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf([&] { models().SetAlias("credit-risk", "Champion", 1); }).first, ErrorCode::kInvalidInput);
  EXPECT_EQ(ErrorOf([&] { models().SetAlias("credit-risk", "42", 1); }).first, ErrorCode::kInvalidInput);
  EXPECT_EQ(ErrorOf([&] { models().SetAlias("credit-rsk", "champion", 1); }).second,
            "no model 'credit-rsk'; did you mean 'credit-risk'?");
  EXPECT_TRUE(store_.VerifyAuditChain().ok);
}

TEST_F(ModelRegistryTest, ResolveNamesWhatExists) {
  RegisterRunModel(store_, FinishedRun("a"), "credit-risk");
  EXPECT_EQ(ErrorOf([&] { models().Resolve("credit-risk@7"); }).second,
            "model 'credit-risk' has no version 7; its versions are 1 to 1");
  EXPECT_EQ(ErrorOf([&] { models().Resolve("credit-risk@champion"); }).second,
            "model 'credit-risk' has no alias 'champion'; it has no aliases");
  EXPECT_EQ(ErrorOf([&] { models().Resolve("nothing"); }).first, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf([&] { models().Resolve("model.onnx"); }).first, ErrorCode::kInvalidInput);
  const store::Run unregistered = store_.tracking().CreateRun("credit", "x");
  EXPECT_EQ(ErrorOf([&] { models().Resolve("run:" + unregistered.id); }).first, ErrorCode::kNotFound);
}

TEST_F(ModelRegistryTest, RegisterNeedsAFinishedRunWithTheArtifact) {
  const store::Run running = store_.tracking().CreateRun("credit", "train");
  store_.tracking().RecordArtifact(running.id, "model.onnx", Sha256Hex("x"), 1);
  auto [code, message] = ErrorOf([&] { RegisterRunModel(store_, running.id, "credit-risk"); });
  EXPECT_EQ(code, ErrorCode::kConflict);
  EXPECT_EQ(message, "run " + running.id + " is RUNNING; only a FINISHED run's model can be registered");

  store_.tracking().EndRun(running.id, RunStatus::kFailed);
  EXPECT_EQ(ErrorOf([&] { RegisterRunModel(store_, running.id, "credit-risk"); }).first, ErrorCode::kConflict);

  const std::string finished = FinishedRun("x", "model/model.onnx");
  std::tie(code, message) = ErrorOf([&] { RegisterRunModel(store_, finished, "credit-risk"); });
  EXPECT_EQ(code, ErrorCode::kNotFound);
  EXPECT_EQ(message, "run " + finished + " has no artifact 'model.onnx'; its artifacts are model/model.onnx");
  EXPECT_EQ(RegisterRunModel(store_, finished, "credit-risk", "model/model.onnx").version.version, 1);

  EXPECT_EQ(ErrorOf([&] { RegisterRunModel(store_, "0123456789", "credit-risk"); }).first, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf([&] { RegisterRunModel(store_, finished, "bad name"); }).first, ErrorCode::kInvalidInput);
  // Failed registrations left nothing behind.
  EXPECT_EQ(models().ListVersions("credit-risk").size(), 1u);
  EXPECT_EQ(EventsWith("model.version.create").size(), 1u);
}

TEST_F(ModelRegistryTest, RecordsAndListsEvaluations) {
  RegisterRunModel(store_, FinishedRun("a"), "credit-risk");
  RegisterRunModel(store_, FinishedRun("b"), "credit-risk");
  store_.datasets().AddDatasetVersion({"credit", Sha256Hex("rows"), "csv", "credit.csv", 10, 3, {}, {}});

  const Evaluation first = models().RecordEvaluation({"credit-risk", 1, "credit", 1, Json{{"roc_auc", 0.8}}, {}});
  models().RecordEvaluation({"credit-risk", 2, "credit", 1, Json{{"roc_auc", 0.85}}, {}});
  EXPECT_EQ(first.id.size(), 32u);
  EXPECT_EQ(models().ListEvaluations("credit-risk").size(), 2u);
  const auto only_two = models().ListEvaluations("credit-risk", 2);
  ASSERT_EQ(only_two.size(), 1u);
  EXPECT_EQ(only_two[0].metrics["roc_auc"], 0.85);
  EXPECT_EQ(ToJson(only_two[0])["dataset"], "credit@1");

  const auto events = EventsWith("evaluation.create");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(Json::parse(events[0].payload)["model"], "credit-risk@1");

  EXPECT_EQ(ErrorOf([&] { models().RecordEvaluation({"credit-risk", 1, "credit", 4, Json::object(), {}}); }).first,
            ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf([&] { models().RecordEvaluation({"credit-risk", 3, "credit", 1, Json::object(), {}}); }).first,
            ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf([&] { models().RecordEvaluation({"credit-risk", 1, "credit", 1, Json::array(), {}}); }).first,
            ErrorCode::kInvalidInput);
}

TEST(ModelRef, ParsesEveryForm) {
  ModelRef ref = ParseModelRef("credit-risk@3");
  EXPECT_EQ(ref.kind, ModelRefKind::kVersion);
  EXPECT_EQ(ref.name, "credit-risk");
  EXPECT_EQ(ref.version, 3);

  ref = ParseModelRef("credit-risk@champion");
  EXPECT_EQ(ref.kind, ModelRefKind::kAlias);
  EXPECT_EQ(ref.alias, "champion");

  EXPECT_EQ(ParseModelRef("credit-risk").kind, ModelRefKind::kLatest);
  EXPECT_EQ(ParseModelRef("credit-risk@latest").kind, ModelRefKind::kLatest);
  EXPECT_EQ(ParseModelRef("credit_risk.v2@shadow-1").alias, "shadow-1");

  ref = ParseModelRef("run:ABCdef012345");
  EXPECT_EQ(ref.kind, ModelRefKind::kRun);
  EXPECT_EQ(ref.run, "abcdef012345");

  ref = ParseModelRef("exports/model@2.ONNX");
  EXPECT_EQ(ref.kind, ModelRefKind::kFile);
  EXPECT_EQ(ref.path, "exports/model@2.ONNX");
  EXPECT_EQ(ParseModelRef("model.onnx").kind, ModelRefKind::kFile);

  for (const char* text : {"credit-risk@3", "credit-risk@champion", "credit-risk", "run:abcdef", "m.onnx"}) {
    EXPECT_EQ(FormatModelRef(ParseModelRef(text)), text);
  }
}

TEST(ModelRef, RejectsMalformedReferences) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "model reference is empty"},
      {"@3", "has no model name"},
      {"credit-risk@", "has nothing after '@'"},
      {"credit-risk@0", "versions are numbered from 1"},
      {"credit-risk@99999999999999999999", "versions are numbered from 1"},
      {"credit-risk@Champion", "aliases use lower-case letters"},
      {"credit-risk@champ!on", "has '!'"},
      {"credit-risk@a@b", "has '@'"},
      {"run:", "has no run id"},
      {"run:xyz", "not hexadecimal"},
      {"models/model.bin", "does not end in .onnx"},
      {"-model", "must not start with '-'"},
      {"credit risk", "has ' '"},
  };
  for (const auto& [text, fragment] : cases) {
    auto [code, message] = ErrorOf([&] { ParseModelRef(text); });
    EXPECT_EQ(code, ErrorCode::kInvalidInput) << text;
    EXPECT_NE(message.find(fragment), std::string::npos) << text << " -> " << message;
  }
}

TEST(ModelRef, AliasRules) {
  EXPECT_NO_THROW(ValidateAliasName("champion"));
  EXPECT_NO_THROW(ValidateAliasName("canary_2"));
  EXPECT_NO_THROW(ValidateAliasName("v2"));
  for (const char* bad : {"", "123", "latest", "Prod", "a b", "a.b"}) {
    EXPECT_EQ(ErrorOf([&] { ValidateAliasName(bad); }).first, ErrorCode::kInvalidInput) << bad;
  }
  EXPECT_EQ(ErrorOf([&] { ValidateModelName("thing.onnx"); }).first, ErrorCode::kInvalidInput);
}

TEST(ModelRegistryMigration, UpgradesAVersionTwoStore) {
  TempDir dir;
  std::string run_id;
  {
    auto connection = sql::OpenConnection(dir.db());
    const std::vector<Migration> first_two(Migrations().begin(), Migrations().begin() + 2);
    Migrate(*connection, first_two);
    ASSERT_EQ(CurrentSchemaVersion(*connection), 2);
    TrackingStore tracking(*connection);
    const store::Run run = tracking.CreateRun("credit", "old");
    tracking.RecordArtifact(run.id, "model.onnx", Sha256Hex("old"), 3);
    tracking.EndRun(run.id, RunStatus::kFinished);
    run_id = run.id;
  }
  Store store(dir.db());
  EXPECT_EQ(CurrentSchemaVersion(store.connection()), LatestSchemaVersion());
  const auto created = RegisterRunModel(store, run_id, "credit-risk");
  EXPECT_EQ(created.version.version, 1);
  EXPECT_EQ(store.tracking().GetRun(run_id).name, "old");
  EXPECT_TRUE(store.VerifyAuditChain().ok);
}

}  // namespace
}  // namespace cairn::store
