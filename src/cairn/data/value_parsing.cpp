#include "cairn/data/value_parsing.h"

#include <fast_float/fast_float.h>

#include <cmath>

#include "cairn/core/clock.h"

namespace cairn::data {

bool ParseFloatSlow(const char* begin, const char* end, double& out) {
  // fast_float takes a leading '-' only; '+' is common enough in exports to accept.
  if (begin < end && *begin == '+') {
    ++begin;
    if (begin < end && *begin == '-') return false;
  }
  if (begin == end) return false;
  auto result = fast_float::from_chars(begin, end, out);
  if (result.ptr != end) return false;
  if (result.ec == std::errc::result_out_of_range) {
    // Overflow reads as infinity and underflow as zero, the way strtod rounds.
    return true;
  }
  return result.ec == std::errc();
}

bool ParseDatetime(std::string_view text, int64_t& micros) {
  // Cheap shape test first: most non-dates fail on the first few bytes.
  if (text.size() < 10 || text[4] != '-' || text[0] < '0' || text[0] > '9') return false;
  auto parsed = ParseUtc(text);
  if (!parsed) return false;
  micros = *parsed;
  return true;
}

}  // namespace cairn::data
