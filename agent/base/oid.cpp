#include "agent/base/oid.hpp"

#include <algorithm>

namespace mwx {

// A plain loop over raw pointers: this runs a dozen times per SNMP request
// and per snapshot entry sorted, and compiles tighter than std::mismatch.
int compare_oids(OidView a, OidView b) noexcept {
  const std::size_t common = std::min(a.size(), b.size());
  const OidArc* pa = a.data();
  const OidArc* pb = b.data();
  for (std::size_t i = 0; i < common; ++i) {
    if (pa[i] != pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

void append_string_index(Oid& oid, std::string_view text) {
  oid.push_back(text.size());
  for (unsigned char c : text) oid.push_back(c);
}

Oid concat(OidView prefix, std::initializer_list<OidArc> tail) {
  Oid out(prefix.begin(), prefix.end());
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

std::string format_oid(OidView oid) {
  std::string out;
  for (OidArc arc : oid) {
    out += '.';
    out += std::to_string(arc);
  }
  return out;
}

bool is_printable_index(std::string_view text, std::size_t max_length) {
  return !text.empty() && text.size() <= max_length &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

}  // namespace mwx
