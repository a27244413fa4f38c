// The CSV record scanner: splits RFC 4180 records into fields and validates
// quoting and UTF-8 in one pass, handing each field to a sink.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cairn/data/value_parsing.h"

namespace cairn::data {

// What went wrong and where; turned into a message by the reader, which knows
// the source name and can afford to count lines on the error path only.
struct CsvFault {
  enum class Kind { kTooFewFields, kTooManyFields, kUnterminatedQuote, kInvalidUtf8, kQuoteInUnquoted, kAfterQuote };
  Kind kind;
  const char* where;         // the offending byte (or the opening quote)
  const char* record_start;  // first byte of the record
  size_t column;             // 0-based field index
  size_t fields;             // fields seen in the record (ragged rows)
};

class CsvScanner {
 public:
  explicit CsvScanner(char delimiter)
      : delimiter_(delimiter), delimiter_pattern_(kOnes * static_cast<unsigned char>(delimiter)) {
    for (int c = 0x80; c < 0x100; ++c) stop_[c] = 1;
    stop_[static_cast<unsigned char>(delimiter)] = 1;
    stop_['\n'] = 1;
    stop_['\r'] = 1;
    stop_['"'] = 1;
  }

  // Skips blank lines (LF or CRLF) from `p`; returns the first byte of the next record or `end`.
  static const char* SkipBlankLines(const char* p, const char* end) {
    while (p < end) {
      if (*p == '\n') {
        ++p;
      } else if (*p == '\r' && p + 1 < end && p[1] == '\n') {
        p += 2;
      } else {
        break;
      }
    }
    return p;
  }

  // Scans one record starting at `p` (not a blank line) and returns the byte
  // after its terminator. Calls sink.Field(column, begin, end, escaped) for each
  // field, where `escaped` means the text still holds doubled quotes. When
  // `expected` is non-zero a record with another field count throws CsvFault.
  template <class Sink>
  const char* ScanRecord(const char* p, const char* end, size_t expected, Sink& sink) const {
    const char* record_start = p;
    size_t column = 0;
    for (;;) {
      if (expected != 0 && column >= expected) {
        throw CsvFault{CsvFault::Kind::kTooManyFields, p, record_start, column, column + 1};
      }
      if (p < end && *p == '"') {
        const char* open = p;
        ++p;
        bool escaped = false;
        for (;;) {
          while (p < end && *p != '"') {
            if (static_cast<unsigned char>(*p) < 0x80) {
              ++p;
              continue;
            }
            size_t length = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                               reinterpret_cast<const unsigned char*>(end));
            if (length == 0) throw CsvFault{CsvFault::Kind::kInvalidUtf8, p, record_start, column, 0};
            p += length;
          }
          if (p >= end) throw CsvFault{CsvFault::Kind::kUnterminatedQuote, open, record_start, column, 0};
          if (p + 1 < end && p[1] == '"') {
            escaped = true;
            p += 2;
            continue;
          }
          break;
        }
        sink.Field(column, open + 1, p, escaped);
        ++p;  // the closing quote
        if (p >= end) break;
        if (*p == delimiter_) {
          ++p;
          ++column;
          continue;
        }
        if (*p == '\n') {
          ++p;
          break;
        }
        if (*p == '\r' && (p + 1 == end || p[1] == '\n')) {
          p += p + 1 == end ? 1 : 2;
          break;
        }
        throw CsvFault{CsvFault::Kind::kAfterQuote, p, record_start, column, 0};
      }
      const char* field = p;
      bool record_done = false;
      for (;;) {
        p = SkipPlain(p, end);
        if (p >= end) {
          record_done = true;
          break;
        }
        unsigned char c = static_cast<unsigned char>(*p);
        if (c == static_cast<unsigned char>(delimiter_) || c == '\n') break;
        if (c == '\r') {
          if (p + 1 == end || p[1] == '\n') break;
          ++p;  // a lone carriage return is data
          continue;
        }
        if (c == '"') throw CsvFault{CsvFault::Kind::kQuoteInUnquoted, p, record_start, column, 0};
        size_t length = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                           reinterpret_cast<const unsigned char*>(end));
        if (length == 0) throw CsvFault{CsvFault::Kind::kInvalidUtf8, p, record_start, column, 0};
        p += length;
      }
      sink.Field(column, field, p, false);
      if (record_done) break;
      if (*p == delimiter_) {
        ++p;
        ++column;
        continue;
      }
      p += *p == '\r' ? (p + 1 == end ? 1 : 2) : 1;
      break;
    }
    if (expected != 0 && column + 1 < expected) {
      throw CsvFault{CsvFault::Kind::kTooFewFields, p, record_start, column + 1, column + 1};
    }
    return p;
  }

 private:
  static constexpr uint64_t kOnes = 0x0101010101010101ull;
  static constexpr uint64_t kHighBits = 0x8080808080808080ull;

  // Bytes of `word` equal to `byte` (in the repeated pattern) get their high
  // bit set; the lowest set bit is exact, which is all the caller reads.
  static uint64_t Matches(uint64_t word, uint64_t pattern) {
    uint64_t x = word ^ pattern;
    return (x - kOnes) & ~x & kHighBits;
  }

  // Advances past bytes that need no attention in an unquoted field, eight at a time.
  const char* SkipPlain(const char* p, const char* end) const {
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      uint64_t special = Matches(word, delimiter_pattern_) | Matches(word, kOnes * '\n') |
                         Matches(word, kOnes * '\r') | Matches(word, kOnes * '"') | (word & kHighBits);
      if (special) return p + (__builtin_ctzll(special) >> 3);
      p += 8;
    }
    while (p < end && !stop_[static_cast<unsigned char>(*p)]) ++p;
    return p;
  }

  char delimiter_;
  uint64_t delimiter_pattern_;
  std::array<uint8_t, 256> stop_{};
};

}  // namespace cairn::data
