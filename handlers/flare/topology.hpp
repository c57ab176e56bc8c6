#pragma once
// What the node map says about the cluster, and what changed between two
// polls of it. Pure: the instance keeps the history, the notifications
// (traps) will consume the events.

#include <cstdint>
#include <string>
#include <vector>

#include "handlers/flare/sample.hpp"

namespace mwx::flare {

struct TopologySummary {
  std::uint64_t nodes = 0;
  std::uint64_t active = 0;  // state active
  std::uint64_t down = 0;    // state down
  std::uint64_t partitions = 0;
  std::vector<std::int64_t> partitions_without_master;  // no node is master and active there
};

TopologySummary summarize(const std::vector<Node>& nodes);

struct TopologyEvent {
  enum class Kind {
    failover,       // a partition's master is now another node
    role_changed,   // a node's role changed
    state_changed,  // a node's state changed
  };
  Kind kind;
  std::string node;      // the node concerned; for a failover, the new master
  std::string previous;  // failover: the old master; otherwise the old role or state
  std::string current;   // the new role or state; for a failover, the partition
  std::int64_t partition = -1;

  std::string describe() const;  // one line for the log
};

// The events between two node maps. Nodes only in one of them (added to or
// removed from the cluster) change nothing; a partition gaining its first
// master is no failover.
std::vector<TopologyEvent> compare_topologies(const std::vector<Node>& before, const std::vector<Node>& after);

}  // namespace mwx::flare
