// Reads JSON Lines (one object per line) into a typed Table: keys become
// columns in first-seen order, absent keys and nulls become missing values.
#pragma once

#include <filesystem>
#include <string_view>

#include "cairn/data/table.h"

namespace cairn::data {

// Throws kNotFound or kIo when the file cannot be read, kInvalidInput naming
// the line (and byte) of the first malformed or non-object line.
Table ReadJsonLinesFile(const std::filesystem::path& path);
Table ReadJsonLinesText(std::string_view text, std::string_view source_name);

}  // namespace cairn::data
