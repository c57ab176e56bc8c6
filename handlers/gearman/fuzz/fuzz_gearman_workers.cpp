// gearmand's 'workers', 'version' and 'getpid' replies.
#include <cstdint>
#include <string_view>

#include "handlers/gearman/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  auto workers = mwx::gearman::parse_workers(reply);
  if (workers.ok()) {
    const auto& connections = workers.value();
    if (connections.total > size || connections.workers > connections.total) __builtin_trap();  // one per line
    for (const auto& [name, count] : connections.registered) {
      if (name.empty() || count > connections.workers) __builtin_trap();
    }
  }
  (void)mwx::gearman::parse_version(reply);
  (void)mwx::gearman::parse_pid(reply);
  return 0;
}
