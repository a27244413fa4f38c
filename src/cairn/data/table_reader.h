// Reads a table file in whichever supported format its extension names.
#pragma once

#include <filesystem>

#include "cairn/data/csv_reader.h"
#include "cairn/data/table.h"

namespace cairn::data {

enum class TableFormat { kCsv, kJsonLines };

// .jsonl and .ndjson are JSON Lines; anything else is CSV.
TableFormat TableFormatOf(const std::filesystem::path& path);

// JSON Lines by extension, otherwise CSV with `options`; a .tsv file is read
// with a tab delimiter unless the options already chose another delimiter.
Table ReadTableFile(const std::filesystem::path& path, const CsvOptions& options = {});

}  // namespace cairn::data
