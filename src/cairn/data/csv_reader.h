// Reads RFC 4180 CSV into a typed Table: quoting, chosen delimiter, missing-value
// markers, per-column type inference, and errors that name the line and column.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/data/table.h"

namespace cairn::data {

struct CsvOptions {
  char delimiter = ',';
  std::vector<std::string> missing_markers = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"};
  bool has_header = true;
  // Worker threads for large inputs; 0 uses one per core.
  unsigned threads = 0;
};

// Throws kNotFound or kIo when the file cannot be read, kInvalidInput (naming
// the file, line and column) when its content is not valid CSV.
Table ReadCsvFile(const std::filesystem::path& path, const CsvOptions& options = {});
// `source_name` prefixes every error message ("credit.csv:17: ...").
Table ReadCsvText(std::string_view text, const CsvOptions& options, std::string_view source_name);

}  // namespace cairn::data
