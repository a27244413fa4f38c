#include "cairn/workflow/retraining.h"

#include <cstdlib>
#include <filesystem>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/file_io.h"
#include "cairn/core/ids.h"
#include "cairn/data/csv_writer.h"
#include "cairn/eval/model_import.h"
#include "cairn/learn/feature_matrix.h"
#include "cairn/store/audit_log.h"
#include "cairn/store/sql/connection.h"

namespace cairn::workflow {
namespace {

// With `retrain.data: window`, the newest share of the labelled rows is kept for the comparison.
constexpr std::size_t kWindowCompareShare = 30;
constexpr std::size_t kMinWindowTrainingRows = 50;

// A folder under the system temp dir, removed when the object goes.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cairn-retrain-XXXXXX").string();
    if (!mkdtemp(pattern.data())) ThrowIo("cannot create a temporary folder under " + std::filesystem::temp_directory_path().string());
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void Audit(artifacts::Workspace& workspace, const std::string& action, const std::string& model, const Json& payload) {
  sql::Transaction transaction(workspace.store().connection());
  store::AppendAuditEvent(workspace.store().connection(), action, "model:" + model, payload);
  transaction.Commit();
}

// Records why nothing was retrained, then raises it.
[[noreturn]] void Skip(artifacts::Workspace& workspace, const RetrainRequest& request, const std::string& champion,
                       const std::string& reason) {
  Audit(workspace, "model.retrain.skip", request.model_name,
        Json{{"champion", champion}, {"alerts", request.alert_ids}, {"reason", reason}});
  ThrowInvalidInput("retrain " + request.model_name + ": " + reason);
}

std::string MetadataText(const store::ModelVersion& model, const char* key) {
  const Json& props = model.metadata.contains("metadata_props") ? model.metadata["metadata_props"] : Json::object();
  return props.contains(key) && props[key].is_string() ? props[key].get<std::string>() : std::string();
}

std::optional<store::RunArtifact> FindArtifact(artifacts::Workspace& workspace, const std::string& run_id,
                                               const std::string& path) {
  for (const auto& artifact : workspace.store().tracking().ListArtifacts(run_id))
    if (artifact.path == path) return artifact;
  return std::nullopt;
}

}  // namespace

RetrainOutcome Retrain(artifacts::Workspace& workspace, const RetrainRequest& request, const monitor::Policy& policy) {
  auto& store = workspace.store();
  const store::ModelVersion champion = store.models().Resolve(request.model_name + "@" + request.alias);
  RetrainOutcome outcome;
  outcome.champion = store::FormatModelRef(champion.name, champion.version);

  // 1. What to run: the config the champion's training run recorded.
  if (!champion.run_id)
    Skip(workspace, request, outcome.champion, outcome.champion + " was not trained by cairn, so there is no config to run again");
  const auto config = FindArtifact(workspace, *champion.run_id, learn::kTrainConfigArtifact);
  if (!config)
    Skip(workspace, request, outcome.champion,
         "run " + champion.run_id->substr(0, 12) + " of " + outcome.champion + " recorded no " +
             learn::kTrainConfigArtifact);
  const store::Run run = store.tracking().GetRun(*champion.run_id);
  const std::string target = MetadataText(champion, "cairn.target");

  // 2. What to compare on, checked before anything is trained.
  eval::PromotionOptions promotion;
  promotion.alias = request.alias;
  promotion.gate = eval::PromotionGate::kBetter;
  std::optional<monitor::LoggedTraffic> traffic;
  if (request.window && (!request.compare_data || policy.retrain.data == monitor::RetrainData::kWindow)) {
    monitor::TrafficScan scan;
    scan.model_name = champion.name;
    scan.window = *request.window;
    scan.keep_labelled_rows = true;
    scan.target = target.empty() ? "target" : target;
    scan.datetime_inputs = monitor::ScoreReader::DatetimeInputs(champion);
    try {
      traffic = monitor::ReadLoggedTraffic(store, stats::ReferenceData{}, monitor::ScoreReader::ForModel(champion), scan);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound) throw;
    }
  }
  const std::size_t labelled = traffic && traffic->labelled_rows ? traffic->labelled_rows->num_rows() : 0;
  // Training on the window keeps its newest rows out of training: they are what both models are compared on.
  const bool train_on_window = !request.data && policy.retrain.data == monitor::RetrainData::kWindow;
  std::optional<data::Table> window_train;
  std::optional<data::Table> window_compare;
  if (labelled > 0) {
    const std::size_t cut = train_on_window ? labelled - labelled * kWindowCompareShare / 100 : 0;
    std::vector<size_t> train_rows, compare_rows;
    for (size_t r = 0; r < labelled; ++r) (r < cut ? train_rows : compare_rows).push_back(r);
    window_train = learn::TakeRows(*traffic->labelled_rows, train_rows);
    window_compare = learn::TakeRows(*traffic->labelled_rows, compare_rows);
  }
  if (request.compare_data) {
    promotion.data = *request.compare_data;
    outcome.compared_on = *request.compare_data;
  } else if (window_compare && window_compare->num_rows() > 0) {
    eval::EvaluationData rows;
    rows.table = *window_compare;
    rows.label = "labelled traffic " + traffic->source.substr(4) + " (" + std::to_string(window_compare->num_rows()) +
                 " rows" + (train_on_window ? ", the newest " + std::to_string(kWindowCompareShare) + "%" : "") + ")";
    outcome.compared_on = rows.label;
    promotion.rows = std::move(rows);
  } else {
    Skip(workspace, request, outcome.champion,
         "no labelled rows to compare the challenger with " + outcome.champion +
             (request.window ? " in the prediction log of the window" : "") + "; send feedback or pass --compare-data");
  }

  // 3. What to train on.
  if (request.data) {
    const store::DatasetVersion version = artifacts::GetDataset(workspace, *request.data);
    outcome.dataset = store::FormatDatasetRef(version.name, version.version);
  } else if (train_on_window) {
    if (!window_train || window_train->num_rows() < kMinWindowTrainingRows)
      Skip(workspace, request, outcome.champion,
           "retrain.data is window, but the window holds " + std::to_string(window_train ? window_train->num_rows() : 0) +
               " labelled rows to train on; at least " + std::to_string(kMinWindowTrainingRows) + " are needed");
    ScratchDir scratch;
    const auto csv = scratch.path() / (champion.name + "-traffic.csv");
    WriteFileAtomic(csv, data::FormatCsv(*window_train));
    artifacts::AddDatasetOptions add;
    add.name = champion.name + "-traffic";
    const auto added = artifacts::AddDataset(workspace, csv, add);
    outcome.dataset = store::FormatDatasetRef(added.version.name, added.version.version);
  } else {
    auto trained_on = run.tags.find("cairn.dataset");
    if (trained_on == run.tags.end())
      Skip(workspace, request, outcome.champion, "run " + run.id.substr(0, 12) + " does not name its dataset");
    const store::DatasetRef old_ref = store::ParseDatasetRef(trained_on->second);
    const store::DatasetVersion newest = artifacts::GetDataset(workspace, old_ref.name);
    outcome.dataset = store::FormatDatasetRef(newest.name, newest.version);
    if (old_ref.version && newest.version <= *old_ref.version)
      Skip(workspace, request, outcome.champion,
           "no newer version of " + newest.name + " than " + trained_on->second + ", which " + outcome.champion +
               " was trained on; add the new data first");
  }

  Audit(workspace, "model.retrain.start", champion.name,
        Json{{"champion", outcome.champion}, {"dataset", outcome.dataset}, {"compare_on", outcome.compared_on},
             {"alerts", request.alert_ids}, {"trigger", request.alert_ids.empty() ? "manual" : "alert"}});

  // 4. Train with the recorded config on the new data; register the challenger.
  ScratchDir scratch;
  const auto config_path = scratch.path() / "train.yaml";
  WriteFileAtomic(config_path, workspace.artifacts().Get(config->blob_hash));
  learn::TrainingOptions training;
  training.config_path = config_path;
  training.overrides = {"data=" + outcome.dataset};
  training.source_dir = workspace.root();
  outcome.training = learn::RunTrainingJob(workspace, training);
  const store::CreatedModelVersion created = eval::RegisterRunModel(workspace, outcome.training.run_id, champion.name);
  outcome.challenger_version = created.version.version;
  const std::string challenger = store::FormatModelRef(champion.name, outcome.challenger_version);
  store.models().SetAlias(champion.name, kChallengerAlias, outcome.challenger_version);
  store.lineage().AddLineageEdge({"model", outcome.champion, "model", challenger, "retrained_as", 0});
  for (const auto& alert : request.alert_ids) store.lineage().AddLineageEdge({"alert", alert, "run", outcome.training.run_id, "triggered", 0});

  // 5. The gate: significantly better than the champion on the same labelled rows.
  outcome.decision = eval::PromoteModel(workspace, champion.name, outcome.challenger_version, promotion);
  // A promoted challenger is the champion now; the alias stays only on a challenger still waiting.
  if (outcome.decision.promoted) store.models().DeleteAlias(champion.name, kChallengerAlias);
  Audit(workspace, "model.retrain.complete", champion.name,
        Json{{"champion", outcome.champion},
             {"challenger", challenger},
             {"run", outcome.training.run_id},
             {"dataset", outcome.dataset},
             {"promoted", outcome.decision.promoted},
             {"reason", outcome.decision.reason}});
  return outcome;
}

Json ToJson(const RetrainOutcome& outcome) {
  return Json{{"champion", outcome.champion},
              {"dataset", outcome.dataset},
              {"compared_on", outcome.compared_on},
              {"training", learn::ToJson(outcome.training)},
              {"challenger_version", outcome.challenger_version},
              {"promotion", eval::ToJson(outcome.decision)}};
}

}  // namespace cairn::workflow
