#include "cairn/serve/request_body.h"

#include <charconv>
#include <cmath>

namespace cairn::serve {

void FrameColumn::AppendNumber(double value) {
  if (is_text) {
    strings.push_back(FormatNumber(value));
  } else {
    numbers.push_back(value);
  }
  missing.push_back(0);
}

void FrameColumn::AppendText(std::string text) {
  if (!is_text) {
    // The first string turns the column to text; earlier numbers keep their value as text.
    is_text = true;
    strings.reserve(missing.size() + 1);
    for (size_t i = 0; i < numbers.size(); ++i) strings.push_back(missing[i] ? std::string() : FormatNumber(numbers[i]));
    numbers.clear();
  }
  strings.push_back(std::move(text));
  missing.push_back(0);
}

void FrameColumn::AppendMissing() {
  if (is_text) {
    strings.emplace_back();
  } else {
    numbers.push_back(std::nan(""));
  }
  missing.push_back(1);
}

std::string FormatNumber(double value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace cairn::serve
