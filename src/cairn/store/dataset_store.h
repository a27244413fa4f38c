// Dataset metadata: names and their numbered versions, with schema and profile.
// The bytes themselves live in the artifact store under blob_hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/core/json.h"
#include "cairn/store/dataset.h"
#include "cairn/store/sql/connection.h"

namespace cairn::store {

struct NewDatasetVersion {
  std::string name;  // 1 to 128 characters from [A-Za-z0-9_.-], not starting with '.' or '-'
  std::string blob_hash;
  std::string format;
  std::string source_path;
  int64_t rows = 0;
  int64_t columns = 0;
  Json schema = Json::object();
  Json profile = Json::object();
};

struct AddedDatasetVersion {
  DatasetVersion version;
  bool created = false;  // false when the newest version already had this content
};

// kInvalidInput naming the name when it breaks the rule in NewDatasetVersion.
void ValidateDatasetName(std::string_view name);

class DatasetStore {
 public:
  explicit DatasetStore(sql::Connection& connection) : connection_(connection) {}

  // Records version N+1 only when the content changed; otherwise returns the
  // newest version with created = false and records nothing.
  AddedDatasetVersion AddDatasetVersion(const NewDatasetVersion& spec);
  std::vector<DatasetSummary> ListDatasets();  // by name
  // The given version, or the latest when empty. kNotFound: "no dataset 'x'",
  // "dataset 'x' has no version 7; latest is 3".
  DatasetVersion GetDatasetVersion(std::string_view name, std::optional<int64_t> version = std::nullopt);
  DatasetVersion GetDatasetVersion(const DatasetRef& ref) { return GetDatasetVersion(ref.name, ref.version); }
  std::vector<DatasetVersion> ListDatasetVersions(std::string_view name);  // oldest first

 private:
  sql::Connection& connection_;
};

}  // namespace cairn::store
