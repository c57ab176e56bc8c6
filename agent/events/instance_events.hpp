#pragma once
// The events every instance has, whatever its subsystem.

#include "agent/events/event.hpp"

namespace mwx::instance_events {

inline constexpr NotificationType down_notification{1, "mwxInstanceDown"};
inline constexpr NotificationType up_notification{2, "mwxInstanceUp"};
inline constexpr NotificationType restarted_notification{3, "mwxInstanceRestarted"};

inline constexpr EventSpec down{"down", EventKind::change, "down", "", 0, 0, {}, &down_notification,
                                &up_notification,
                                "the instance went down (a poll failed), and up again after a down was sent"};
// Sent by the subsystems whose backend reports an uptime or whose counters
// can be seen starting over.
inline constexpr EventSpec restarted{"restarted", EventKind::change, "restarted", "", 0, 0, {},
                                     &restarted_notification, nullptr,
                                     "the backend restarted or its counters started over (a discontinuity)"};

}  // namespace mwx::instance_events
