// The configuration file: parse_config and every subsystem's instance
// builder, exactly as --check and SIGHUP run them.
#include <cstdint>
#include <string_view>

#include "agent/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = mwx::configuration_from_text(text, "fuzz.conf");
  if (!result.ok() && result.error().empty()) __builtin_trap();  // a rejection always says why
  return 0;
}
