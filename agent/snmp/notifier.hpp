#pragma once
// On the thread that owns net-snmp: sends each event as a notification
// while snmpd is there to forward it, and holds events while it is not —
// net-snmp would drop them silently — up to a bound, then the oldest go and
// are counted. Held events are sent after the next registration, with the
// time they happened.

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "agent/events/event.hpp"

namespace mwx {

class Notifier {
 public:
  using Send = std::function<void(const Event&)>;
  using Lost = std::function<void(std::uint64_t)>;

  Notifier(std::size_t backlog_limit, Send send, Lost lost)
      : limit_(backlog_limit), send_(std::move(send)), lost_(std::move(lost)) {}

  void set_backlog_limit(std::size_t limit);
  void submit(std::vector<Event> events, bool deliverable);
  // Sends what was held, oldest first; returns how many.
  std::size_t deliver_held();
  std::size_t held() const { return held_.size(); }

 private:
  void hold(Event event);
  void drop_beyond_limit();

  std::size_t limit_;
  Send send_;
  Lost lost_;
  std::deque<Event> held_;
};

// Sends one event through net-snmp (snmpTrapOID.0 first, then the
// objects its notification type carries). Only on the net-snmp thread.
void send_notification(const Event& event);

}  // namespace mwx
