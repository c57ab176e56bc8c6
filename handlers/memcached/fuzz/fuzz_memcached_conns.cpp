// memcached's 'stats conns' reply, counted: every client connection lands
// in exactly one state, and in at most one listener.
#include <cstdint>
#include <string_view>

#include "handlers/memcached/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  const auto counts = mwx::memcached::parse_conns(reply);
  if (!counts.ok()) return 0;
  const auto& c = counts.value();
  const std::uint64_t clients =
      c.new_cmd + c.waiting + c.read + c.parse_cmd + c.nread + c.writing + c.closing + c.other;
  std::uint64_t listened = 0;
  for (const auto& [address, n] : c.by_listener) listened += n;
  if (listened > clients) __builtin_trap();
  return 0;
}
