#include "handlers/flare/parse.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"
#include "handlers/memcached/stat_lines.hpp"

namespace mwx::flare {
namespace {

// Threads of type 16 and up talk to another node (a node's thread_type).
constexpr std::uint64_t kFirstNodeThreadType = 16;

std::optional<Role> parse_role(std::string_view text) {
  if (text == "master") return Role::master;
  if (text == "slave") return Role::slave;
  if (text == "proxy") return Role::proxy;
  return std::nullopt;
}

std::optional<State> parse_state(std::string_view text) {
  if (text == "active") return State::active;
  if (text == "prepare") return State::prepare;
  if (text == "down") return State::down;
  if (text == "ready") return State::ready;
  return std::nullopt;
}

// "HOST:PORT" split on its last colon; IPv6 hosts may come bracketed.
Result<Node> node_of_key(std::string_view key) {
  const auto colon = key.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return Error{"node key '" + excerpt(key) + "' is not HOST:PORT"};
  const auto port = parse_unsigned(key.substr(colon + 1));
  if (!port || *port == 0 || *port > 65535) return Error{"node key '" + excerpt(key) + "' has a bad port"};
  std::string_view host = key.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return Error{"node key '" + excerpt(key) + "' has no host"};
  Node node;
  node.key = std::string(key);
  node.host = std::string(host);
  node.port = static_cast<std::uint16_t>(*port);
  return node;
}

enum Field : std::size_t { kRole, kState, kPartition, kBalance, kThreadType, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldNames{"role", "state", "partition", "balance",
                                                                 "thread_type"};

Error bad_field(const Node& node, std::string_view field, std::string_view value) {
  return Error{"node " + excerpt(node.key) + ": bad " + std::string(field) + " '" + excerpt(value) + "'"};
}

// Sets one field of a node from its text; false if the text is no such value.
bool set_field(Node& node, Field field, std::string_view value) {
  switch (field) {
    case kRole: {
      const auto role = parse_role(value);
      if (role) node.role = *role;
      return role.has_value();
    }
    case kState: {
      const auto state = parse_state(value);
      if (state) node.state = *state;
      return state.has_value();
    }
    case kPartition: {
      const auto partition = parse_signed(value);
      if (!partition || *partition < -1 || *partition > INT32_MAX) return false;
      node.partition = *partition;
      return true;
    }
    case kBalance:
    case kThreadType:
    case kFieldCount: {
      const auto number = parse_unsigned(value);
      if (number) (field == kBalance ? node.balance : node.thread_type) = *number;
      return number.has_value();
    }
  }
  return false;
}

// A node being read, and which of its fields have come.
struct PendingNode {
  Node node;
  std::array<bool, kFieldCount> seen{};
};

// The nodes, each with every field, in the order they came.
Result<std::vector<Node>> complete_nodes(std::vector<PendingNode>& nodes) {
  std::vector<Node> out;
  out.reserve(nodes.size());
  for (auto& pending : nodes) {
    const auto missing = std::find(pending.seen.begin(), pending.seen.end(), false);
    if (missing != pending.seen.end()) {
      return Error{"node " + excerpt(pending.node.key) + " has no " +
                   std::string(kFieldNames[static_cast<std::size_t>(missing - pending.seen.begin())]) + " line"};
    }
    out.push_back(std::move(pending.node));
  }
  return out;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::master: return "master";
    case Role::slave: return "slave";
    case Role::proxy: return "proxy";
  }
  return "?";
}

std::string_view state_name(State state) {
  switch (state) {
    case State::active: return "active";
    case State::prepare: return "prepare";
    case State::down: return "down";
    case State::ready: return "ready";
  }
  return "?";
}

Result<std::vector<Node>> parse_stats_nodes(std::string_view reply) {
  auto lines = memcached::split_stat_lines(reply);
  if (!lines) return Error{lines.error()};
  std::vector<PendingNode> nodes;
  std::map<std::string_view, std::size_t, std::less<>> by_key;
  for (const auto& [name, value] : lines.value()) {
    const auto colon = name.rfind(':');
    if (colon == std::string_view::npos) return Error{"stat '" + excerpt(name) + "' is not HOST:PORT:FIELD"};
    const std::string_view key = name.substr(0, colon), field = name.substr(colon + 1);
    const auto known = std::find(kFieldNames.begin(), kFieldNames.end(), field);
    if (known == kFieldNames.end()) continue;
    auto [it, fresh] = by_key.emplace(key, nodes.size());
    if (fresh) {
      auto node = node_of_key(key);
      if (!node) return Error{node.error()};
      nodes.push_back({std::move(node).value(), {}});
    }
    PendingNode& pending = nodes[it->second];
    const auto index = static_cast<Field>(known - kFieldNames.begin());
    pending.seen[index] = true;  // split_stat_lines already refused duplicates
    if (!set_field(pending.node, index, value)) return bad_field(pending.node, field, value);
  }
  return complete_nodes(nodes);
}

Result<IndexStats> parse_index_stats(std::string_view reply) {
  auto lines = memcached::split_stat_lines(reply);
  if (!lines) return Error{lines.error()};
  IndexStats stats;
  for (const auto& [name, value] : lines.value()) {
    if (name == "version") {
      stats.version = std::string(value);
    } else if (name == "uptime" || name == "node_map_version") {
      const auto number = parse_unsigned(value);
      if (!number) return Error{"stat '" + std::string(name) + "' is not a number: '" + excerpt(value) + "'"};
      (name == "uptime" ? stats.uptime : stats.node_map_version) = *number;
    }
  }
  return stats;
}

Result<std::optional<std::uint64_t>> parse_replication_lag(std::string_view reply) {
  auto lines = memcached::split_stat_lines(reply);
  if (!lines) return Error{lines.error()};
  // "ID:type" and "ID:behind" of each thread.
  std::map<std::string_view, std::pair<std::optional<std::uint64_t>, std::string_view>, std::less<>> threads;
  for (const auto& [name, value] : lines.value()) {
    const auto colon = name.find(':');
    if (colon == std::string_view::npos) return Error{"stat '" + excerpt(name) + "' is not THREAD:FIELD"};
    const std::string_view thread = name.substr(0, colon), field = name.substr(colon + 1);
    if (field == "type") {
      const auto type = parse_unsigned(value);
      if (!type) return Error{"thread " + excerpt(thread) + ": bad type '" + excerpt(value) + "'"};
      threads[thread].first = type;
    } else if (field == "behind") {
      threads[thread].second = value;
    }
  }
  std::optional<std::uint64_t> lag;
  bool replicating = false;
  for (const auto& [thread, fields] : threads) {
    const auto& [type, behind] = fields;
    if (!type) return Error{"thread " + excerpt(thread) + " has no type line"};
    if (*type < kFirstNodeThreadType) continue;
    replicating = true;
    if (behind.empty()) continue;  // Flare prints empty values for threads it knows little about
    const auto items = parse_unsigned(behind);
    if (!items) return Error{"thread " + excerpt(thread) + ": bad behind '" + excerpt(behind) + "'"};
    lag = std::max(lag.value_or(0), *items);
  }
  if (!replicating) return std::optional<std::uint64_t>{0};
  return lag;
}

}  // namespace mwx::flare
