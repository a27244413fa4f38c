#include "cairn/store/dataset_store.h"

#include <gtest/gtest.h>

#include "cairn/core/error.h"
#include "cairn/core/sha256.h"
#include "cairn/store/store.h"
#include "temp_store.h"

namespace cairn::store {
namespace {

using testing::TempDir;

NewDatasetVersion Spec(const std::string& name, const std::string& content, int64_t rows) {
  NewDatasetVersion spec;
  spec.name = name;
  spec.blob_hash = Sha256Hex(content);
  spec.format = "csv";
  spec.source_path = "/data/" + name + ".csv";
  spec.rows = rows;
  spec.columns = 3;
  spec.schema = Json{{"columns", Json::array({Json{{"name", "income"}, {"type", "float"}}})}};
  spec.profile = Json{{"rows", rows}};
  return spec;
}

std::string NotFoundMessage(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
    return error.what();
  }
  ADD_FAILURE() << "expected kNotFound";
  return "";
}

TEST(DatasetStore, RecordsANewVersionOnlyWhenTheContentChanges) {
  TempDir dir;
  Store store(dir.db());
  DatasetStore& datasets = store.datasets();

  const AddedDatasetVersion first = datasets.AddDatasetVersion(Spec("credit", "a,b,c\n1,2,3\n", 1));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.version.version, 1);

  const AddedDatasetVersion same = datasets.AddDatasetVersion(Spec("credit", "a,b,c\n1,2,3\n", 1));
  EXPECT_FALSE(same.created);
  EXPECT_EQ(same.version.version, 1);

  const AddedDatasetVersion second = datasets.AddDatasetVersion(Spec("credit", "a,b,c\n1,2,3\n4,5,6\n", 2));
  EXPECT_TRUE(second.created);
  EXPECT_EQ(second.version.version, 2);

  // Going back to old content is a change from the newest version, so it is version 3.
  EXPECT_EQ(datasets.AddDatasetVersion(Spec("credit", "a,b,c\n1,2,3\n", 1)).version.version, 3);
  datasets.AddDatasetVersion(Spec("bank", "x\n", 0));

  const DatasetVersion latest = datasets.GetDatasetVersion("credit");
  EXPECT_EQ(latest.version, 3);
  EXPECT_EQ(latest.rows, 1);
  EXPECT_EQ(latest.schema["columns"][0]["name"], "income");
  EXPECT_EQ(datasets.GetDatasetVersion(ParseDatasetRef("credit@2")).rows, 2);
  EXPECT_EQ(datasets.GetDatasetVersion(ParseDatasetRef("credit@latest")).version, 3);
  EXPECT_EQ(datasets.ListDatasetVersions("credit").size(), 3u);

  const auto summaries = datasets.ListDatasets();
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].name, "bank");
  EXPECT_EQ(summaries[1].name, "credit");
  EXPECT_EQ(summaries[1].latest_version, 3);
  EXPECT_EQ(summaries[1].rows, 1);

  EXPECT_EQ(NotFoundMessage([&] { datasets.GetDatasetVersion("x"); }), "no dataset 'x'");
  EXPECT_EQ(NotFoundMessage([&] { datasets.GetDatasetVersion("credti"); }),
            "no dataset 'credti'; did you mean 'credit'?");
  EXPECT_EQ(NotFoundMessage([&] { datasets.GetDatasetVersion("credit", 7); }),
            "dataset 'credit' has no version 7; latest is 3");

  // Three versions of credit recorded and one no-op: three audit events.
  EXPECT_EQ(store.ListAuditEvents(std::string("dataset:credit")).size(), 3u);
  EXPECT_TRUE(store.VerifyAuditChain().ok);
}

TEST(DatasetStore, ValidatesInput) {
  TempDir dir;
  Store store(dir.db());
  auto code = [&](NewDatasetVersion spec) {
    try {
      store.datasets().AddDatasetVersion(spec);
    } catch (const Error& error) {
      return error.code();
    }
    return ErrorCode::kIo;
  };
  EXPECT_EQ(code(Spec("bad name", "x", 1)), ErrorCode::kInvalidInput);
  EXPECT_EQ(code(Spec("a@2", "x", 1)), ErrorCode::kInvalidInput);
  EXPECT_EQ(code(Spec(".hidden", "x", 1)), ErrorCode::kInvalidInput);
  NewDatasetVersion bad_hash = Spec("ok", "x", 1);
  bad_hash.blob_hash = "abc";
  EXPECT_EQ(code(bad_hash), ErrorCode::kInvalidInput);
  EXPECT_TRUE(store.datasets().ListDatasets().empty());
}

TEST(DatasetRef, Parses) {
  EXPECT_EQ(ParseDatasetRef("credit").version, std::nullopt);
  EXPECT_EQ(ParseDatasetRef("credit@LATEST").version, std::nullopt);
  EXPECT_EQ(ParseDatasetRef("credit@12").version, 12);
  EXPECT_EQ(ParseDatasetRef("credit@12").name, "credit");
  EXPECT_THROW(ParseDatasetRef("credit@0"), Error);
  EXPECT_THROW(ParseDatasetRef("credit@x"), Error);
  EXPECT_THROW(ParseDatasetRef("@3"), Error);
  EXPECT_EQ(FormatDatasetRef("credit", 4), "credit@4");
}

TEST(LineageStore, AddsAndListsEdges) {
  TempDir dir;
  Store store(dir.db());
  const store::Run run = store.tracking().CreateRun("e", "r");
  EXPECT_TRUE(store.lineage().AddLineageEdge({"dataset", "credit@2", "run", run.id, "input", 0}));
  EXPECT_FALSE(store.lineage().AddLineageEdge({"dataset", "credit@2", "run", run.id, "input", 0}));
  EXPECT_TRUE(store.lineage().AddLineageEdge({"run", run.id, "model", "credit-risk@1", "output", 0}));
  const auto edges = store.lineage().ListLineage("run", run.id);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].from_id, "credit@2");
  EXPECT_EQ(store.lineage().ListLineage("dataset", "credit@2").size(), 1u);
  EXPECT_THROW(store.lineage().AddLineageEdge({"", "x", "run", run.id, "input", 0}), Error);
  EXPECT_EQ(ToJson(edges[1])["kind"], "output");
  EXPECT_TRUE(store.VerifyAuditChain().ok);
}

}  // namespace
}  // namespace cairn::store
