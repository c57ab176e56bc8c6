#pragma once
// When the counters of each LVS row last started over. Pure: compares a
// sample with the one before it.

#include <chrono>

#include "handlers/lvs/sample.hpp"

namespace mwx::lvs {

// Sets the discontinuity times of `current` (services, real servers and the
// totals): kept from `previous` where the row was there before and no
// counter went down, `now` otherwise (a new row, a service re-created under
// the same key, 'ipvsadm -Z', a 32-bit counter that wrapped). Both samples
// are sorted by key (collect_ipvs); `previous` is null for the first one.
void mark_discontinuities(Sample& current, const Sample* previous, std::chrono::system_clock::time_point now);

}  // namespace mwx::lvs
