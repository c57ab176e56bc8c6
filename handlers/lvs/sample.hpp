#pragma once
// What one poll of the local kernel's IPVS yields, typed. Values only
// netlink provides (traffic counters and rates, thresholds, persistent
// connections) are nullopt when read from procfs: absent, never zero.

#include <array>
#include <chrono>
#include <tuple>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mwx::lvs {

// The MIB's enum values.
enum class Protocol : int { tcp = 1, udp = 2, sctp = 3, fwmark = 4 };
enum class ForwardMethod : int { masq = 1, local = 2, tunnel = 3, route = 4, bypass = 5 };
enum class Source : int { procfs = 1, netlink = 2 };

// An address as IPVS reports it: family 4 or 6, network byte order.
struct Address {
  // A firewall-mark service has no address: from netlink it has its
  // family and the all-zero address; from procfs, which does not print the
  // family, family 0 and no octets.
  int family = 4;
  std::string octets;  // 4 or 16 bytes

  bool operator==(const Address&) const = default;
};

// Counters since the kernel counted them, and rates per second (the
// kernel's estimator, over the last seconds).
struct Traffic {
  std::uint64_t conns = 0, in_packets = 0, out_packets = 0, in_bytes = 0, out_bytes = 0;
  std::uint64_t cps = 0, in_pps = 0, out_pps = 0, in_bps = 0, out_bps = 0;
};

struct RealServer {
  Address address;
  std::uint16_t port = 0;
  ForwardMethod forward = ForwardMethod::masq;
  std::int64_t weight = 0;
  std::uint64_t active_conns = 0;
  std::uint64_t inactive_conns = 0;
  std::optional<std::uint64_t> persistent_conns;  // netlink
  std::optional<std::uint64_t> upper_threshold;   // netlink
  std::optional<std::uint64_t> lower_threshold;   // netlink
  std::optional<Traffic> traffic;                 // netlink
  // When the agent last saw its counters start over (mark_discontinuities).
  std::chrono::system_clock::time_point discontinuity_time;
};

// An IPv4 netmask (host order) as a prefix length: its leading one bits.
inline std::uint64_t prefix_length_of_mask(std::uint32_t mask) {
  std::uint64_t prefix = 0;
  for (std::uint32_t bit = 1u << 31; bit != 0 && (mask & bit) != 0; bit >>= 1) ++prefix;
  return prefix;
}

struct Service {
  Protocol protocol = Protocol::tcp;
  Address address;          // empty octets for a firewall-mark service
  std::uint16_t port = 0;
  std::uint32_t fwmark = 0;  // 0 unless protocol is fwmark
  std::string scheduler;
  std::optional<std::uint64_t> persistence_timeout;  // seconds, when persistent
  std::optional<std::uint64_t> persistence_prefix;   // client netmask as a prefix length, when persistent
  std::vector<RealServer> real_servers;
  std::optional<Traffic> traffic;  // netlink
  std::chrono::system_clock::time_point discontinuity_time;  // as for RealServer

  // The natural key: the same service has it as long as it exists.
  auto key() const { return std::tie(protocol, address.family, address.octets, port, fwmark); }
};

inline auto real_server_key(const RealServer& real) { return std::tie(real.address.family, real.address.octets, real.port); }

// The defence settings under /proc/sys/net/ipv4/vs/ that matter in a SYN
// flood; absent where the file is missing.
struct Defence {
  std::optional<std::int64_t> amemthresh, drop_entry, drop_packet, secure_tcp;
};

// The kernel's idle timeouts for IPVS connections (ipvsadm --set), in
// seconds: netlink only.
struct KernelTimeouts {
  std::uint64_t tcp = 0, tcp_fin = 0, udp = 0;
};

// One running connection synchronization daemon (ipvsadm --start-daemon):
// a director runs a master, a backup, both or none.
struct SyncDaemon {
  std::string interface;  // the multicast interface
  std::uint64_t sync_id = 0;
};
struct SyncDaemons {
  std::optional<SyncDaemon> master, backup;
};

struct ConnTable;  // conn_states.hpp

struct Sample {
  Source source = Source::procfs;
  std::string version;                      // "1.2.1"
  std::optional<std::uint64_t> conn_table_size;
  std::vector<Service> services;            // sorted by key, unique
  std::optional<Traffic> totals;            // /proc/net/ip_vs_stats
  Defence defence;
  std::optional<KernelTimeouts> timeouts;  // netlink
  std::optional<SyncDaemons> sync;         // netlink
  // The last count of /proc/net/ip_vs_conn, which has its own interval:
  // a sample keeps its predecessor's until the next count. Null when not
  // counted; `conn_count_error` says why a count failed.
  std::shared_ptr<const ConnTable> conns;
  std::string conn_count_error;
  std::uint64_t duplicates_dropped = 0;     // services or real servers listed twice under one key
  std::chrono::system_clock::time_point totals_discontinuity_time;  // as for RealServer
};

}  // namespace mwx::lvs
