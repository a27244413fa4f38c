#include "cairn/data/table_reader.h"

#include "cairn/core/text.h"
#include "cairn/data/jsonl_reader.h"

namespace cairn::data {

TableFormat TableFormatOf(const std::filesystem::path& path) {
  std::string extension = ToLower(path.extension().string());
  if (extension == ".jsonl" || extension == ".ndjson") return TableFormat::kJsonLines;
  return TableFormat::kCsv;
}

Table ReadTableFile(const std::filesystem::path& path, const CsvOptions& options) {
  if (TableFormatOf(path) == TableFormat::kJsonLines) return ReadJsonLinesFile(path);
  if (ToLower(path.extension().string()) == ".tsv" && options.delimiter == CsvOptions{}.delimiter) {
    CsvOptions tab = options;
    tab.delimiter = '\t';
    return ReadCsvFile(path, tab);
  }
  return ReadCsvFile(path, options);
}

}  // namespace cairn::data
