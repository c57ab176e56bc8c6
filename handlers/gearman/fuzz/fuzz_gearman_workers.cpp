// gearmand's 'workers' and 'version' replies.
#include <cstdint>
#include <string_view>

#include "handlers/gearman/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view reply(reinterpret_cast<const char*>(data), size);
  auto workers = mwx::gearman::parse_workers(reply);
  if (workers.ok() && workers.value() > size) __builtin_trap();  // at most one per line
  (void)mwx::gearman::parse_version(reply);
  return 0;
}
