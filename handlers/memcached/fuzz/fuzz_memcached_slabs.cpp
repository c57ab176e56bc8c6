// memcached's 'stats items' and 'stats slabs' replies: the input is split
// at its first NUL byte into the two replies.
#include <cstdint>
#include <string_view>

#include "handlers/memcached/derive.hpp"
#include "handlers/memcached/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string_view items = input.substr(0, nul);
  const std::string_view slabs = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);
  auto classes = mwx::memcached::parse_items_and_slabs(items, slabs);
  if (classes.ok()) {
    for (std::size_t i = 1; i < classes.value().size(); ++i) {
      if (classes.value()[i - 1].id >= classes.value()[i].id) __builtin_trap();  // sorted, unique
    }
    mwx::memcached::derive({}, {}, classes.value(), nullptr);
  }
  // The totals of the same reply: a value only from a line that names it.
  const auto totals = mwx::memcached::parse_slab_totals(slabs);
  if (totals.ok() && totals.value().active_slabs && slabs.find("active_slabs") == std::string_view::npos) {
    __builtin_trap();
  }
  return 0;
}
