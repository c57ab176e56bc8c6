#include "agent/base/inet_address.hpp"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

namespace mwx {

InetAddress inet_address_of(std::string_view host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return {InetAddressType::dns, std::string(host)};
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    return {InetAddressType::ipv4, std::string(bytes.begin(), bytes.end())};
  }
  const auto v6 = address.to_v6();
  const auto bytes = v6.to_bytes();
  std::string octets(bytes.begin(), bytes.end());
  if (v6.scope_id() == 0) return {InetAddressType::ipv6, std::move(octets)};
  // InetAddressIPv6z: the address, then the zone index in network order.
  for (int shift = 24; shift >= 0; shift -= 8) octets += static_cast<char>((v6.scope_id() >> shift) & 0xff);
  return {InetAddressType::ipv6z, std::move(octets)};
}

std::string address_text(std::string_view octets) {
  if (octets.size() == 4) {
    boost::asio::ip::address_v4::bytes_type bytes;
    std::copy(octets.begin(), octets.end(), bytes.begin());
    return boost::asio::ip::address_v4(bytes).to_string();
  }
  if (octets.size() == 16) {
    boost::asio::ip::address_v6::bytes_type bytes;
    std::copy(octets.begin(), octets.end(), bytes.begin());
    return boost::asio::ip::address_v6(bytes).to_string();
  }
  return {};
}

std::string endpoint_text(std::string_view octets, std::uint16_t port) {
  const std::string address = address_text(octets);
  return (octets.size() == 16 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace mwx

