#include "cairn/eval/run_holdout.h"

#include <cmath>
#include <optional>
#include <vector>

#include "cairn/artifacts/dataset_catalog.h"
#include "cairn/core/error.h"
#include "cairn/data/csv_reader.h"
#include "cairn/learn/feature_matrix.h"
#include "cairn/store/dataset.h"
#include "cairn/store/store.h"

namespace cairn::eval {

namespace {

constexpr char kPredictionsPath[] = "predictions.csv";
constexpr char kDatasetParam[] = "resolved.dataset";
constexpr char kGiveData[] = "; give --data DATASET|FILE to name the rows to evaluate on";

// The version that a training run produced: `version` itself, or the nearest
// ancestor a derived version was computed from.
store::ModelVersion TrainedAncestor(store::ModelRegistry& registry, store::ModelVersion version) {
  while (!version.run_id && version.source == store::ModelSource::kDerived && version.parent_version &&
         *version.parent_version < version.version) {
    version = registry.GetVersion(version.name, *version.parent_version);
  }
  return version;
}

// Row numbers (0-based, into the dataset version) from the run's predictions.csv.
std::vector<size_t> RecordedRows(const std::string& csv, const std::string& where, size_t dataset_rows,
                                 const std::string& dataset) {
  data::CsvOptions options;
  options.threads = 1;
  data::Table table = data::ReadCsvText(csv, options, where);
  std::optional<size_t> column = table.FindColumn("row");
  if (!column) ThrowCorrupt(where + ": no 'row' column; cannot tell which rows were the test split");
  std::vector<size_t> rows;
  rows.reserve(table.num_rows());
  for (size_t i = 0; i < table.num_rows(); ++i) {
    const double value = table.NumericValue(*column, i);
    if (!(value >= 0) || value != std::floor(value) || value >= static_cast<double>(dataset_rows)) {
      ThrowCorrupt(where + ":" + std::to_string(i + 2) + ": row '" + table.column(*column).ValueText(i) +
                   "' is not a row of " + dataset + " (" + std::to_string(dataset_rows) + " rows)");
    }
    rows.push_back(static_cast<size_t>(value));
  }
  if (rows.empty()) ThrowCorrupt(where + ": the test split has no rows");
  return rows;
}

}  // namespace

EvaluationData LoadRunHoldout(artifacts::Workspace& workspace, const store::ModelVersion& version) {
  const std::string ref = store::FormatModelRef(version.name, version.version);
  const store::ModelVersion trained = TrainedAncestor(workspace.store().models(), version);
  if (!trained.run_id) {
    ThrowInvalidInput(ref + " was " + (trained.source == store::ModelSource::kImport ? "imported" : "registered") +
                      " without a cairn training run, so it has no recorded holdout" + kGiveData);
  }
  auto& tracking = workspace.store().tracking();
  const store::Run run = tracking.GetRun(*trained.run_id);
  const std::string run_label = "run " + run.id.substr(0, 8);
  const auto dataset_param = run.params.find(kDatasetParam);
  std::optional<store::RunArtifact> predictions;
  for (const auto& artifact : tracking.ListArtifacts(run.id)) {
    if (artifact.path == kPredictionsPath) predictions = artifact;
  }
  if (dataset_param == run.params.end() || !predictions) {
    const std::string missing = dataset_param == run.params.end() ? std::string("no '") + kDatasetParam + "' param"
                                                                  : std::string("no ") + kPredictionsPath + " artifact";
    ThrowInvalidInput(ref + " comes from " + run_label + ", which recorded no test split (" + missing + ")" +
                      kGiveData);
  }

  const store::DatasetVersion dataset = artifacts::GetDataset(workspace, dataset_param->second);
  const std::string dataset_label = store::FormatDatasetRef(dataset.name, dataset.version);
  const data::Table table = artifacts::LoadDataset(workspace, dataset);
  const std::vector<size_t> rows = RecordedRows(workspace.artifacts().Get(predictions->blob_hash),
                                                run_label + ": " + kPredictionsPath, table.num_rows(), dataset_label);
  EvaluationData holdout;
  holdout.table = learn::TakeRows(table, rows);
  holdout.label = dataset_label + " test split of " + run_label;
  holdout.dataset_name = dataset.name;
  holdout.dataset_version = dataset.version;
  return holdout;
}

}  // namespace cairn::eval
