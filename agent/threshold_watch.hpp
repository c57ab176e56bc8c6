#pragma once
// The state of one threshold (or condition) on one row, fed one reading per
// poll. Hysteresis as RMON alarms have it: after an alarm, nothing more
// until the value is back beyond the other threshold, so a value hovering
// at the line alarms once. Pure: the caller gives the time.

#include <chrono>
#include <cstdint>
#include <optional>

#include "agent/event.hpp"

namespace mwx {

class ThresholdWatch {
 public:
  enum class Crossing { none, alarm, clear };

  // For a condition, `value` is non-zero while it holds.
  Crossing feed(EventKind kind, const EventSetting& setting, std::uint64_t value,
                std::chrono::steady_clock::time_point now);
  bool alarmed() const { return alarmed_; }

 private:
  bool alarmed_ = false;
  std::optional<std::chrono::steady_clock::time_point> beyond_since_;  // the alarm side reached, not yet for `hold`
};

}  // namespace mwx
