// Text-to-value conversions shared by the table readers: the rules that decide
// whether a field is an integer, a float, a boolean, a datetime or a missing value.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::data {

// Optional sign and 1 to 19 digits that fit in int64; nothing else.
inline bool ParseInteger(const char* begin, const char* end, int64_t& out) {
  const char* p = begin;
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  if (p == end || end - p > 19) return false;
  uint64_t value = 0;
  for (; p < end; ++p) {
    unsigned digit = static_cast<unsigned char>(*p) - '0';
    if (digit > 9) return false;
    value = value * 10 + digit;
  }
  // 19 digits cannot overflow uint64, so one comparison bounds the int64 range.
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (negative) {
    if (value > kMaxPositive + 1) return false;
    out = static_cast<int64_t>(0 - value);
  } else {
    if (value > kMaxPositive) return false;
    out = static_cast<int64_t>(value);
  }
  return true;
}

// Decimal or scientific notation, "inf" and "nan"; the whole text must be consumed.
bool ParseFloat(const char* begin, const char* end, double& out);

// true/false, TRUE/FALSE or True/False.
inline bool ParseBoolean(std::string_view text, bool& out) {
  if (text == "true" || text == "TRUE" || text == "True") {
    out = true;
    return true;
  }
  if (text == "false" || text == "FALSE" || text == "False") {
    out = false;
    return true;
  }
  return false;
}

// ISO-8601 date or datetime, as cairn::ParseUtc accepts it.
bool ParseDatetime(std::string_view text, int64_t& micros);

// Membership test for the configured missing-value markers, cheap for the
// common case of a field whose length matches no marker.
class MissingMarkers {
 public:
  explicit MissingMarkers(const std::vector<std::string>& markers) : markers_(markers) {
    for (const auto& marker : markers_) {
      if (marker.size() < 64) length_mask_ |= uint64_t{1} << marker.size();
    }
  }
  bool Contains(const char* begin, size_t size) const {
    if (size < 64 && !(length_mask_ & (uint64_t{1} << size))) return false;
    for (const auto& marker : markers_) {
      if (marker.size() == size && std::memcmp(marker.data(), begin, size) == 0) return true;
    }
    return false;
  }

 private:
  std::vector<std::string> markers_;
  uint64_t length_mask_ = 0;
};

// Length of the valid UTF-8 sequence starting at `p` (a byte >= 0x80), or 0
// when the bytes there are not valid UTF-8 (overlongs and surrogates included).
inline size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  auto continuation = [&](size_t i) { return p + i < end && (p[i] & 0xC0) == 0x80; };
  unsigned char lead = p[0];
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (p + 1 >= end) return 0;
    unsigned char second = p[1];
    if (lead == 0xE0 && second < 0xA0) return 0;
    if (lead == 0xED && second > 0x9F) return 0;
    return continuation(1) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (p + 1 >= end) return 0;
    unsigned char second = p[1];
    if (lead == 0xF0 && second < 0x90) return 0;
    if (lead == 0xF4 && second > 0x8F) return 0;
    return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace cairn::data
