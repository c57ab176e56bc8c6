#pragma once
// A Flare cluster: polls the index server's 'stats nodes' and 'stats', then
// (node_stats=on) every listed node's 'stats' and 'stats threads' in
// parallel, all within one timeout. Keeps the history the MIB serves:
// failovers, and each node's role and state changes.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/poll/endpoint.hpp"
#include "agent/poll/instance.hpp"
#include "handlers/flare/sample.hpp"
#include "handlers/flare/topology.hpp"

namespace mwx::flare {

inline constexpr std::uint16_t kDefaultIndexPort = 12120;

// Agent-side observations of one node, kept while the index server lists it.
struct NodeHistory {
  std::uint64_t changes = 0;  // role or state changes seen
  std::optional<std::chrono::system_clock::time_point> last_change;
  // The node's statistics as last read, and when its counters last started
  // over (memcached::is_discontinuity: a restart, a counter that went down).
  std::optional<memcached::GeneralStats> last_stats;
  std::optional<std::chrono::system_clock::time_point> stats_discontinuity;
};

struct ClusterHistory {
  std::uint64_t failovers = 0;
  std::optional<std::chrono::system_clock::time_point> last_failover;
  std::map<std::string, NodeHistory, std::less<>> nodes;
};

class FlareInstance final : public Instance {
 public:
  FlareInstance(InstanceSettings settings, Endpoint index, bool node_stats);

  void write_rows(SnapshotBuilder& out) const override;

  // Takes one poll's result (public for the tests): updates the history,
  // logs the topology events and records the instance's status. Returns
  // the events.
  std::vector<TopologyEvent> take(Result<Sample> sample, std::chrono::system_clock::time_point now);
  // Failovers, node states and masterless partitions as events (events.hpp).
  void notify_topology(const std::vector<TopologyEvent>& changes, const TopologySummary& summary);

  const ClusterHistory& history() const { return history_; }

 private:
  // Counts and logs the map's changes into the nodes' history.
  void record_changes(const std::vector<TopologyEvent>& changes, std::chrono::system_clock::time_point now);
  // Follows each node's statistics and keeps the history of listed nodes only.
  void record_nodes(const Sample& sample, const std::vector<Node>& map, std::chrono::system_clock::time_point now);
  void poll(boost::asio::io_context& io, std::function<void()> done) override;
  void forget_data() override { current_.reset(); }
  void poll_nodes(boost::asio::io_context& io, Sample sample, std::chrono::steady_clock::time_point deadline,
                  std::function<void()> done);

  Endpoint index_;
  bool node_stats_;
  std::optional<Sample> current_;             // present while the index server answers
  std::optional<std::vector<Node>> last_map_;
  std::set<std::int64_t> without_master_;  // partitions notified as without an active master  // the last node map read, kept across failed polls
  ClusterHistory history_;
  std::uint64_t not_indexed_ = 0;  // of the last poll, to log changes once
};

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line);

}  // namespace mwx::flare
