// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn {

std::string_view Trim(std::string_view text);
std::vector<std::string> Split(std::string_view text, char separator);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::string ToLower(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
// Levenshtein distance, for "did you mean" hints.
size_t EditDistance(std::string_view a, std::string_view b);
// The closest candidate within a small distance, or "" when nothing is close.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);
// Shortest text that parses back to the same double ("0.1", "1e-300", "nan").
std::string FormatDouble(double value);
// Fixed number of significant digits for tables ("0.8123").
std::string FormatNumber(double value, int significant = 4);

}  // namespace cairn
