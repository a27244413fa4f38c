#include "cairn/data/csv_writer.h"

namespace cairn::data {
namespace {

void AppendCell(std::string& out, const std::string& text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string FormatCsv(const Table& table) {
  std::string out;
  for (size_t c = 0; c < table.num_columns(); ++c) {
    if (c) out += ',';
    AppendCell(out, table.column(c).name());
  }
  out += '\n';
  for (size_t r = 0; r < table.num_rows(); ++r) {
    for (size_t c = 0; c < table.num_columns(); ++c) {
      if (c) out += ',';
      AppendCell(out, table.column(c).ValueText(r));
    }
    out += '\n';
  }
  return out;
}

}  // namespace cairn::data
