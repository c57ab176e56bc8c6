#pragma once
// Events: changes worth telling an operator the moment they happen. A
// subsystem declares the notifications it sends (NotificationType, one per
// NOTIFICATION-TYPE of the MIB) and the events an operator configures
// (EventSpec: a config name, and for a threshold its defaults); collectors
// detect events by comparing samples, and the thread that owns net-snmp
// sends them (docs/architecture.md, "Events").

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "agent/base/oid.hpp"

namespace mwx {

// The objects a notification carries beyond those every one carries
// (time, subsystem, label, text, suppressed count).
enum EventObjects : unsigned {
  kNoObjects = 0,
  kValueObject = 1,          // mwxEventValue
  kThresholdObject = 2,      // mwxEventThreshold
  kPreviousValueObject = 4,  // mwxEventPreviousValue
  kFromToObjects = 8,        // mwxEventFrom and mwxEventTo
};

// One NOTIFICATION-TYPE: its OID is mwxNotifications.arc (mwxMIB.0.arc, so
// that SNMPv1 trap translation gives enterprise mwxMIB, specific-trap arc).
// Its arc is also its number in mwxEventType.
struct NotificationType {
  OidArc arc;
  std::string_view name;  // "mwxFlareFailover"
  unsigned objects = kNoObjects;
};

// How an event's readings become notifications.
enum class EventKind : std::uint8_t {
  change,     // each change detected is one notification; only on/off
  above,      // alarm when the value reaches `rising` (for `hold`), clear at `falling` and below
  below,      // alarm when the value falls to `falling` (for `hold`), clear at `rising` and above
  condition,  // alarm when a condition has held for `hold`, clear when it ends; only on/off and for=
};

// What an operator configures: `event SUBSYSTEM[/INSTANCE] NAME ...`. For
// thresholds, `name` upper-cased also names the Zabbix templates' macros
// ({$MWX.MEMCACHED.CONNECTION_USAGE.RISING}): the templates take these
// defaults, so the triggers and the notifications agree.
struct EventSpec {
  std::string_view name;   // "connection_usage"
  EventKind kind;
  std::string_view what;   // "connection usage": the subject of the notification's text
  std::string_view unit;   // of the thresholds: "%", "s", "jobs", "messages"; empty for changes
  std::uint64_t rising = 0, falling = 0;
  std::chrono::seconds hold{0};
  // A threshold's or condition's alarm and its end; the one or two
  // notifications a change sends (added, removed).
  const NotificationType* alarm = nullptr;
  const NotificationType* clear = nullptr;
  std::string_view description;             // for --list-events and the manuals

  bool has_thresholds() const { return kind == EventKind::above || kind == EventKind::below; }
  bool has_hold() const { return kind != EventKind::change; }
};

// An event's configured state for one instance: the spec's defaults unless
// mwagentx.conf says otherwise.
struct EventSetting {
  bool enabled = true;
  std::uint64_t rising = 0, falling = 0;
  std::chrono::seconds hold{0};

  static EventSetting defaults_of(const EventSpec& spec) { return {true, spec.rising, spec.falling, spec.hold}; }
  bool operator==(const EventSetting&) const = default;
};

struct Event {
  const NotificationType* type = nullptr;
  // The event it tells of: its alarm and its clear (down and up) are one
  // state, rate-limited together (agent/events/event_log.hpp).
  const EventSpec* spec = nullptr;
  std::string subsystem;  // "memcached"
  std::string label;      // the row's Label column: "sessions", "jobs/resize"
  std::string text;       // one line for people: "memcached sessions is down: connection refused"
  std::optional<std::uint64_t> value, threshold, previous_value;
  std::optional<std::string> from, to;  // a state or a master before and after
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  // Given by the event log (agent/events/event_log.hpp): the row in mwxEventTable,
  // and how many like it (same notification, same row) it held back since
  // the last one it let through.
  std::uint32_t index = 0;
  std::uint64_t suppressed = 0;
};

// mwxEventType's label of a notification: "mwxFlareFailover" -> "flareFailover".
std::string event_type_label(std::string_view notification_name);

}  // namespace mwx
