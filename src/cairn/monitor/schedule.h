// Monitoring schedules: the "every" intervals users write ("1d", "12h",
// "30m", "1w"). When a stored schedule is due is the store's rule
// (store/monitor_store.h: never run, or next_due_at reached).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::monitor {

// Whole seconds of "<number><unit>" with unit s, m, h, d or w ("1d" -> 86400);
// kInvalidInput naming `what` and the text otherwise. At least one minute, since
// a check more often than that only repeats itself.
int64_t ParseEvery(std::string_view text, std::string_view what = "--every");
// The shortest exact form: 86400 -> "1d", 5400 -> "90m".
std::string FormatEvery(int64_t seconds);

}  // namespace cairn::monitor
