// memcached's 'stats' reply, through the parser and the derived values.
#include <cstdint>
#include <string_view>

#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  auto stats = mwx::memcached::parse_stats(reply);
  if (stats.ok()) {
    // Compare the reply with itself and with an empty poll: no overflow, no trap.
    const mwx::memcached::GeneralStats empty;
    mwx::memcached::derive(stats.value(), {}, {}, &stats.value());
    if (!mwx::memcached::is_discontinuity(empty, stats.value())) {
      mwx::memcached::derive(stats.value(), {}, {}, &empty);
    }
  }
  return 0;
}
