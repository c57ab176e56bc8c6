#pragma once
// Pure parsers of IPVS's procfs files, as the kernel prints them
// (net/netfilter/ipvs/ip_vs_ctl.c). Tolerant of spacing, strict about
// values: a line that does not parse fails with a message naming it.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/base/result.hpp"
#include "handlers/lvs/sample.hpp"

namespace mwx::lvs {

struct ServiceTable {
  std::string version;  // "1.2.1"
  std::uint64_t conn_table_size = 0;
  std::vector<Service> services;  // in the file's order
};

// An address and port as /proc/net/ip_vs prints them: "C0A80016:0CEA" or
// "[2001:0db8:...:0001]:0050" (every group of four digits).
std::optional<std::pair<Address, std::uint16_t>> parse_address_port(std::string_view text);

// TCP, UDP, SCTP or FWM.
std::optional<Protocol> parse_protocol(std::string_view text);

// /proc/net/ip_vs: the header, then each service line followed by its
// "  -> " real server lines. The kernel prints a persistence timeout in
// jiffies (its timeout x HZ; HZ is 250 on Debian, 1000 on RHEL, and not
// sysconf(_SC_CLK_TCK), which is USER_HZ): with the kernel's `hz` it is
// served in seconds, without it absent.
Result<ServiceTable> parse_ip_vs(std::string_view text, std::optional<std::uint64_t> hz);

// CONFIG_HZ of a kernel's build configuration (/boot/config-RELEASE), or nullopt.
std::optional<std::uint64_t> kernel_hz_of_config(std::string_view config);

// /proc/net/ip_vs_stats: totals and rates, in hex.
Result<Traffic> parse_ip_vs_stats(std::string_view text);

// One /proc/sys/net/ipv4/vs/ value: a decimal integer and a newline.
std::optional<std::int64_t> parse_sysctl_value(std::string_view text);

}  // namespace mwx::lvs
