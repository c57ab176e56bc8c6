#pragma once
// When each instance is polled. Pure: the poller gives the clock.
//
// Each instance keeps a stable offset into its interval, so that a
// thousand instances are not polled in one burst each interval: the offset
// comes from a hash of the instance's config line, spread over a window of
// 10 ms per configured instance, at most the interval. A few instances are
// all polled within a few tens of milliseconds of start-up; a thousand,
// evenly over the interval.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

namespace mwx {

inline constexpr std::chrono::milliseconds kSpreadPerInstance{10};

inline std::chrono::steady_clock::duration first_poll_offset(std::string_view identity,
                                                             std::chrono::milliseconds interval,
                                                             std::size_t instances) {
  const auto window = std::min<std::chrono::milliseconds>(interval, kSpreadPerInstance * instances);
  if (window.count() <= 0) return {};
  const auto window_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(window).count();
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::hash<std::string_view>{}(identity) %
                                                            static_cast<std::size_t>(window_ns)));
}

// The poll after the one due at `due`: one interval later, keeping the
// instance's offset; if that has passed already (polls waited for a free
// slot), the first such time after `now`.
inline std::chrono::steady_clock::time_point next_poll_due(std::chrono::steady_clock::time_point due,
                                                           std::chrono::milliseconds interval,
                                                           std::chrono::steady_clock::time_point now) {
  auto next = due + interval;
  if (next <= now) next += ((now - next) / interval + 1) * interval;
  return next;
}

}  // namespace mwx
