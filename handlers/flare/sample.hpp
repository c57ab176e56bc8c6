#pragma once
// What one poll of a Flare cluster yields, typed: the index server's node
// map and its own stats, and each node's stats when node_stats is on.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handlers/memcached/sample.hpp"

namespace mwx::flare {

// The MIB's enum values.
enum class Role : int { master = 1, slave = 2, proxy = 3 };
enum class State : int { active = 1, prepare = 2, down = 3, ready = 4 };

std::string_view role_name(Role role);
std::string_view state_name(State state);

// One node of 'stats nodes' (five lines: role, state, partition, balance,
// thread_type).
struct Node {
  std::string key;   // "HOST:PORT" as the index server lists it
  std::string host;  // the key up to its last colon, brackets removed
  std::uint16_t port = 0;
  Role role = Role::proxy;
  State state = State::down;
  std::int64_t partition = -1;  // -1: none
  std::uint64_t balance = 0;    // read weight
  std::uint64_t thread_type = 0;
};

// From the index server's own 'stats'.
struct IndexStats {
  std::optional<std::string> version;
  std::optional<std::uint64_t> uptime;
  std::optional<std::uint64_t> node_map_version;
};

// From a node's 'stats' and 'stats threads'.
struct NodeStats {
  memcached::GeneralStats stats;
  std::optional<std::uint64_t> replication_lag;  // items queued for slaves, largest over the threads
};

// A node as served: topology always, stats when they could be read.
struct NodeReport {
  Node node;
  std::optional<NodeStats> stats;
  std::string stats_error;  // why stats is absent; empty when present
};

struct Sample {
  IndexStats index;
  std::vector<NodeReport> nodes;  // in the index server's order (sorted by key)
};

}  // namespace mwx::flare
