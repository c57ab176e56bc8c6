#pragma once
// Where a backend listens: a numeric TCP address or a unix socket path.
// Host names are not resolved: a poll must never wait on DNS.

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/result.hpp"

namespace mwx {

struct Endpoint {
  enum class Kind { Tcp, Unix };
  Kind kind = Kind::Tcp;
  std::string address;  // numeric IPv4 or IPv6 (Tcp)
  std::uint16_t port = 0;
  std::string path;     // (Unix)
};

// Accepts "HOST:PORT", "HOST" (default port), "[IPV6]:PORT", "[IPV6]",
// "localhost[:PORT]", "/path/to.sock" and "unix:/path/to.sock".
Result<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port);

}  // namespace mwx
