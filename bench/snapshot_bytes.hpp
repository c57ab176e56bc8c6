#pragma once
// What a snapshot's values took before keys were front-coded: a 32-byte
// entry, every arc of its OID at 8 bytes, its text. The benchmarks print it
// beside Snapshot::bytes() for the same values.
#include <chrono>
#include <cstddef>

#include "agent/snapshot/snapshot.hpp"

namespace mwx::bench {

inline std::size_t previous_layout_bytes(const Snapshot& snapshot) {
  constexpr std::size_t kEntry = 32;
  const auto now = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  for (Snapshot::Cursor at(snapshot); !at.done(); at.advance()) {
    bytes += kEntry + at.oid().size() * sizeof(OidArc) + Snapshot::value_of(at.entry(), now).text.size();
  }
  return bytes;
}

}  // namespace mwx::bench
