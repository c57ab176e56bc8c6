#pragma once
// Connection entries by state per virtual service, counted from
// /proc/net/ip_vs_conn in one streaming pass. A busy director (a SYN flood
// is when this matters most) holds millions of entries, so the pass reads
// a fixed-size buffer at a time, keeps one small counter per service,
// and stops at an entry limit or the poll's deadline, saying so.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "agent/base/result.hpp"
#include "handlers/lvs/sample.hpp"

namespace mwx::lvs {

// The states counted in their own column (the kernel's names for TCP;
// SCTP's ESTABLISHED is counted as established), persistence templates
// (state ASSURED, or NONE with client port 0), and the rest (UDP's
// entries, which have no state, among them).
enum class ConnState : std::size_t {
  established, syn_sent, syn_recv, fin_wait, time_wait, close, close_wait, last_ack, templates, other
};
inline constexpr std::size_t kConnStates = 10;

struct ConnCounts {
  std::uint64_t entries = 0;
  std::array<std::uint64_t, kConnStates> by_state{};

  std::uint64_t operator[](ConnState state) const { return by_state[static_cast<std::size_t>(state)]; }
};

// A virtual service as a connection entry names it: protocol, address, port.
using ConnServiceKey = std::tuple<Protocol, int, std::string, std::uint16_t>;

inline ConnServiceKey conn_service_key(const Service& service) {
  return {service.protocol, service.address.family, service.address.octets, service.port};
}

enum class ConnCountEnd { complete, at_limit, at_deadline };

struct ConnTable {
  std::map<ConnServiceKey, ConnCounts> services;
  std::uint64_t entries = 0;        // every entry read, whatever its protocol
  ConnCountEnd end = ConnCountEnd::complete;
  std::chrono::system_clock::time_point counted_at;
  std::chrono::milliseconds duration{0};
};

// Counts the lines of ip_vs_conn fed to it in chunks of any size, at most
// `limit` entries; pure.
class ConnCounter {
 public:
  explicit ConnCounter(std::uint64_t limit) : limit_(limit) {}
  // Counts the whole lines in `chunk` (with what was left of the previous
  // one). False once an entry beyond the limit or a garbled line is met.
  bool feed(std::string_view chunk);
  // Counts a last line without its newline. Errors name the line; `end`
  // says whether the count stopped at the limit.
  Result<ConnTable> finish();

 private:
  bool count_line(std::string_view line);

  const std::uint64_t limit_;
  bool limited_ = false;  // an entry beyond the limit was left uncounted

  std::string partial_;  // a line cut by the end of a chunk
  std::string key_;      // reused: "PROTOCOL ADDRESS PORT" of the line being counted
  std::unordered_map<std::string, ConnCounts> by_text_;
  std::uint64_t lines_ = 0, entries_ = 0;
  std::string error_;
};

// Streams the file at `path`. At most `limit` entries; gives up reading at
// `deadline`. An unreadable or garbled file is an error.
Result<ConnTable> count_connections(const std::string& path, std::uint64_t limit,
                                    std::chrono::steady_clock::time_point deadline);

}  // namespace mwx::lvs
