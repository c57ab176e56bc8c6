#pragma once
// What one poll of a memcached (or a Flare node, which answers 'stats' the
// same way) yields, typed. A stat the server does not report is nullopt:
// absent, never zero.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mwx::memcached {

// The numeric stats of 'stats' that mwagentx serves.
enum class Stat : std::uint8_t {
  pid, uptime, curr_connections, total_connections, connection_structures, rejected_connections,
  listen_disabled_num, curr_items, total_items, bytes, limit_maxbytes, cmd_get, cmd_set, cmd_flush,
  get_hits, get_misses, get_expired, delete_hits, delete_misses, incr_hits, incr_misses, decr_hits,
  decr_misses, evictions, reclaimed, expired_unfetched, evicted_unfetched, bytes_read, bytes_written,
  threads, rusage_user, rusage_system,  // the two rusage stats in microseconds
  count
};
inline constexpr std::size_t kStatCount = static_cast<std::size_t>(Stat::count);

// Ever-increasing from server start (or 'stats reset'); the others are levels or ids.
constexpr bool is_counter(Stat stat) {
  switch (stat) {
    case Stat::pid: case Stat::uptime: case Stat::curr_connections: case Stat::connection_structures:
    case Stat::curr_items: case Stat::bytes: case Stat::limit_maxbytes: case Stat::threads: case Stat::count:
      return false;
    default:
      return true;
  }
}

struct GeneralStats {
  std::array<std::optional<std::uint64_t>, kStatCount> values{};
  std::optional<std::string> version;

  std::optional<std::uint64_t> get(Stat stat) const { return values[static_cast<std::size_t>(stat)]; }
  std::optional<std::uint64_t>& at(Stat stat) { return values[static_cast<std::size_t>(stat)]; }
};

// From 'stats settings'; all absent when the server does not know the command.
struct Settings {
  std::optional<std::uint64_t> maxconns;
  std::optional<std::uint64_t> maxbytes;
  std::optional<std::uint64_t> item_size_max;
  std::optional<bool> evictions;
};

// The per-class fields of 'stats items' (items:N:FIELD) and 'stats slabs' (N:FIELD).
enum class SlabStat : std::uint8_t {
  chunk_size, items, age, evicted, evicted_nonzero, evicted_time, outofmemory, total_pages, used_chunks, free_chunks,
  count
};
inline constexpr std::size_t kSlabStatCount = static_cast<std::size_t>(SlabStat::count);

struct SlabClass {
  std::uint32_t id = 0;
  std::array<std::optional<std::uint64_t>, kSlabStatCount> values{};

  std::optional<std::uint64_t> get(SlabStat stat) const { return values[static_cast<std::size_t>(stat)]; }
  std::optional<std::uint64_t>& at(SlabStat stat) { return values[static_cast<std::size_t>(stat)]; }
};

// Values computed from this poll and the one before (derive.hpp).
struct Derived {
  std::optional<std::uint32_t> connection_usage;  // hundredths of a percent
  std::optional<std::uint32_t> hit_ratio;         // hundredths of a percent
  std::optional<std::uint64_t> oldest_item_age;   // seconds, over every class with items
};

struct Sample {
  GeneralStats stats;
  Settings settings;
  std::vector<SlabClass> slabs;  // sorted by id
  Derived derived;
  std::chrono::system_clock::time_point discontinuity_time;
};

}  // namespace mwx::memcached
