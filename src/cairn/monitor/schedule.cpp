#include "cairn/monitor/schedule.h"

#include <cctype>

#include "cairn/core/error.h"

namespace cairn::monitor {

int64_t ParseEvery(std::string_view text, std::string_view what) {
  const std::string where(what);
  const std::string shown(text);
  if (text.size() < 2) ThrowInvalidInput(where + ": '" + shown + "' is not an interval; write it as 30m, 12h, 1d or 1w");
  int64_t number = 0;
  std::size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    if (number > 1'000'000'000) ThrowInvalidInput(where + ": '" + shown + "' is too long an interval");
    number = number * 10 + (text[i] - '0');
  }
  if (i == 0 || i + 1 != text.size())
    ThrowInvalidInput(where + ": '" + shown + "' is not an interval; write it as 30m, 12h, 1d or 1w");
  int64_t unit = 0;
  switch (text[i]) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default:
      ThrowInvalidInput(where + ": '" + shown + "' has unknown unit '" + std::string(1, text[i]) +
                        "'; the units are s, m, h, d and w");
  }
  const int64_t seconds = number * unit;
  if (seconds < 60) ThrowInvalidInput(where + ": '" + shown + "' is shorter than the shortest interval, 1m");
  return seconds;
}

std::string FormatEvery(int64_t seconds) {
  static const std::pair<int64_t, char> kUnits[] = {{7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& [size, unit] : kUnits)
    if (seconds > 0 && seconds % size == 0) return std::to_string(seconds / size) + unit;
  return std::to_string(seconds) + "s";
}

}  // namespace cairn::monitor
