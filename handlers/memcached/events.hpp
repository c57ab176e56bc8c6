#pragma once
// memcached's events (agent/events/event.hpp): what its collector detects between
// polls, and the notifications they send.

#include "agent/events/event.hpp"
#include "agent/events/instance_events.hpp"

namespace mwx::memcached::events {

inline constexpr NotificationType connections_high{10, "mwxMemcachedConnectionsHigh", kValueObject | kThresholdObject};
inline constexpr NotificationType connections_normal{11, "mwxMemcachedConnectionsNormal", kValueObject | kThresholdObject};
inline constexpr NotificationType connections_refused{12, "mwxMemcachedConnectionsRefused", kValueObject | kPreviousValueObject};
inline constexpr NotificationType items_evicted_young{13, "mwxMemcachedItemsEvictedYoung", kValueObject | kThresholdObject};
inline constexpr NotificationType item_age_normal{14, "mwxMemcachedItemAgeNormal", kValueObject | kThresholdObject};
inline constexpr NotificationType hit_ratio_low{15, "mwxMemcachedHitRatioLow", kValueObject | kThresholdObject};
inline constexpr NotificationType hit_ratio_normal{16, "mwxMemcachedHitRatioNormal", kValueObject | kThresholdObject};

inline constexpr EventSpec connection_usage{
    "connection_usage", EventKind::above, "connection usage", "%", 80, 70, {}, &connections_high,
    &connections_normal, "curr_connections as a share of maxconns, in %"};
inline constexpr EventSpec rejected_connections{
    "rejected_connections", EventKind::change, "connections refused", "", 0, 0, {}, &connections_refused, nullptr,
    "rejected_connections or listen_disabled_num rose: the server hit maxconns"};
// Per slab class, and only over intervals in which the class evicted: a
// fresh memcached holds young items and evicts none, which is no alarm.
inline constexpr EventSpec evicted_item_age{
    "evicted_item_age", EventKind::below, "evicted item age", "s", 90000, 86400, {}, &items_evicted_young,
    &item_age_normal,
    "per slab class that evicted in the poll interval, seconds since the last access of the last item it evicted "
    "(evicted_time); a class that evicted nothing is normal"};
inline constexpr EventSpec hit_ratio{
    "hit_ratio", EventKind::below, "hit ratio", "%", 85, 80, std::chrono::seconds(900), &hit_ratio_low,
    &hit_ratio_normal, "get_hits as a share of gets over each poll interval, in %"};

inline constexpr const EventSpec* all[] = {&instance_events::restarted, &connection_usage, &rejected_connections,
                                           &evicted_item_age, &hit_ratio};

}  // namespace mwx::memcached::events
