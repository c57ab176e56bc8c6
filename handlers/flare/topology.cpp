#include "handlers/flare/topology.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace mwx::flare {
namespace {

// Each partition's master: an active one if there is one, else any.
std::map<std::int64_t, const Node*> masters(const std::vector<Node>& nodes) {
  std::map<std::int64_t, const Node*> out;
  for (const auto& node : nodes) {
    if (node.role != Role::master || node.partition < 0) continue;
    auto [it, fresh] = out.emplace(node.partition, &node);
    if (!fresh && it->second->state != State::active && node.state == State::active) it->second = &node;
  }
  return out;
}

}  // namespace

TopologySummary summarize(const std::vector<Node>& nodes) {
  TopologySummary summary;
  std::set<std::int64_t> partitions, served;
  for (const auto& node : nodes) {
    ++summary.nodes;
    if (node.state == State::active) ++summary.active;
    if (node.state == State::down) ++summary.down;
    if (node.partition < 0) continue;
    partitions.insert(node.partition);
    if (node.role == Role::master && node.state == State::active) served.insert(node.partition);
  }
  summary.partitions = partitions.size();
  std::set_difference(partitions.begin(), partitions.end(), served.begin(), served.end(),
                      std::back_inserter(summary.partitions_without_master));
  return summary;
}

std::vector<TopologyEvent> compare_topologies(const std::vector<Node>& before, const std::vector<Node>& after) {
  std::vector<TopologyEvent> events;
  const auto old_masters = masters(before), new_masters = masters(after);
  for (const auto& [partition, master] : new_masters) {
    const auto old = old_masters.find(partition);
    if (old != old_masters.end() && old->second->key != master->key) {
      events.push_back({TopologyEvent::Kind::failover, master->key, old->second->key, std::to_string(partition),
                        partition});
    }
  }
  std::map<std::string_view, const Node*> old_nodes;
  for (const auto& node : before) old_nodes.emplace(node.key, &node);
  for (const auto& node : after) {
    const auto old = old_nodes.find(node.key);
    if (old == old_nodes.end()) continue;
    const Node& was = *old->second;
    if (was.role != node.role) {
      events.push_back({TopologyEvent::Kind::role_changed, node.key, std::string(role_name(was.role)),
                        std::string(role_name(node.role)), node.partition});
    }
    if (was.state != node.state) {
      events.push_back({TopologyEvent::Kind::state_changed, node.key, std::string(state_name(was.state)),
                        std::string(state_name(node.state)), node.partition});
    }
  }
  return events;
}

std::string TopologyEvent::describe() const {
  switch (kind) {
    case Kind::failover:
      return "failover in partition " + current + ": master " + previous + " -> " + node;
    case Kind::role_changed:
      return "node " + node + " role " + previous + " -> " + current;
    case Kind::state_changed:
      return "node " + node + " state " + previous + " -> " + current;
  }
  return {};
}

}  // namespace mwx::flare
