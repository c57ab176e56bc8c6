// A Flare node's 'stats threads' reply (the replication lag) and its
// 'stats', as one input split at the first NUL.
#include <cstdint>
#include <string>
#include <string_view>

#include "handlers/flare/node_poll.hpp"
#include "handlers/flare/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string threads(input.substr(0, nul));
  const std::string stats(nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1));
  (void)mwx::flare::parse_replication_lag(threads);
  (void)mwx::flare::parse_index_stats(threads);
  (void)mwx::flare::build_node_stats(stats, threads);
  return 0;
}
