#include "agent/snapshot/front_coded_oids.hpp"

#include <algorithm>

namespace mwx {

std::size_t shared_prefix(OidView a, OidView b) {
  const std::size_t limit = std::min(a.size(), b.size());
  std::size_t shared = 0;
  while (shared < limit && a[shared] == b[shared]) ++shared;
  return shared;
}

void append_front_coded(KeyBytes& keys, std::size_t shared, OidView oid) {
  // Coded on the stack, then appended at once: a push_back per byte costs
  // more than the coding.
  std::uint8_t coded[2 + kMaxOidArcs * 10];
  std::uint8_t* out = coded;
  *out++ = static_cast<std::uint8_t>(shared);
  *out++ = static_cast<std::uint8_t>(oid.size() - shared);
  for (std::size_t i = shared; i < oid.size(); ++i) {
    OidArc arc = oid[i];
    while (arc >= 0x80) {
      *out++ = static_cast<std::uint8_t>(arc | 0x80);
      arc >>= 7;
    }
    *out++ = static_cast<std::uint8_t>(arc);
  }
  keys.insert(keys.end(), coded, out);
}

void append_front_coded(KeyBytes& keys, OidView previous, OidView oid) {
  append_front_coded(keys, shared_prefix(previous, oid), oid);
}

}  // namespace mwx
