#include "agent/inet_address.hpp"

#include <utility>  // before Asio (Boost 1.74 under C++20)

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
  const auto bytes = address.to_v6().to_bytes();
  return {InetAddressType::ipv6, std::string(bytes.begin(), bytes.end())};
}

}  // namespace mwx
