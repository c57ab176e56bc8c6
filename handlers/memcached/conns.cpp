// 'stats conns': memcached lists every connection as "STAT FD:FIELD VALUE"
// lines (addr, listen_addr, state, secs_since_last_cmd); counted here.
#include <charconv>

#include "agent/base/parse_helpers.hpp"
#include "handlers/memcached/parse.hpp"

namespace mwx::memcached {
namespace {

// Where a connection in memcached's `state` (its conn_states names) counts.
std::uint64_t& count_of(std::string_view state, ConnectionCounts& out) {
  struct Named {
    std::string_view state;
    std::uint64_t ConnectionCounts::*count;
  };
  static constexpr Named kStates[] = {
      {"conn_listening", &ConnectionCounts::listening}, {"conn_new_cmd", &ConnectionCounts::new_cmd},
      {"conn_waiting", &ConnectionCounts::waiting},     {"conn_read", &ConnectionCounts::read},
      {"conn_parse_cmd", &ConnectionCounts::parse_cmd}, {"conn_nread", &ConnectionCounts::nread},
      {"conn_swallow", &ConnectionCounts::nread},       {"conn_write", &ConnectionCounts::writing},
      {"conn_mwrite", &ConnectionCounts::writing},      {"conn_closing", &ConnectionCounts::closing},
      {"conn_closed", &ConnectionCounts::closing},
  };
  for (const auto& named : kStates) {
    if (state == named.state) return out.*named.count;
  }
  return out.other;
}

// One connection's fields, as its lines come.
struct Connection {
  std::string_view fd, state, listen_addr;
  std::optional<std::uint64_t> idle_seconds;
};

void count(const Connection& c, ConnectionCounts& out) {
  ++count_of(c.state, out);
  if (c.state == "conn_listening") return;  // not a client
  if (!c.listen_addr.empty()) ++out.by_listener[std::string(c.listen_addr)];
  if (c.idle_seconds) out.longest_idle = std::max(out.longest_idle.value_or(0), *c.idle_seconds);
}

}  // namespace

Result<ConnectionCounts> parse_conns(std::string_view reply) {
  auto lines = split_stat_lines(reply);
  if (!lines) return Error{"stats conns: " + lines.error()};
  ConnectionCounts out;
  Connection current;
  for (const auto& [name, value] : lines.value()) {
    const auto colon = name.find(':');
    const std::string_view fd = name.substr(0, colon);
    if (colon == std::string_view::npos || !parse_unsigned(fd)) {
      return Error{"stats conns: '" + std::string(name) + "' is not FD:FIELD"};
    }
    if (fd != current.fd) {
      if (!current.fd.empty()) count(current, out);
      current = Connection{};
      current.fd = fd;
    }
    const std::string_view field = name.substr(colon + 1);
    if (field == "state") {
      current.state = value;
    } else if (field == "listen_addr") {
      current.listen_addr = value;
    } else if (field == "secs_since_last_cmd") {
      current.idle_seconds = parse_unsigned(value);
      if (!current.idle_seconds) return Error{"stats conns: " + std::string(name) + " is not a number: '" + std::string(value) + "'"};
    }
  }
  if (!current.fd.empty()) count(current, out);
  return out;
}

}  // namespace mwx::memcached
