#include "handlers/memcached/derive.hpp"

#include <algorithm>
#include <cmath>

namespace mwx::memcached {
namespace {

constexpr std::uint64_t kWhole = 10000;  // 100.00% in hundredths of a percent

// part / whole in hundredths of a percent, rounded; long double keeps the
// 64-bit counters exact where part * 10000 would overflow.
std::uint32_t ratio(std::uint64_t part, std::uint64_t whole) {
  const long double scaled = std::round(static_cast<long double>(part) * kWhole / whole);
  return static_cast<std::uint32_t>(std::min<long double>(scaled, kWhole));
}

}  // namespace

bool is_discontinuity(const GeneralStats& previous, const GeneralStats& current) {
  if (previous.get(Stat::pid) != current.get(Stat::pid)) return true;
  const auto before = previous.get(Stat::uptime), now = current.get(Stat::uptime);
  if (before && now && *now < *before) return true;
  for (std::size_t i = 0; i < kStatCount; ++i) {
    const auto stat = static_cast<Stat>(i);
    const auto a = previous.get(stat), b = current.get(stat);
    if (is_counter(stat) && a && b && *b < *a) return true;
  }
  return false;
}

namespace {

// The fill rate and time until full, from two comparable polls at least
// a second apart by memcached's uptime.
void fill(const GeneralStats& current, const GeneralStats& previous, Derived& out) {
  const auto bytes = current.get(Stat::bytes), bytes_before = previous.get(Stat::bytes);
  const auto uptime = current.get(Stat::uptime), uptime_before = previous.get(Stat::uptime);
  const auto limit = current.get(Stat::limit_maxbytes);
  if (!bytes || !bytes_before || !uptime || !uptime_before || !limit || *uptime <= *uptime_before) return;
  const auto seconds = static_cast<std::int64_t>(*uptime - *uptime_before);
  const std::int64_t rate = (static_cast<std::int64_t>(*bytes) - static_cast<std::int64_t>(*bytes_before)) / seconds;
  out.fill_rate = rate;
  if (rate <= 0) {
    out.time_until_full = kNeverFull;
  } else {
    out.time_until_full = *bytes >= *limit ? 0 : std::min((*limit - *bytes) / static_cast<std::uint64_t>(rate), kNeverFull - 1);
  }
}

}  // namespace

Derived derive(const GeneralStats& current, const Settings& settings, const std::vector<SlabClass>& slabs,
               const GeneralStats* previous) {
  Derived out;
  const auto connections = current.get(Stat::curr_connections);
  if (connections && settings.maxconns && *settings.maxconns > 0) {
    out.connection_usage = ratio(std::min(*connections, *settings.maxconns), *settings.maxconns);
  }
  if (previous) {
    const auto hits = current.get(Stat::get_hits), misses = current.get(Stat::get_misses);
    const auto hits_before = previous->get(Stat::get_hits), misses_before = previous->get(Stat::get_misses);
    if (hits && misses && hits_before && misses_before) {
      const std::uint64_t new_hits = *hits - *hits_before, new_misses = *misses - *misses_before;
      // No gets in the interval: nothing missed, so 100%.
      out.hit_ratio = new_hits + new_misses == 0 ? kWhole : ratio(new_hits, new_hits + new_misses);
    }
  }
  if (previous) fill(current, *previous, out);
  for (const auto& slab : slabs) {
    const auto items = slab.get(SlabStat::items), age = slab.get(SlabStat::age);
    if (items && age && *items > 0) out.oldest_item_age = std::min(out.oldest_item_age.value_or(*age), *age);
  }
  return out;
}

std::vector<EvictionReading> evictions_since(const std::vector<SlabClass>& previous,
                                             const std::vector<SlabClass>& current) {
  std::vector<EvictionReading> out;
  auto before = previous.begin();
  for (const auto& slab : current) {
    while (before != previous.end() && before->id < slab.id) ++before;
    // A class absent from the last poll (memcached lists only classes with
    // items) may carry evictions, and an evicted_time, from long before:
    // no reading until it can be compared.
    if (before == previous.end() || before->id != slab.id) continue;
    const auto evicted = slab.get(SlabStat::evicted), evicted_before = before->get(SlabStat::evicted);
    if (!evicted || !evicted_before) continue;
    EvictionReading reading{slab.id, std::nullopt};
    if (*evicted > *evicted_before) reading.evicted_item_age = slab.get(SlabStat::evicted_time);
    out.push_back(reading);
  }
  return out;
}

}  // namespace mwx::memcached
