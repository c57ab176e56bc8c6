#pragma once
// Hands events from the poller thread to the thread that owns net-snmp:
// a locked vector and an eventfd that the net-snmp event loop watches.

#include <mutex>
#include <vector>

#include "agent/events/event.hpp"

namespace mwx {

class EventQueue {
 public:
  EventQueue();  // throws std::system_error when no eventfd can be made
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  void push(std::vector<Event> events);  // any thread
  std::vector<Event> take();             // clears the fd's readiness too
  int fd() const { return fd_; }

 private:
  int fd_;
  std::mutex mutex_;
  std::vector<Event> events_;
};

}  // namespace mwx
