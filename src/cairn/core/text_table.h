// Aligned plain-text tables for terminal output.
#pragma once

#include <string>
#include <vector>

namespace cairn {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  size_t size() const { return rows_.size(); }
  // Columns padded to their widest cell, a rule under the header, no trailing spaces.
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text (code points; wide glyphs are not distinguished).
size_t DisplayWidth(const std::string& text);

}  // namespace cairn
