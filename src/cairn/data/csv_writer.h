// A table as CSV text that the CSV reader reads back to the same values:
// a header row, comma-separated, RFC 4180 quoting where a value needs it,
// nulls as empty cells, floats in their shortest exact form, datetimes in
// ISO-8601 UTC.
#pragma once

#include <string>

#include "cairn/data/table.h"

namespace cairn::data {

std::string FormatCsv(const Table& table);

}  // namespace cairn::data
