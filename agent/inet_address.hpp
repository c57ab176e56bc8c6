#pragma once
// INET-ADDRESS-MIB's InetAddressType + InetAddress (RFC 4001) of a host as
// text: IPv4 and IPv6 addresses in network byte order, anything else as a
// DNS name.

#include <string>
#include <string_view>

namespace mwx {

enum class InetAddressType : int { unknown = 0, ipv4 = 1, ipv6 = 2, dns = 16 };

struct InetAddress {
  InetAddressType type = InetAddressType::unknown;
  std::string octets;  // 4 or 16 bytes, or the name
};

InetAddress inet_address_of(std::string_view host);

}  // namespace mwx
