#pragma once
// The event log, on the poller thread: rate-limits the events the
// collectors detect, numbers the ones it lets through, keeps the last N of
// them for mwxEventTable (in the spirit of NOTIFICATION-LOG-MIB's
// nlmLogTable, for managers that only poll) and hands them on to be sent.
// The columns below are also the objects the notifications carry.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "agent/events/event.hpp"
#include "agent/mib/column.hpp"
#include "agent/mib/mib_catalog.hpp"
#include "agent/snapshot/snapshot_builder.hpp"

namespace mwx {

struct EventPolicy {
  // At most one notification per event and row in this period (an alarm
  // and its clear count as one: down and up, high and normal). What comes
  // meanwhile is held back; when the period ends, the latest held back is
  // sent (the trailing edge), so the receiver always ends up knowing the
  // current state. The ones it replaced are counted on it.
  std::chrono::seconds holdoff{60};
  std::size_t log_size = 100;  // rows kept in mwxEventTable
};

namespace event_column {
inline constexpr Column time{2, "mwxEventTime", SnmpType::OctetString, kDateAndTime};
inline constexpr Column age{3, "mwxEventAge", SnmpType::Unsigned32, {}, "seconds"};
const Column& type();  // its enumeration is every notification's
inline constexpr Column subsystem{5, "mwxEventSubsystem", SnmpType::OctetString};
inline constexpr Column label{6, "mwxEventLabel", SnmpType::OctetString};
inline constexpr Column text{7, "mwxEventText", SnmpType::OctetString};
// Gauge32, not a 64-bit level: a notification with a Counter64 in it
// cannot be translated to SNMPv1 (RFC 3584), and every value an event
// carries (a percentage, seconds, jobs, a weight) fits; larger ones latch.
inline constexpr Column value{8, "mwxEventValue", SnmpType::Gauge32};
inline constexpr Column threshold{9, "mwxEventThreshold", SnmpType::Gauge32};
inline constexpr Column previous_value{10, "mwxEventPreviousValue", SnmpType::Gauge32};
inline constexpr Column from{11, "mwxEventFrom", SnmpType::OctetString};
inline constexpr Column to{12, "mwxEventTo", SnmpType::OctetString};
inline constexpr Column suppressed{13, "mwxEventSuppressed", SnmpType::Gauge32};
}  // namespace event_column

// The objects a notification of `type` carries, in the order of its
// OBJECTS clause: mwxEventTime, Subsystem, Label, Text, then what its type
// adds, then mwxEventSuppressed.
std::vector<const Column*> notification_objects(const NotificationType& type);
// A logged event's value of one of the columns above (mwxEventAge aside,
// which is answered from the time): absent where the event has none.
struct EventObjectValue {
  bool present = false;
  std::uint64_t number = 0;
  std::string text;
};
EventObjectValue event_object_value(const Event& event, const Column& column);

// mwxEventTable's entry OID; a column's instance is entry.column.index.
const Oid& event_entry_oid();

class EventLog {
 public:
  explicit EventLog(EventPolicy policy = {}) : policy_(policy) {}

  void set_policy(EventPolicy policy);
  // Returns the events the rate limit lets through, numbered and logged,
  // in order; the others are held back or counted.
  std::vector<Event> admit(std::vector<Event> events, std::chrono::steady_clock::time_point now);
  // The events held back whose holdoff has ended by `now`, numbered and
  // logged as admit() does: the latest of each row's event.
  std::vector<Event> release_held(std::chrono::steady_clock::time_point now);
  // When the next holdoff with an event held back ends, if any does.
  std::optional<std::chrono::steady_clock::time_point> next_release() const;
  // Events lost because snmpd stayed away longer than the backlog holds.
  void count_overflowed(std::uint64_t lost) { overflowed_ += lost; }

  void write_rows(SnapshotBuilder& out) const;

 private:
  struct Holdoff {
    std::chrono::steady_clock::time_point last_sent;
    std::uint64_t suppressed = 0;  // held back and replaced by a later one: never sent
    std::optional<Event> held;     // the latest held back, sent when the holdoff ends
  };
  // The event (its alarm's notification, for an alarm and its clear alike), subsystem, label.
  using Key = std::tuple<OidArc, std::string, std::string>;
  static Key key_of(const Event& event);
  // Numbers, logs and counts an event that is sent.
  Event let_through(Event event, Holdoff& holdoff, std::chrono::steady_clock::time_point now);

  EventPolicy policy_;
  std::deque<Event> log_;
  std::map<Key, Holdoff> holdoffs_;
  std::uint32_t next_index_ = 1;
  std::uint64_t logged_ = 0, suppressed_ = 0, overflowed_ = 0;
};

void describe_event_log(MibCatalog& catalog);

}  // namespace mwx
