// /proc/net/ip_vs and /proc/net/ip_vs_stats, through the parsers and the
// rows (after the sorting and de-duplication the collector applies).
#include <cstdint>
#include <optional>
#include <string_view>

#include "handlers/lvs/mib.hpp"
#include "handlers/lvs/procfs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mwx::lvs::parse_ip_vs_stats(text);
  (void)mwx::lvs::parse_sysctl_value(text);
  // Without the kernel's HZ (timeouts absent) and with Debian's.
  (void)mwx::lvs::parse_ip_vs(text, std::nullopt);
  auto table = mwx::lvs::parse_ip_vs(text, 250);
  if (!table.ok()) return 0;
  mwx::lvs::Sample sample;
  sample.services = std::move(table.value().services);
  for (const auto& service : sample.services) {
    if (service.protocol != mwx::lvs::Protocol::fwmark && service.address.octets.size() != 4 &&
        service.address.octets.size() != 16) {
      __builtin_trap();  // an address is IPv4 or IPv6
    }
    if (service.persistence_prefix && *service.persistence_prefix > 128) {
      __builtin_trap();  // a netmask's or an IPv6 prefix's length
    }
  }
  return 0;
}
