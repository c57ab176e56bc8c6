#pragma once
// Every event and notification mwagentx knows: the instance events and each
// subsystem's, for the config file (which events a line may name), the MIB
// cross-check, --list-events and the Zabbix templates' threshold macros.

#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "agent/events/event.hpp"
#include "agent/mib/column.hpp"

namespace mwx {

// Each subsystem's directive and the events it declares beyond the
// instance events. Defined with the list of subsystems (agent/subsystems.cpp),
// which sits above this folder: the catalog reads the list, never includes it.
struct SubsystemEvents {
  std::string_view subsystem;
  std::span<const EventSpec* const> events;
};
std::span<const SubsystemEvents> subsystem_events();

// The events an instance of `subsystem` has (instance events first), or an
// empty span for an unknown subsystem.
std::span<const EventSpec* const> events_of(std::string_view subsystem);
const EventSpec* find_event(std::string_view subsystem, std::string_view name);

// Every notification, in arc order, each once.
const std::vector<const NotificationType*>& all_notifications();
Oid notification_oid(const NotificationType& type);  // mwxNotifications.arc
// mwxEventType's enumeration: each notification's arc and label.
std::span<const EnumLabel> event_type_labels();

// --list-events: one tab-separated line per notification, per kind of
// threshold (how the agent compares), then per event:
//   notification NAME OID OBJECTS...
//   comparison KIND ALARM-OPERATOR ALARM-THRESHOLD CLEAR-OPERATOR CLEAR-THRESHOLD
//   event SUBSYSTEM NAME KIND RISING FALLING HOLD UNIT NOTIFICATIONS DESCRIPTION
void print_events(std::ostream& out);

}  // namespace mwx
