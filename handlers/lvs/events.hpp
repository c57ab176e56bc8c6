#pragma once
// LVS's events (agent/events/event.hpp): the director's table changing between polls.

#include "agent/events/event.hpp"

namespace mwx::lvs::events {

inline constexpr NotificationType real_server_added{50, "mwxLvsRealServerAdded", kValueObject};
inline constexpr NotificationType real_server_removed{51, "mwxLvsRealServerRemoved", kPreviousValueObject};
inline constexpr NotificationType real_server_weight_zero{52, "mwxLvsRealServerWeightZero", kValueObject | kPreviousValueObject};
inline constexpr NotificationType real_server_weight_restored{53, "mwxLvsRealServerWeightRestored", kValueObject | kPreviousValueObject};
inline constexpr NotificationType service_added{54, "mwxLvsServiceAdded"};
inline constexpr NotificationType service_removed{55, "mwxLvsServiceRemoved"};
inline constexpr NotificationType service_unweighted{56, "mwxLvsServiceNoWeightedServer"};
inline constexpr NotificationType service_weighted_again{57, "mwxLvsServiceWeightedAgain"};

inline constexpr EventSpec real_servers{
    "real_servers", EventKind::change, "real server", "", 0, 0, {}, &real_server_added, &real_server_removed,
    "a real server was added to a service or removed from it (value, previous value: its weight)"};
inline constexpr EventSpec weight{
    "weight", EventKind::change, "weight", "", 0, 0, {}, &real_server_weight_zero, &real_server_weight_restored,
    "a real server's weight was set to 0 (taken out of the pool) or back above 0"};
inline constexpr EventSpec services{
    "services", EventKind::change, "service", "", 0, 0, {}, &service_added, &service_removed,
    "a virtual service was added or removed"};
inline constexpr EventSpec no_weighted_server{
    "no_weighted_server", EventKind::condition, "no real server with a weight above 0", "", 0, 0, {},
    &service_unweighted, &service_weighted_again,
    "a service has no real server with a weight above 0, and has one again"};

inline constexpr const EventSpec* all[] = {&real_servers, &weight, &services, &no_weighted_server};

}  // namespace mwx::lvs::events
