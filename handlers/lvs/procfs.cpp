#include "handlers/lvs/procfs.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"

namespace mwx::lvs {
namespace {

std::optional<std::uint64_t> parse_hex(std::string_view text, std::size_t max_digits = 16) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (text.empty() || text.size() > max_digits || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::pair<Address, std::uint16_t>> parse_address_port(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto port = parse_hex(text.substr(colon + 1), 4);
  if (!port || text.substr(colon + 1).size() != 4) return std::nullopt;
  const std::string_view host = text.substr(0, colon);
  Address address;
  if (host.size() == 8) {
    const auto v4 = parse_hex(host, 8);
    if (!v4) return std::nullopt;
    address.family = 4;
    for (int shift = 24; shift >= 0; shift -= 8) address.octets.push_back(static_cast<char>((*v4 >> shift) & 0xff));
  } else if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    // The kernel prints %pI6: eight groups of four hex digits.
    const auto groups = host.substr(1, host.size() - 2);
    if (groups.size() != 39) return std::nullopt;
    address.family = 6;
    for (std::size_t g = 0; g < 8; ++g) {
      if (g > 0 && groups[g * 5 - 1] != ':') return std::nullopt;
      const auto group = parse_hex(groups.substr(g * 5, 4), 4);
      if (!group) return std::nullopt;
      address.octets.push_back(static_cast<char>(*group >> 8));
      address.octets.push_back(static_cast<char>(*group & 0xff));
    }
  } else {
    return std::nullopt;
  }
  return std::make_pair(address, static_cast<std::uint16_t>(*port));
}

std::optional<Protocol> parse_protocol(std::string_view text) {
  if (text == "TCP") return Protocol::tcp;
  if (text == "UDP") return Protocol::udp;
  if (text == "SCTP") return Protocol::sctp;
  if (text == "FWM") return Protocol::fwmark;
  return std::nullopt;
}

namespace {

std::optional<ForwardMethod> parse_forward(std::string_view text) {
  if (text == "Masq") return ForwardMethod::masq;
  if (text == "Local") return ForwardMethod::local;
  if (text == "Tunnel") return ForwardMethod::tunnel;
  if (text == "Route") return ForwardMethod::route;
  if (text == "Bypass") return ForwardMethod::bypass;
  return std::nullopt;
}

Error bad_line(int number, std::string_view line, const std::string& why) {
  return Error{"line " + std::to_string(number) + " '" + excerpt(line) + "': " + why};
}

// An IPv6 service's persistence prefix is printed as ntohl(plen), an
// IPv4 one's netmask as is (ip_vs_info_seq_show). A firewall-mark line has
// no address to tell which: a value that is no IPv4 netmask but is a
// prefix length through ntohl() is IPv6 (-M 48 reads 30000000); 80000000
// is both (/1 or /128), and the real servers' family decides, IPv6 when
// there are none (/128 is ipvsadm's default for IPv6).
// Nothing when the value is no prefix of the service's family.
std::optional<std::uint64_t> persistence_prefix(const Service& service, std::uint32_t printed) {
  const std::uint32_t as_ipv6 = ntohl(printed);
  if (service.address.family == 6) return as_ipv6 <= 128 ? std::optional<std::uint64_t>(as_ipv6) : std::nullopt;
  const std::uint64_t as_ipv4 = prefix_length_of_mask(printed);
  const bool is_netmask = as_ipv4 == 32 || (printed << as_ipv4) == 0;
  if (service.address.family == 4 || as_ipv6 > 128) return as_ipv4;
  if (!is_netmask) return as_ipv6;
  const bool ipv4_reals = !service.real_servers.empty() &&
      std::all_of(service.real_servers.begin(), service.real_servers.end(),
                  [](const RealServer& real) { return real.address.family == 4; });
  return ipv4_reals ? as_ipv4 : as_ipv6;
}

// A service line's persistence as printed, settled once its real servers are read.
struct PrintedPersistence {
  std::uint64_t jiffies = 0;
  std::uint32_t mask = 0;
  int line = 0;  // its number, and its text for an error
  std::string text;
};

// "TCP  C0A80016:0CEA wlc [ops] [persistent TIMEOUT NETMASK]"
Result<Service> parse_service_line(int number, std::string_view line, std::optional<PrintedPersistence>& persistence) {
  const auto w = split_words(line);
  if (w.size() < 3) return bad_line(number, line, "expected PROTOCOL ADDRESS:PORT SCHEDULER");
  Service service;
  const auto protocol = parse_protocol(w[0]);
  if (!protocol) return bad_line(number, line, "unknown protocol");
  service.protocol = *protocol;
  if (service.protocol == Protocol::fwmark) {
    const auto mark = parse_hex(w[1], 8);
    if (!mark) return bad_line(number, line, "bad firewall mark");
    service.fwmark = static_cast<std::uint32_t>(*mark);
    service.address.family = 0;
  } else {
    const auto address = parse_address_port(w[1]);
    if (!address) return bad_line(number, line, "bad address:port");
    std::tie(service.address, service.port) = *address;
  }
  service.scheduler = std::string(w[2]);
  std::size_t i = 3;
  if (i < w.size() && w[i] == "ops") ++i;  // one-packet scheduling
  if (i < w.size() && w[i] == "persistent") {
    if (i + 3 != w.size()) return bad_line(number, line, "expected persistent TIMEOUT NETMASK");
    const auto timeout = parse_unsigned(w[i + 1]);
    const auto mask = parse_hex(w[i + 2], 8);
    if (!timeout || !mask) return bad_line(number, line, "bad persistence timeout or netmask");
    persistence = PrintedPersistence{*timeout, static_cast<std::uint32_t>(*mask), number, std::string(line)};
    i += 3;
  }
  if (i != w.size()) return bad_line(number, line, "unexpected '" + excerpt(w[i]) + "'");
  return service;
}

// "  -> C0A85216:0CEA      Tunnel  100    248        2"
Result<RealServer> parse_real_server_line(int number, std::string_view line) {
  const auto w = split_words(line);
  if (w.size() != 6) return bad_line(number, line, "expected -> ADDRESS:PORT FORWARD WEIGHT ACTIVE INACTIVE");
  RealServer real;
  const auto address = parse_address_port(w[1]);
  if (!address) return bad_line(number, line, "bad address:port");
  std::tie(real.address, real.port) = *address;
  const auto forward = parse_forward(w[2]);
  if (!forward) return bad_line(number, line, "unknown forwarding method");
  real.forward = *forward;
  const auto weight = parse_unsigned(w[3]);
  const auto active = parse_unsigned(w[4]);
  const auto inactive = parse_unsigned(w[5]);
  if (!weight || !active || !inactive || *weight > INT32_MAX) return bad_line(number, line, "bad number");
  real.weight = static_cast<std::int64_t>(*weight);
  real.active_conns = *active;
  real.inactive_conns = *inactive;
  return real;
}

// "IP Virtual Server version 1.2.1 (size=4096)"
std::optional<Error> parse_header(std::optional<std::string_view> header, ServiceTable& table) {
  constexpr std::string_view kPrefix = "IP Virtual Server version ";
  if (!header || header->substr(0, kPrefix.size()) != kPrefix) return Error{"not an IPVS service table"};
  const auto w = split_words(header->substr(kPrefix.size()));
  if (w.size() != 2 || w[1].substr(0, 6) != "(size=" || w[1].back() != ')') return bad_line(1, *header, "bad header");
  const auto size = parse_unsigned(w[1].substr(6, w[1].size() - 7));
  if (!size) return bad_line(1, *header, "bad table size");
  table.version = std::string(w[0]);
  table.conn_table_size = *size;
  return std::nullopt;
}

// Persistence as the kernel printed it, in the service's terms: seconds
// (jiffies / HZ; left out without HZ) and the prefix length.
std::optional<Error> apply_persistence(const std::vector<std::optional<PrintedPersistence>>& printed,
                                       std::optional<std::uint64_t> hz, ServiceTable& table) {
  for (std::size_t s = 0; s < table.services.size(); ++s) {
    if (!printed[s]) continue;
    Service& service = table.services[s];
    if (hz && *hz > 0) service.persistence_timeout = printed[s]->jiffies / *hz;
    service.persistence_prefix = persistence_prefix(service, printed[s]->mask);
    if (!service.persistence_prefix) return bad_line(printed[s]->line, printed[s]->text, "bad IPv6 persistence prefix");
  }
  return std::nullopt;
}

}  // namespace

Result<ServiceTable> parse_ip_vs(std::string_view text, std::optional<std::uint64_t> hz) {
  ServiceTable table;
  std::vector<std::optional<PrintedPersistence>> persistence;  // per service
  int number = 0;
  std::string_view rest = text;
  const auto next_line = [&]() -> std::optional<std::string_view> {
    auto line = take_line(rest);
    if (line) ++number;
    return line;
  };
  if (auto error = parse_header(next_line(), table)) return std::move(*error);
  for (int i = 0; i < 2; ++i) {  // the two column headings
    if (!next_line()) return Error{"the table ends inside its header"};
  }
  while (!rest.empty()) {
    const auto line = next_line();
    if (!line) return Error{"the table ends in the middle of line " + std::to_string(number + 1)};
    if (split_words(*line).empty()) continue;
    if (line->substr(0, 4) == "  ->") {
      if (table.services.empty()) return bad_line(number, *line, "real server before any service");
      auto real = parse_real_server_line(number, *line);
      if (!real) return Error{real.error()};
      table.services.back().real_servers.push_back(std::move(real).value());
      continue;
    }
    auto service = parse_service_line(number, *line, persistence.emplace_back());
    if (!service) return Error{service.error()};
    table.services.push_back(std::move(service).value());
  }
  if (auto error = apply_persistence(persistence, hz, table)) return std::move(*error);
  return table;
}

std::optional<std::uint64_t> kernel_hz_of_config(std::string_view config) {
  constexpr std::string_view kSetting = "CONFIG_HZ=";
  while (const auto line = take_line(config)) {
    if (line->substr(0, kSetting.size()) == kSetting) return parse_unsigned(line->substr(kSetting.size()));
  }
  return std::nullopt;
}

Result<Traffic> parse_ip_vs_stats(std::string_view text) {
  // Two headings, the totals, a blank line, one heading, the rates.
  std::vector<std::vector<std::string_view>> numbers;
  std::string_view rest = text;
  while (auto line = take_line(rest)) {
    const auto w = split_words(*line);
    if (w.size() == 5 && parse_hex(w[0])) numbers.push_back(w);
  }
  if (!rest.empty()) return Error{"ip_vs_stats ends in the middle of a line"};
  if (numbers.size() != 2) return Error{"ip_vs_stats: expected a line of totals and a line of rates"};
  std::array<std::uint64_t, 10> v{};
  for (std::size_t row = 0; row < 2; ++row) {
    for (std::size_t col = 0; col < 5; ++col) {
      const auto value = parse_hex(numbers[row][col]);
      if (!value) return Error{"ip_vs_stats: bad number '" + excerpt(numbers[row][col]) + "'"};
      v[row * 5 + col] = *value;
    }
  }
  return Traffic{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
}

std::optional<std::int64_t> parse_sysctl_value(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return parse_signed(text);
}

}  // namespace mwx::lvs
