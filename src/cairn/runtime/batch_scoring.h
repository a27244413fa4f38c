// Batch scoring: runs a loaded model over every row of a data::Table in
// batches on several threads, and lays the outputs out as named columns
// (written as CSV) for `cairn predict`.
//
// Column mapping:
//  - one input per feature ([N, 1] or [N] float, double, int64 or string, as
//    skl2onnx and cairn's trainers write them): each takes the column of the
//    same name; categorical columns feed string inputs;
//  - one float matrix input [N, F]: the columns named by the model's
//    "feature_names" metadata (a JSON list or comma-separated), else every
//    numeric column in table order.
// Missing values become NaN (empty strings for string inputs).
// Output columns: probabilities as prob_<class> (class names from the
// "cairn.classes" or "classes" metadata, or ZipMap keys, else prob_0..K-1),
// other [N, K] outputs as <name>_0..K-1, [N] and [N, 1] outputs under their
// own name (label, variable).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cairn/data/table.h"
#include "cairn/runtime/session.h"

namespace cairn::runtime {

struct BatchScoringOptions {
  int64_t batch_size = 1000;
  int threads = 1;
  bool show_progress = true;  // a ProgressBar on stderr (silent off a terminal)
};

// How one model input is fed from the table.
struct InputBinding {
  std::string input;
  DataType type = DataType::kFloat32;
  std::vector<size_t> columns;  // table column indexes, in feature order
};

struct ScoreColumn {
  std::string name;
  bool is_text = false;
  std::vector<double> numbers;       // when !is_text; NaN stays NaN
  std::vector<std::string> strings;  // when is_text
};

struct ScoredTable {
  int64_t rows = 0;
  std::vector<ScoreColumn> columns;
  // Time spent inside Session::Run, summed over batches (equal to wall-clock
  // time with one thread), and time spent building input tensors from the
  // table and copying outputs back.
  double engine_seconds = 0;
  double convert_seconds = 0;
};

// Resolves every model input to table columns. kNotFound naming a missing
// column (with the closest name); kInvalidInput naming a column whose type
// the input cannot take, or a feature count that does not match the model.
std::vector<InputBinding> BindInputs(const Session& session, const data::Table& table);

// Scores every row. kInvalidInput for a batch size or thread count below 1, and
// for a category the model never saw when its metadata refuses unknown ones
// (known_categories.h).
ScoredTable ScoreTable(const Session& session, const data::Table& table, const BatchScoringOptions& options = {});

// CSV with a header: "row" (the input row index) then every score column.
// Floats are written with 9 significant digits (enough to read a float32
// back exactly), NaN as an empty field.
void WriteScoresCsv(const ScoredTable& scores, std::ostream& out);

}  // namespace cairn::runtime
