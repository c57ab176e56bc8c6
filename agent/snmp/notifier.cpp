#include "agent/snmp/notifier.hpp"

namespace mwx {

void Notifier::set_backlog_limit(std::size_t limit) {
  limit_ = limit;
  drop_beyond_limit();
}

void Notifier::submit(std::vector<Event> events, bool deliverable) {
  for (auto& event : events) {
    if (deliverable && held_.empty()) {
      send_(event);
    } else {
      hold(std::move(event));
    }
  }
  if (deliverable) deliver_held();
}

std::size_t Notifier::deliver_held() {
  const std::size_t count = held_.size();
  for (; !held_.empty(); held_.pop_front()) send_(held_.front());
  return count;
}

void Notifier::hold(Event event) {
  held_.push_back(std::move(event));
  drop_beyond_limit();
}

void Notifier::drop_beyond_limit() {
  std::uint64_t lost = 0;
  for (; held_.size() > limit_; ++lost) held_.pop_front();
  if (lost > 0) lost_(lost);
}

}  // namespace mwx
