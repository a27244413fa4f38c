// Versioned datasets: reading a file, profiling it, keeping a content-addressed
// copy and recording version N+1 only when the content changed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cairn/artifacts/workspace.h"
#include "cairn/data/csv_reader.h"
#include "cairn/data/profile.h"
#include "cairn/data/profile_diff.h"
#include "cairn/data/schema.h"
#include "cairn/data/table.h"
#include "cairn/store/dataset.h"

namespace cairn::artifacts {

struct AddDatasetOptions {
  std::string name;
  data::CsvOptions csv;
};

struct AddDatasetResult {
  store::DatasetVersion version;
  bool created = false;  // false when the newest version already held these bytes
};

// Parses the whole file before anything is written, so malformed input records
// nothing; the blob is stored before the version that names it.
AddDatasetResult AddDataset(Workspace& workspace, const std::filesystem::path& file, const AddDatasetOptions& options);

// "credit", "credit@latest", "credit@3".
store::DatasetVersion GetDataset(Workspace& workspace, const std::string& ref);

// The stored copy read back (verified) with the options it was added with.
data::Table LoadDataset(Workspace& workspace, const store::DatasetVersion& version);

data::Schema SchemaOf(const store::DatasetVersion& version);
data::Profile ProfileOf(const store::DatasetVersion& version);

data::DatasetDiff DiffDatasetVersions(const store::DatasetVersion& a, const store::DatasetVersion& b);

}  // namespace cairn::artifacts
