#pragma once
// Flare's events (agent/events/event.hpp): the cluster's topology changes.

#include "agent/events/event.hpp"

namespace mwx::flare::events {

inline constexpr NotificationType failover_notification{40, "mwxFlareFailover", kValueObject | kFromToObjects};
inline constexpr NotificationType node_state_notification{41, "mwxFlareNodeStateChanged", kFromToObjects};
inline constexpr NotificationType partition_without_master_notification{
    42, "mwxFlarePartitionWithoutMaster", kValueObject};
inline constexpr NotificationType partition_master_back{43, "mwxFlarePartitionMasterBack", kValueObject};

inline constexpr EventSpec failover{
    "failover", EventKind::change, "failover", "", 0, 0, {}, &failover_notification, nullptr,
    "a partition's master is another node now (value: the partition; from, to: the masters)"};
inline constexpr EventSpec node_state{
    "node_state", EventKind::change, "node state", "", 0, 0, {}, &node_state_notification, nullptr,
    "a node's state changed (active, prepare, down, ready)"};
inline constexpr EventSpec partition_without_master{
    "partition_without_master", EventKind::change, "partition without an active master", "", 0, 0, {},
    &partition_without_master_notification, &partition_master_back,
    "a partition has no active master, and has one again"};

inline constexpr const EventSpec* all[] = {&failover, &node_state, &partition_without_master};

}  // namespace mwx::flare::events
