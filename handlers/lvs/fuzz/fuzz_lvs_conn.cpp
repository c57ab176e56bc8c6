// /proc/net/ip_vs_conn's connection counter: any bytes, fed whole and in
// chunks cut where the first byte says; both must count the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "handlers/lvs/conn_states.hpp"

namespace {

mwx::Result<mwx::lvs::ConnTable> count(std::string_view text, std::size_t chunk, std::uint64_t limit) {
  mwx::lvs::ConnCounter counter(limit);
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    if (!counter.feed(text.substr(at, chunk))) break;
  }
  return counter.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const std::uint64_t limit = 1 + data[1] % 32;
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  const auto whole = count(text, text.size() + 1, limit);
  const auto chunked = count(text, chunk, limit);
  if (whole.ok() != chunked.ok()) std::abort();
  if (!whole.ok()) return 0;
  if (whole.value().entries != chunked.value().entries || whole.value().end != chunked.value().end ||
      whole.value().entries > limit) {
    std::abort();
  }
  std::uint64_t in_services = 0;
  for (const auto& [key, counts] : whole.value().services) {
    std::uint64_t by_state = 0;
    for (auto n : counts.by_state) by_state += n;
    if (by_state != counts.entries) std::abort();
    in_services += counts.entries;
  }
  if (in_services > whole.value().entries) std::abort();
  return 0;
}
