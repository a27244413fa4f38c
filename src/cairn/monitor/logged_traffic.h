// Current data read from the server's prediction log: the inputs a model was
// served in a time window, summarised for drift page by page (bounded memory
// whatever the window holds), and the scores of the requests that received
// feedback labels, for performance against the holdout.
//
// Rows come from one variant (the champion by default: what users were
// answered with). Records the log kept one in N under load are read once:
// sampling is uniform, so distributions are unbiased without weights.
// Personal-data columns are stored hashed, so their drift compares hashes
// with raw reference values; policies usually exclude them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/stats/reference_data.h"
#include "cairn/store/model.h"
#include "cairn/store/store.h"

namespace cairn::monitor {

struct TrafficWindow {
  int64_t from = 0;  // microseconds since the epoch, inclusive
  int64_t to = 0;    // exclusive
};

// `--window 24h` ends at `now`; `--from`/`--to` take ISO-8601 UTC times (either
// may be left out: the log's start, or now). kInvalidInput naming the flag.
TrafficWindow ResolveTrafficWindow(const std::optional<std::string>& window, const std::optional<std::string>& from,
                                   const std::optional<std::string>& to, int64_t now);

// How a model's outputs and feedback labels turn into the numbers performance
// metrics read: the positive-class probability (binary) or the value (regression).
struct ScoreReader {
  enum class Task { kBinary, kMulticlass, kRegression, kUnknown };
  Task task = Task::kUnknown;
  std::vector<std::string> classes;  // class label texts, in the model's order

  // From the model version's metadata (cairn.task, cairn.classes), else its outputs.
  static ScoreReader ForModel(const store::ModelVersion& model);
  // Inputs of kind datetime in the model's cairn.inputs metadata.
  static std::vector<std::string> DatetimeInputs(const store::ModelVersion& model);
  // Per row of one logged `outputs` document; NaN where the row has no score.
  std::vector<double> Scores(const Json& outputs, int64_t rows) const;
  // A feedback label as a number: 1/0 for the positive class (binary), the value (regression); NaN when unknown.
  double Truth(const Json& label) const;
};

struct LoggedTraffic {
  stats::TableSummary summary;  // per monitored feature, for ComputeDrift
  std::string source;           // "log 2026-11-24T10:00:00Z .. 2026-11-25T10:00:00Z"
  uint64_t requests = 0;
  uint64_t rows = 0;
  // Rows whose request received feedback: the model's score and the true label.
  std::vector<double> scores;
  std::vector<double> labels;
  // The labelled rows as a table (inputs plus `target`), for scoring other
  // models on the same rows; filled when `keep_labelled_rows` is set.
  std::optional<data::Table> labelled_rows;
};

struct TrafficScan {
  std::string model_name;
  std::string variant = "champion";
  TrafficWindow window;
  bool keep_labelled_rows = false;
  std::string target = "target";  // the label column's name in `labelled_rows`
  // Inputs logged as microseconds that are datetimes in the model's training data.
  std::vector<std::string> datetime_inputs;
};

// kNotFound when the window holds no logged prediction of the model.
LoggedTraffic ReadLoggedTraffic(store::Store& store, const stats::ReferenceData& reference, const ScoreReader& scores,
                                const TrafficScan& scan);

}  // namespace cairn::monitor
