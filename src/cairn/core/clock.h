// Wall-clock time as UTC microseconds since the epoch, and its ISO-8601 text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

int64_t NowMicros();
// "2026-11-24T21:49:05.123456Z"
std::string FormatUtc(int64_t micros);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM]" and a space for 'T'.
std::optional<int64_t> ParseUtc(std::string_view text);
// "250ms", "1.5s", "3m12s", "3h05m", "182d00h": for progress and summaries.
std::string FormatDuration(double seconds);

}  // namespace cairn
