// Text-to-value conversions shared by the table readers: the rules that decide
// whether a field is an integer, a float, a boolean, a datetime or a missing value.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::data {

// Value of eight digit values held one per byte, the first digit in the lowest
// byte: pairs, then quads, then the whole, each step one multiply.
inline uint64_t EightDigitsValue(uint64_t digits) {
  digits = (digits * 10 + (digits >> 8)) & 0x00FF00FF00FF00FFull;
  digits = (digits * 100 + (digits >> 16)) & 0x0000FFFF0000FFFFull;
  return (digits * 10000 + (digits >> 32)) & 0xFFFFFFFFull;
}

// Reads the run of ASCII digits at `p`, up to 8 of them and never past `end`,
// looking at 8 bytes at once; the caller guarantees 8 readable bytes at `p`.
// Returns the number of digits and stores their value.
inline long DigitRun(const char* p, const char* end, uint64_t& value) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  uint64_t word;
  std::memcpy(&word, p, 8);
  uint64_t below_zero = ~((word | kHigh) - kOnes * '0') & kHigh;
  uint64_t above_nine = (word + kOnes * 0x46) & kHigh;
  uint64_t non_digit = below_zero | above_nine | (word & kHigh);
  long count = non_digit ? __builtin_ctzll(non_digit) >> 3 : 8;
  if (count > end - p) count = end - p;
  if (count == 0) {
    value = 0;
    return 0;
  }
  // Subtracting '0' cannot disturb the digit bytes (borrows only move upward
  // from smaller bytes); the shift drops everything after the run.
  uint64_t digits = (word - kOnes * '0') << (8 * (8 - count));
  value = EightDigitsValue(digits);
  return count;
}

// Accumulates the digits at `p` into `mantissa`; returns the position after them.
// `limit` bounds what may be read (8 bytes at a time), `end` what belongs to the number.
inline const char* ReadDigits(const char* p, const char* end, const char* limit, uint64_t& mantissa) {
  static constexpr uint64_t kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  while (limit - p >= 8) {
    uint64_t value;
    long count = DigitRun(p, end, value);
    mantissa = mantissa * kScale[count] + value;
    p += count;
    if (count < 8) return p;
  }
  while (p < end && static_cast<unsigned>(*p - '0') <= 9) mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
  return p;
}

// Optional sign and 1 to 19 digits that fit in int64; nothing else.
inline bool ParseInteger(const char* begin, const char* end, int64_t& out, const char* limit = nullptr) {
  const char* p = begin;
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  if (p == end || end - p > 19) return false;
  uint64_t value = 0;
  if (ReadDigits(p, end, limit ? limit : end, value) != end) return false;
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

// The general case of ParseFloat, through fast_float.
bool ParseFloatSlow(const char* begin, const char* end, double& out);

// Decimal or scientific notation, "inf" and "nan"; the whole text must be consumed.
inline bool ParseFloat(const char* begin, const char* end, double& out, const char* limit = nullptr) {
  // Plain decimals with at most 15 digits are the bulk of real files: the
  // digits and the power of ten are both exact doubles, so one correctly
  // rounded division gives the same double as a full parse.
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = begin;
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  if (!limit) limit = end;
  uint64_t mantissa = 0;
  const char* digits_start = p;
  p = ReadDigits(p, end, limit, mantissa);
  long digits = p - digits_start;
  long fraction = 0;
  if (p < end && *p == '.' && digits <= 15) {
    const char* fraction_start = ++p;
    p = ReadDigits(p, end, limit, mantissa);
    fraction = p - fraction_start;
    digits += fraction;
  }
  // More than 15 digits may have wrapped the mantissa; those take the slow path.
  if (p == end && digits > 0 && digits <= 15) {
    double value = static_cast<double>(mantissa) / kPowersOfTen[fraction];
    out = negative ? -value : value;
    return true;
  }
  return ParseFloatSlow(begin, end, out);
}

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
