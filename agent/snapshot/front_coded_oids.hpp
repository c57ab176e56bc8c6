#pragma once
// Sorted OIDs stored as a byte stream, each key after the one before it:
// the number of leading arcs it shares with the previous key, the number of
// arcs that follow, then those arcs as base-128 varints (BER's encoding of a
// sub-identifier, low group first). Consecutive values of a table share all
// but the last arcs of their index, so a key takes a few bytes where its
// arcs took 8 each. A restart key shares nothing and decodes on its own.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "agent/base/oid.hpp"

namespace mwx {

// RFC 2578: an OID has at most 128 sub-identifiers (net-snmp's MAX_OID_LEN).
constexpr std::size_t kMaxOidArcs = 128;

// A decoded key, on the stack: lookups allocate nothing.
struct OidBuffer {
  std::array<OidArc, kMaxOidArcs> arcs;
  std::size_t length = 0;

  OidView view() const { return {arcs.data(), length}; }
  // Copies only the arcs in use: a whole buffer is a kilobyte.
  void assign(OidView oid) {
    std::copy(oid.begin(), oid.end(), arcs.begin());
    length = oid.size();
  }
};

using KeyBytes = std::vector<std::uint8_t>;

// Appends `oid` (at most kMaxOidArcs arcs) coded against `previous`; an
// empty `previous` makes a restart key.
void append_front_coded(KeyBytes& keys, OidView previous, OidView oid);
// The same, where the caller knows how many leading arcs they share.
void append_front_coded(KeyBytes& keys, std::size_t shared, OidView oid);

// How many leading arcs two OIDs share.
std::size_t shared_prefix(OidView a, OidView b);

// The number of arcs of the key at `at`.
inline std::size_t front_coded_length(const KeyBytes& keys, std::size_t at) { return keys[at] + keys[at + 1]; }

// Decodes the key at `at` onto `arcs`, which hold the key before it (or
// anything, at a restart key) and have room for front_coded_length() arcs;
// returns the offset of the next key.
inline std::size_t decode_front_coded(const KeyBytes& keys, std::size_t at, OidArc* arcs) {
  const std::uint8_t* p = keys.data() + at;
  const std::size_t shared = *p++;
  const std::size_t suffix = *p++;
  for (std::size_t i = shared; i < shared + suffix; ++i) {
    OidArc arc = *p & 0x7f;
    for (unsigned shift = 7; *p++ & 0x80; shift += 7) arc |= static_cast<OidArc>(*p & 0x7f) << shift;
    arcs[i] = arc;
  }
  return static_cast<std::size_t>(p - keys.data());
}

inline std::size_t decode_front_coded(const KeyBytes& keys, std::size_t at, OidBuffer& oid) {
  oid.length = front_coded_length(keys, at);
  return decode_front_coded(keys, at, oid.arcs.data());
}

inline std::size_t decode_front_coded(const KeyBytes& keys, std::size_t at, Oid& oid) {
  oid.resize(front_coded_length(keys, at));
  return decode_front_coded(keys, at, oid.data());
}

}  // namespace mwx
