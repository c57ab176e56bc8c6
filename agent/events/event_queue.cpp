#include "agent/events/event_queue.hpp"

#include <cerrno>
#include <cstdint>
#include <system_error>
#include <sys/eventfd.h>
#include <unistd.h>

namespace mwx {

EventQueue::EventQueue() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

EventQueue::~EventQueue() { ::close(fd_); }

void EventQueue::push(std::vector<Event> events) {
  if (events.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& event : events) events_.push_back(std::move(event));
  }
  const std::uint64_t one = 1;
  // Fails only when the counter would overflow: it is readable then anyway.
  [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
}

std::vector<Event> EventQueue::take() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto read = ::read(fd_, &count, sizeof count);
  std::lock_guard lock(mutex_);
  return std::exchange(events_, {});
}

}  // namespace mwx
