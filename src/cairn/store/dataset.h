// Versioned datasets: a name, and a numbered version per distinct content.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/core/json.h"

namespace cairn::store {

struct Dataset {
  std::string id;
  std::string name;
  int64_t created_at = 0;
};

struct DatasetVersion {
  std::string dataset_id;
  std::string name;
  int64_t version = 0;    // 1, 2, 3...
  std::string blob_hash;  // SHA-256 of the stored copy
  std::string format;     // "csv", "jsonl"
  std::string source_path;
  int64_t rows = 0;
  int64_t columns = 0;
  Json schema = Json::object();
  Json profile = Json::object();
  int64_t created_at = 0;
};

// One line of `cairn data list`.
struct DatasetSummary {
  std::string name;
  int64_t latest_version = 0;
  int64_t rows = 0;
  int64_t columns = 0;
  std::string blob_hash;
  int64_t updated_at = 0;  // when the latest version was recorded
};

// "credit", "credit@latest" (version empty) or "credit@3".
struct DatasetRef {
  std::string name;
  std::optional<int64_t> version;
};
// kInvalidInput naming the text when it is not NAME, NAME@latest or NAME@N with N >= 1.
DatasetRef ParseDatasetRef(std::string_view text);
std::string FormatDatasetRef(std::string_view name, int64_t version);  // "credit@3"

Json ToJson(const Dataset& dataset);
Json ToJson(const DatasetVersion& version);
Json ToJson(const DatasetSummary& summary);

}  // namespace cairn::store
