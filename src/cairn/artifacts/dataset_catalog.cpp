#include "cairn/artifacts/dataset_catalog.h"

#include "cairn/core/error.h"
#include "cairn/core/text.h"
#include "cairn/data/jsonl_reader.h"
#include "cairn/data/table_reader.h"

namespace cairn::artifacts {

namespace fs = std::filesystem;

namespace {

bool IsJsonLines(const fs::path& file) {
  std::string ext = ToLower(file.extension().string());
  return ext == ".jsonl" || ext == ".ndjson";
}

// How the stored copy must be read back: recorded beside the schema.
Json ReadOptionsJson(const fs::path& file, const data::CsvOptions& csv) {
  if (IsJsonLines(file)) return Json{{"format", "jsonl"}};
  char delimiter = csv.delimiter;
  if (delimiter == ',' && ToLower(file.extension().string()) == ".tsv") delimiter = '\t';
  return Json{{"format", "csv"}, {"delimiter", std::string(1, delimiter)}, {"missing", csv.missing_markers}};
}

}  // namespace

AddDatasetResult AddDataset(Workspace& workspace, const fs::path& file, const AddDatasetOptions& options) {
  store::ValidateDatasetName(options.name);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) ThrowNotFound(file.string() + ": no such file");
  data::Table table = data::ReadTableFile(file, options.csv);
  data::Schema schema = data::Schema::FromTable(table);
  data::Profile profile = data::ComputeProfile(table);
  Json read_options = ReadOptionsJson(file, options.csv);

  BlobRef blob = workspace.artifacts().PutFile(file);
  store::NewDatasetVersion spec;
  spec.name = options.name;
  spec.blob_hash = blob.hash;
  spec.format = read_options["format"];
  spec.source_path = fs::absolute(file).string();
  spec.rows = static_cast<int64_t>(table.num_rows());
  spec.columns = static_cast<int64_t>(table.num_columns());
  spec.schema = schema.ToJson();
  spec.schema["read_options"] = read_options;
  spec.profile = profile.ToJson();
  auto added = workspace.store().datasets().AddDatasetVersion(spec);
  return {added.version, added.created};
}

store::DatasetVersion GetDataset(Workspace& workspace, const std::string& ref) {
  return workspace.store().datasets().GetDatasetVersion(store::ParseDatasetRef(ref));
}

data::Table LoadDataset(Workspace& workspace, const store::DatasetVersion& version) {
  std::string bytes = workspace.artifacts().Get(version.blob_hash);
  std::string source = store::FormatDatasetRef(version.name, version.version);
  Json read_options = version.schema.value("read_options", Json::object());
  if (version.format == "jsonl") return data::ReadJsonLinesText(bytes, source);
  data::CsvOptions csv;
  std::string delimiter = read_options.value("delimiter", std::string(","));
  if (delimiter.size() == 1) csv.delimiter = delimiter[0];
  if (read_options.contains("missing")) csv.missing_markers = read_options["missing"].get<std::vector<std::string>>();
  return data::ReadCsvText(bytes, csv, source);
}

data::Schema SchemaOf(const store::DatasetVersion& version) { return data::Schema::FromJson(version.schema); }

data::Profile ProfileOf(const store::DatasetVersion& version) { return data::Profile::FromJson(version.profile); }

data::DatasetDiff DiffDatasetVersions(const store::DatasetVersion& a, const store::DatasetVersion& b) {
  return data::DiffDatasets(SchemaOf(a), ProfileOf(a), SchemaOf(b), ProfileOf(b));
}

}  // namespace cairn::artifacts
