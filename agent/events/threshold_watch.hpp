#pragma once
// The state of one threshold (or condition) on one row, fed one reading per
// poll. Hysteresis as RMON alarms have it: after an alarm, nothing more
// until the value is back beyond the other threshold, so a value hovering
// at the line alarms once. Pure: the caller gives the time.

#include <chrono>
#include <cstdint>
#include <optional>

#include "agent/events/event.hpp"

namespace mwx {

// Where a threshold's line lies: the value reaching it (equal included)
// counts. The one statement of the agent's comparison: --list-events
// prints it, and the manager templates compare the same way.
enum class Comparison { at_or_above, at_or_below };
struct ThresholdLines {
  Comparison alarm;  // against `rising` for "above", `falling` for "below"
  Comparison clear;  // against the other threshold
};
// For the kinds with thresholds (above, below).
ThresholdLines threshold_lines(EventKind kind);
std::string_view comparison_operator(Comparison comparison);  // ">=", "<="

class ThresholdWatch {
 public:
  enum class Crossing { none, alarm, clear };

  // For a condition, `value` is non-zero while it holds.
  Crossing feed(EventKind kind, const EventSetting& setting, std::uint64_t value,
                std::chrono::steady_clock::time_point now);
  // This poll has no reading because what the event watches did not happen
  // (a slab class that evicted nothing): normal. Clears a raised alarm.
  Crossing settle();
  bool alarmed() const { return alarmed_; }

 private:
  bool alarmed_ = false;
  std::optional<std::chrono::steady_clock::time_point> beyond_since_;  // the alarm side reached, not yet for `hold`
};

}  // namespace mwx
