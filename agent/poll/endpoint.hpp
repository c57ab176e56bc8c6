#pragma once
// Where a backend listens: a TCP host (a numeric address or a host name,
// which the poll resolves within its timeout) and port, or a unix socket
// path.

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/base/result.hpp"

namespace mwx {

struct Endpoint {
  enum class Kind { Tcp, Unix };
  Kind kind = Kind::Tcp;
  std::string address;  // numeric IPv4 or IPv6, or a host name (Tcp)
  std::uint16_t port = 0;
  std::string path;     // (Unix)
};

// Accepts "HOST:PORT", "HOST" (default port), "[IPV6]:PORT", "[IPV6]",
// "/path/to.sock" and "unix:/path/to.sock"; HOST is a numeric address or a
// host name ("localhost", "cache01").
Result<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port);

}  // namespace mwx
