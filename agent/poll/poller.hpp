#pragma once
// The collectors' thread: one Boost.Asio io_context that polls every
// instance once per its interval, whatever the SNMP load, at a stable
// offset into the interval (agent/poll/poll_schedule.hpp) and at most
// max_parallel_polls at a time, and publishes a new snapshot after each
// poll. Nothing here touches net-snmp.

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "agent/events/event_log.hpp"
#include "agent/mib/agent_group.hpp"
#include "agent/poll/instance.hpp"
#include "agent/snapshot/snapshot_store.hpp"

namespace mwx {

struct PollerOptions {
  std::size_t max_parallel_polls = 128;
  EventPolicy events;
};

class Poller {
 public:
  // Receives, on the poller thread, the events the event log let through.
  using EventSink = std::function<void(std::vector<Event>)>;

  Poller(SnapshotStore& store, AgentState state, PollerOptions options, EventSink sink);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start(std::vector<std::shared_ptr<Instance>> instances);
  // From any thread. Instances whose config line is unchanged keep their
  // state and schedule; the others are dropped or start fresh.
  void reconfigure(std::vector<std::shared_ptr<Instance>> instances, PollerOptions options);
  void count_failed_reload();
  // From any thread: events that could not be held for snmpd were lost.
  void count_lost_events(std::uint64_t lost);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

// For --dump: polls every instance once on the calling thread and returns
// the snapshot an agent would serve.
std::shared_ptr<const Snapshot> poll_all_once(const std::vector<std::shared_ptr<Instance>>& instances,
                                              const AgentState& state);

}  // namespace mwx
