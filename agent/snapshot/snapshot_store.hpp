#pragma once
// Where the poller thread publishes snapshots and the SNMP handler (main
// thread) takes them: an atomic shared_ptr swap, no lock held by either.

#include <atomic>
#include <memory>

#include "agent/snapshot/snapshot.hpp"

namespace mwx {

class SnapshotStore {
 public:
  SnapshotStore() : current_(std::make_shared<const Snapshot>()) {}

  void publish(std::shared_ptr<const Snapshot> snapshot) { current_.store(std::move(snapshot)); }
  std::shared_ptr<const Snapshot> current() const { return current_.load(); }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace mwx
