#pragma once
// Values computed from a poll and the one before it. Pure: no clock, no I/O.

#include <optional>

#include "handlers/memcached/sample.hpp"

namespace mwx::memcached {

// True when `current` cannot be compared with `previous`: another pid, a
// smaller uptime, or any counter that went down ('stats reset').
bool is_discontinuity(const GeneralStats& previous, const GeneralStats& current);

// `previous` is the last successful poll's stats if comparable, else nullptr.
Derived derive(const GeneralStats& current, const Settings& settings, const std::vector<SlabClass>& slabs,
               const GeneralStats* previous);

}  // namespace mwx::memcached
