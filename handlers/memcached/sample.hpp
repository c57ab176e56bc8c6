#pragma once
// What one poll of a memcached (or a Flare node, which answers 'stats' the
// same way) yields, typed. A stat the server does not report is nullopt:
// absent, never zero.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/base/optional_fields.hpp"

namespace mwx::memcached {

// The numeric stats of 'stats' that mwagentx serves.
enum class Stat : std::uint8_t {
  pid, uptime, curr_connections, total_connections, connection_structures, rejected_connections,
  listen_disabled_num, curr_items, total_items, bytes, limit_maxbytes, cmd_get, cmd_set, cmd_flush,
  get_hits, get_misses, get_expired, delete_hits, delete_misses, incr_hits, incr_misses, decr_hits,
  decr_misses, evictions, reclaimed, expired_unfetched, evicted_unfetched, bytes_read, bytes_written,
  threads, rusage_user, rusage_system,  // the two rusage stats in microseconds
  // What memcached 1.5 and 1.6 added: memory, commands, the hash table,
  // the slab rebalancer, the segmented LRU and its crawler, logging.
  response_obj_oom,
  response_obj_count,
  response_obj_bytes,
  read_buf_count,
  read_buf_bytes,
  read_buf_bytes_free,
  read_buf_oom,
  reserved_fds,
  cmd_touch,
  cmd_meta,
  get_flushed,
  cas_misses,
  cas_hits,
  cas_badval,
  touch_hits,
  touch_misses,
  store_too_large,
  store_no_memory,
  auth_cmds,
  auth_errors,
  accepting_conns,
  time_in_listen_disabled_us,
  conn_yields,
  hash_power_level,
  hash_bytes,
  hash_is_expanding,
  slab_reassign_rescues,
  slab_reassign_chunk_rescues,
  slab_reassign_evictions_nomem,
  slab_reassign_inline_reclaim,
  slab_reassign_busy_items,
  slab_reassign_busy_deletes,
  slab_reassign_running,
  slabs_moved,
  lru_crawler_running,
  lru_crawler_starts,
  lru_maintainer_juggles,
  malloc_fails,
  log_worker_dropped,
  log_worker_written,
  log_watcher_skipped,
  log_watcher_sent,
  log_watchers,
  unexpected_napi_ids,
  round_robin_fallback,
  slab_global_page_pool,
  evicted_active,
  crawler_reclaimed,
  crawler_items_checked,
  lrutail_reflocked,
  moves_to_cold,
  moves_to_warm,
  moves_within_lru,
  direct_reclaims,
  lru_bumps_dropped,
  pointer_size,
  // Extstore's, reported only by a memcached started with ext_path.
  get_extstore,
  get_aborted_extstore,
  get_oom_extstore,
  recache_from_extstore,
  miss_from_extstore,
  badcrc_from_extstore,
  extstore_compact_lost,
  extstore_compact_rescues,
  extstore_compact_skipped,
  extstore_page_allocs,
  extstore_page_evictions,
  extstore_page_reclaims,
  extstore_pages_free,
  extstore_pages_used,
  extstore_objects_evicted,
  extstore_objects_read,
  extstore_objects_written,
  extstore_objects_used,
  extstore_bytes_evicted,
  extstore_bytes_written,
  extstore_bytes_read,
  extstore_bytes_used,
  extstore_bytes_fragmented,
  extstore_limit_maxbytes,
  extstore_io_queue,
  count
};
inline constexpr std::size_t kStatCount = static_cast<std::size_t>(Stat::count);

// Ever-increasing from server start (or 'stats reset'); the others are levels or ids.
constexpr bool is_counter(Stat stat) {
  switch (stat) {
    case Stat::pid: case Stat::uptime: case Stat::curr_connections: case Stat::connection_structures:
    case Stat::curr_items: case Stat::bytes: case Stat::limit_maxbytes: case Stat::threads: case Stat::count:
    case Stat::response_obj_count:
    case Stat::response_obj_bytes:
    case Stat::read_buf_count:
    case Stat::read_buf_bytes:
    case Stat::read_buf_bytes_free:
    case Stat::reserved_fds:
    case Stat::accepting_conns:
    case Stat::hash_power_level:
    case Stat::hash_bytes:
    case Stat::hash_is_expanding:
    case Stat::slab_reassign_running:
    case Stat::extstore_pages_free:
    case Stat::extstore_pages_used:
    case Stat::extstore_objects_used:
    case Stat::extstore_bytes_used:
    case Stat::extstore_bytes_fragmented:
    case Stat::extstore_limit_maxbytes:
    case Stat::extstore_io_queue:
    case Stat::lru_crawler_running:
    case Stat::log_watchers:
    case Stat::slab_global_page_pool:
    case Stat::pointer_size:
      return false;
    default:
      return true;
  }
}

struct GeneralStats {
  OptionalNumbers<Stat, kStatCount> numbers;
  std::optional<std::string> version;

  std::optional<std::uint64_t> get(Stat stat) const { return numbers.get(stat); }
  void set(Stat stat, std::uint64_t value) { numbers.set(stat, value); }
};

// The settings of 'stats settings' an operator tunes (the LRU, the crawler,
// the slab rebalancer, extstore) that mwagentx serves as they are.
enum class Tunable : std::uint8_t {
  lru_crawler,
  lru_maintainer_thread,
  lru_segmented,
  temp_lru,
  slab_reassign,
  cas_enabled,
  flush_enabled,
  maxconns_fast,
  slab_automove,
  hot_lru_pct,
  warm_lru_pct,
  lru_crawler_sleep,
  lru_crawler_tocrawl,
  slab_chunk_max,
  chunk_size,
  num_threads,
  idle_timeout,
  temporary_ttl,
  hashpower_init,
  reqs_per_event,
  growth_factor,
  slab_automove_ratio,
  hot_max_factor,
  warm_max_factor,
  ext_item_size,
  ext_wbuf_size,
  ext_max_frag,
  count
};
inline constexpr std::size_t kTunableCount = static_cast<std::size_t>(Tunable::count);

// yes|no (or on|off), a whole number, or text kept as memcached prints it.
enum class TunableKind : std::uint8_t { flag, number, text };
struct TunableSpec {
  std::string_view name;  // as 'stats settings' names it
  TunableKind kind;
};
inline constexpr TunableSpec kTunables[] = {
    {"lru_crawler", TunableKind::flag},
    {"lru_maintainer_thread", TunableKind::flag},
    {"lru_segmented", TunableKind::flag},
    {"temp_lru", TunableKind::flag},
    {"slab_reassign", TunableKind::flag},
    {"cas_enabled", TunableKind::flag},
    {"flush_enabled", TunableKind::flag},
    {"maxconns_fast", TunableKind::flag},
    {"slab_automove", TunableKind::number},
    {"hot_lru_pct", TunableKind::number},
    {"warm_lru_pct", TunableKind::number},
    {"lru_crawler_sleep", TunableKind::number},
    {"lru_crawler_tocrawl", TunableKind::number},
    {"slab_chunk_max", TunableKind::number},
    {"chunk_size", TunableKind::number},
    {"num_threads", TunableKind::number},
    {"idle_timeout", TunableKind::number},
    {"temporary_ttl", TunableKind::number},
    {"hashpower_init", TunableKind::number},
    {"reqs_per_event", TunableKind::number},
    {"growth_factor", TunableKind::text},
    {"slab_automove_ratio", TunableKind::text},
    {"hot_max_factor", TunableKind::text},
    {"warm_max_factor", TunableKind::text},
    {"ext_item_size", TunableKind::number},
    {"ext_wbuf_size", TunableKind::number},
    {"ext_max_frag", TunableKind::text},
};
static_assert(std::size(kTunables) == kTunableCount, "every Tunable has its spec");

// From 'stats settings'; all absent when the server does not know the command.
struct Settings {
  std::optional<std::uint64_t> maxconns;
  std::optional<std::uint64_t> maxbytes;
  std::optional<std::uint64_t> item_size_max;
  std::optional<bool> evictions;
  // Each tunable's text, checked against its kind when parsed.
  OptionalTexts<Tunable, kTunableCount> tunables;

  std::optional<std::string_view> tunable(Tunable t) const { return tunables.get(t); }
};

// The per-class fields of 'stats items' (items:N:FIELD) and 'stats slabs' (N:FIELD).
enum class SlabStat : std::uint8_t {
  chunk_size, items, age, evicted, evicted_nonzero, evicted_time, outofmemory, total_pages, used_chunks, free_chunks,
  // What memcached 1.5 and 1.6 added: the segmented LRU, the crawler, and
  // per-class command counts.
  number_hot,
  number_warm,
  number_cold,
  age_hot,
  age_warm,
  mem_requested,
  tailrepairs,
  reclaimed,
  expired_unfetched,
  evicted_unfetched,
  evicted_active,
  crawler_reclaimed,
  crawler_items_checked,
  lrutail_reflocked,
  moves_to_cold,
  moves_to_warm,
  moves_within_lru,
  direct_reclaims,
  hits_to_hot,
  hits_to_warm,
  hits_to_cold,
  hits_to_temp,
  chunks_per_page,
  total_chunks,
  free_chunks_end,
  get_hits,
  cmd_set,
  delete_hits,
  incr_hits,
  decr_hits,
  cas_hits,
  cas_badval,
  touch_hits,
  count
};
inline constexpr std::size_t kSlabStatCount = static_cast<std::size_t>(SlabStat::count);

struct SlabClass {
  std::uint32_t id = 0;
  OptionalNumbers<SlabStat, kSlabStatCount> numbers;

  std::optional<std::uint64_t> get(SlabStat stat) const { return numbers.get(stat); }
  void set(SlabStat stat, std::uint64_t value) { numbers.set(stat, value); }
};

// The lines of 'stats slabs' that are about no one class.
struct SlabTotals {
  std::optional<std::uint64_t> active_slabs;    // classes with at least one page
  std::optional<std::uint64_t> total_malloced;  // bytes of pages given to slab classes
};

// Values computed from this poll and the one before (derive.hpp).
struct Derived {
  std::optional<std::uint32_t> connection_usage;  // hundredths of a percent
  std::optional<std::uint32_t> hit_ratio;         // hundredths of a percent
  std::optional<std::uint64_t> oldest_item_age;   // seconds, over every class with items
  // How fast `bytes` grew over the last poll interval (by memcached's own
  // clock), and how long until it reaches limit_maxbytes at that rate:
  // kNeverFull when it did not grow.
  std::optional<std::int64_t> fill_rate;          // bytes per second
  std::optional<std::uint64_t> time_until_full;   // seconds
};
inline constexpr std::uint64_t kNeverFull = 4294967295;  // the largest Unsigned32

// 'stats conns' (one block of lines per connection), counted: never a row
// per connection.
struct ConnectionCounts {
  std::uint64_t listening = 0;  // the server's own listening sockets
  // Client connections by memcached's state (conn_new_cmd ...): nread
  // counts conn_nread and conn_swallow (a command's data), writing
  // conn_write and conn_mwrite, closing conn_closing and conn_closed.
  std::uint64_t new_cmd = 0, waiting = 0, read = 0, parse_cmd = 0, nread = 0, writing = 0, closing = 0, other = 0;
  std::optional<std::uint64_t> longest_idle;  // seconds since a client's last command, the most of any
  std::map<std::string, std::uint64_t> by_listener;  // client connections per listen_addr
};

struct Sample {
  GeneralStats stats;
  Settings settings;
  std::vector<SlabClass> slabs;  // sorted by id
  SlabTotals slab_totals;
  Derived derived;
  std::optional<ConnectionCounts> connections;  // with conns=on
  std::chrono::system_clock::time_point discontinuity_time;
};

}  // namespace mwx::memcached
