// memcached's 'stats settings' reply.
#include <cstdint>
#include <string_view>

#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  auto settings = mwx::memcached::parse_settings(reply);
  if (settings.ok()) {
    mwx::memcached::GeneralStats stats;
    stats.set(mwx::memcached::Stat::curr_connections, size);
    const auto derived = mwx::memcached::derive(stats, settings.value(), {}, nullptr);
    if (derived.connection_usage && *derived.connection_usage > 10000) __builtin_trap();
  }
  return 0;
}
