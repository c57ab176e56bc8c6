#pragma once
// INET-ADDRESS-MIB's InetAddressType + InetAddress (RFC 4001) of a host as
// text: IPv4 and IPv6 addresses in network byte order, anything else as a
// DNS name.

#include <cstdint>
#include <string>
#include <string_view>

namespace mwx {

enum class InetAddressType : int { unknown = 0, ipv4 = 1, ipv6 = 2, ipv6z = 4, dns = 16 };

struct InetAddress {
  InetAddressType type = InetAddressType::unknown;
  std::string octets;  // 4 or 16 bytes, or the name
};

InetAddress inet_address_of(std::string_view host);

// The text of 4 (IPv4) or 16 (IPv6, as RFC 5952 writes it) octets in
// network order; empty for any other length.
std::string address_text(std::string_view octets);

// "192.168.0.22:3306", "[2620::1]:80": an address and port as ipvsadm and
// URLs write them.
std::string endpoint_text(std::string_view octets, std::uint16_t port);

}  // namespace mwx
