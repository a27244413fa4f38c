// Monitoring schedules: the "every" intervals users write ("1d", "12h",
// "30m", "1w") and the rule that decides when a stored schedule is due.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::monitor {

// Whole seconds of "<number><unit>" with unit s, m, h, d or w ("1d" -> 86400);
// kInvalidInput naming `what` and the text otherwise. At least one minute, since
// a check more often than that only repeats itself.
int64_t ParseEvery(std::string_view text, std::string_view what = "--every");
// The shortest exact form: 86400 -> "1d", 5400 -> "90m".
std::string FormatEvery(int64_t seconds);

// Due when it never ran, or when `now` reached the next due time. Times in UTC microseconds.
bool IsDue(std::optional<int64_t> last_run_at, int64_t next_due_at, int64_t now);
// The next due time after a run that started at `ran_at`: one interval later,
// skipping intervals missed while no daemon ran, so a backlog runs once, not many times.
int64_t NextDueAfter(int64_t ran_at, int64_t previous_due_at, int64_t every_seconds);

}  // namespace cairn::monitor
