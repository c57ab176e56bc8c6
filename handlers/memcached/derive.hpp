#pragma once
// Values computed from a poll and the one before it. Pure: no clock, no I/O.

#include <optional>

#include "handlers/memcached/sample.hpp"

namespace mwx::memcached {

// True when `current` cannot be compared with `previous`: another pid, a
// smaller uptime, or any counter that went down ('stats reset').
bool is_discontinuity(const GeneralStats& previous, const GeneralStats& current);

// What 'stats items' says of one slab class's evictions over a poll
// interval: the age (seconds since its last access, memcached's
// evicted_time) of the last item evicted in the interval, absent when the
// class evicted nothing in it.
struct EvictionReading {
  std::uint32_t slab_class = 0;
  std::optional<std::uint64_t> evicted_item_age;
};

// Per slab class that reports evictions in both of two comparable polls
// (both sorted by class id).
std::vector<EvictionReading> evictions_since(const std::vector<SlabClass>& previous,
                                             const std::vector<SlabClass>& current);

// `previous` is the last successful poll's stats if comparable, else nullptr.
Derived derive(const GeneralStats& current, const Settings& settings, const std::vector<SlabClass>& slabs,
               const GeneralStats* previous);

}  // namespace mwx::memcached
