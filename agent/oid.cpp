#include "agent/oid.hpp"

#include <algorithm>

namespace mwx {

int compare_oids(OidView a, OidView b) noexcept {
  const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (ia != a.end() && ib != b.end()) return *ia < *ib ? -1 : 1;
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

}  // namespace mwx
