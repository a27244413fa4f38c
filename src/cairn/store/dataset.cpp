#include "cairn/store/dataset.h"

#include <charconv>

#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text.h"

namespace cairn::store {

DatasetRef ParseDatasetRef(std::string_view text) {
  DatasetRef ref;
  const size_t at = text.rfind('@');
  ref.name = std::string(text.substr(0, at));
  if (ref.name.empty()) {
    ThrowInvalidInput("dataset reference '" + std::string(text) + "' has no name; write NAME, NAME@latest or NAME@3");
  }
  if (at == std::string_view::npos) return ref;
  const std::string_view version = text.substr(at + 1);
  if (ToLower(version) == "latest") return ref;
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), number);
  if (version.empty() || ec != std::errc() || end != version.data() + version.size() || number < 1) {
    ThrowInvalidInput("dataset reference '" + std::string(text) + "' has version '" + std::string(version) +
                      "'; expected a number from 1 or 'latest'");
  }
  ref.version = number;
  return ref;
}

std::string FormatDatasetRef(std::string_view name, int64_t version) {
  return std::string(name) + "@" + std::to_string(version);
}

Json ToJson(const Dataset& dataset) {
  return Json{{"id", dataset.id}, {"name", dataset.name}, {"created_at", FormatUtc(dataset.created_at)}};
}

Json ToJson(const DatasetVersion& version) {
  return Json{{"name", version.name},
              {"version", version.version},
              {"ref", FormatDatasetRef(version.name, version.version)},
              {"blob_hash", version.blob_hash},
              {"format", version.format},
              {"source_path", version.source_path},
              {"rows", version.rows},
              {"columns", version.columns},
              {"created_at", FormatUtc(version.created_at)},
              {"schema", version.schema},
              {"profile", version.profile}};
}

Json ToJson(const DatasetSummary& summary) {
  return Json{{"name", summary.name},
              {"latest_version", summary.latest_version},
              {"rows", summary.rows},
              {"columns", summary.columns},
              {"blob_hash", summary.blob_hash},
              {"updated_at", FormatUtc(summary.updated_at)}};
}

}  // namespace cairn::store
