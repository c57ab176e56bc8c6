#include "agent/poll/endpoint.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <charconv>

namespace mwx {
namespace {

constexpr std::size_t kMaxUnixPath = 107;  // sizeof(sockaddr_un::sun_path) - 1

Result<std::uint16_t> parse_port(std::string_view text) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535) {
    return Error{"bad port '" + std::string(text) + "'; expected 1 to 65535"};
  }
  return static_cast<std::uint16_t>(port);
}

// RFC 1123 host names: dot-separated labels of letters, digits and '-',
// neither starting nor ending with '-'.
bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  char previous = '.';
  for (char c : host) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || (c == '-' && label > 0)) {
      if (++label > 63) return false;
    } else {
      return false;
    }
    previous = c;
  }
  return label > 0 && previous != '-';
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port) {
  if (text.substr(0, 5) == "unix:") text.remove_prefix(5);
  if (!text.empty() && text.front() == '/') {
    if (text.size() > kMaxUnixPath) return Error{"unix socket path longer than 107 bytes"};
    return Endpoint{Endpoint::Kind::Unix, {}, 0, std::string(text)};
  }
  std::string_view host = text, port_text;
  bool bracketed = false;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return Error{"bad address '" + std::string(text) + "': missing ']'"};
    host = text.substr(1, close - 1);
    bracketed = true;
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Error{"bad address '" + std::string(text) + "'"};
      port_text = rest.substr(1);
      if (port_text.empty()) return Error{"bad address '" + std::string(text) + "': empty port"};
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) {
      return Error{"bad address '" + std::string(text) + "': write IPv6 addresses as [ADDRESS]:PORT"};
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (port_text.empty()) return Error{"bad address '" + std::string(text) + "': empty port"};
  }
  std::uint16_t port = default_port;
  if (!port_text.empty()) {
    auto parsed = parse_port(port_text);
    if (!parsed) return Error{parsed.error()};
    port = parsed.value();
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (!ec && (!bracketed || address.is_v6())) return Endpoint{Endpoint::Kind::Tcp, address.to_string(), port, {}};
  if (!bracketed && is_host_name(host)) return Endpoint{Endpoint::Kind::Tcp, std::string(host), port, {}};
  return Error{"bad address '" + std::string(text) +
               "': expected a host name, a numeric IPv4 or [IPv6] address, or a unix socket path"};
}

}  // namespace mwx
