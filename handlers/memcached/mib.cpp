#include "handlers/memcached/mib.hpp"

#include <map>

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx::memcached {
namespace {

constexpr OidArc kMwxMemcached = 2;  // mwxObjects.2

// mwxMemcachedEntry beyond the columns every instance table has, and
// beyond its `stats` fields (kStatColumns).
// A count of 'stats conns', absent unless the instance asks it (conns=on).
CellValue connections(const Sample& sample, std::uint64_t ConnectionCounts::*count) {
  if (!sample.connections) return {};
  return (*sample.connections).*count;
}

constexpr Cell<Sample> kInstanceCells[] = {
    {{6, "mwxMemcachedDiscontinuityTime", SnmpType::OctetString, kDateAndTime}, [](const Sample& s) -> CellValue { return s.discontinuity_time; }},
    {{9, "mwxMemcachedVersion", SnmpType::OctetString},
     [](const Sample& s) -> CellValue { return s.stats.version ? CellValue(display_string(*s.stats.version, 64)) : CellValue(); }},
    {{40, "mwxMemcachedMaxconns", SnmpType::Unsigned32}, [](const Sample& s) -> CellValue { return s.settings.maxconns; }},
    {{41, "mwxMemcachedMaxbytes", SnmpType::Counter64, kGauge64, "bytes"}, [](const Sample& s) -> CellValue { return s.settings.maxbytes; }},
    {{42, "mwxMemcachedItemSizeMax", SnmpType::Unsigned32, {}, "bytes"}, [](const Sample& s) -> CellValue { return s.settings.item_size_max; }},
    {{43, "mwxMemcachedEvictionsEnabled", SnmpType::Integer, {kTruthValueLabels}},
     [](const Sample& s) -> CellValue {
       if (!s.settings.evictions) return {};
       return truth_value(*s.settings.evictions);
     }},
    {{44, "mwxMemcachedConnectionUsage", SnmpType::Gauge32, kHundredthsPercent},
     [](const Sample& s) -> CellValue { return s.derived.connection_usage; }},
    {{45, "mwxMemcachedHitRatio", SnmpType::Gauge32, kHundredthsPercent}, [](const Sample& s) -> CellValue { return s.derived.hit_ratio; }},
    {{46, "mwxMemcachedOldestItemAge", SnmpType::Unsigned32, {}, "seconds"}, [](const Sample& s) -> CellValue { return s.derived.oldest_item_age; }},
    {{164, "mwxMemcachedFillRate", SnmpType::Integer, {}, "bytes per second"}, [](const Sample& s) -> CellValue { return s.derived.fill_rate; }},
    {{165, "mwxMemcachedTimeUntilFull", SnmpType::Unsigned32, {}, "seconds"}, [](const Sample& s) -> CellValue { return s.derived.time_until_full; }},
    {{166, "mwxMemcachedConnsListening", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::listening); }},
    {{167, "mwxMemcachedConnsNewCmd", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::new_cmd); }},
    {{168, "mwxMemcachedConnsWaiting", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::waiting); }},
    {{169, "mwxMemcachedConnsRead", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::read); }},
    {{170, "mwxMemcachedConnsParseCmd", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::parse_cmd); }},
    {{171, "mwxMemcachedConnsNread", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::nread); }},
    {{172, "mwxMemcachedConnsWriting", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::writing); }},
    {{173, "mwxMemcachedConnsClosing", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::closing); }},
    {{174, "mwxMemcachedConnsOtherStates", SnmpType::Gauge32}, [](const Sample& s) { return connections(s, &ConnectionCounts::other); }},
    {{175, "mwxMemcachedConnsLongestIdle", SnmpType::Unsigned32, {}, "seconds"},
     [](const Sample& s) -> CellValue { return s.connections ? CellValue(s.connections->longest_idle) : CellValue(); }},
    {{47, "mwxMemcachedDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"}, [](const Sample& s) -> CellValue { return s.discontinuity_time; }},
    {{110, "mwxMemcachedActiveSlabs", SnmpType::Gauge32}, [](const Sample& s) -> CellValue { return s.slab_totals.active_slabs; }},
    {{111, "mwxMemcachedTotalMalloced", SnmpType::Counter64, kGauge64, "bytes"},
     [](const Sample& s) -> CellValue { return s.slab_totals.total_malloced; }},
};

// One MIB column fed by one backend field.
template <class Field>
struct FieldColumn {
  Field field;
  Column column;
};

constexpr FieldColumn<Stat> kStatColumns[] = {
    {Stat::pid, {7, "mwxMemcachedPid", SnmpType::Unsigned32}},
    {Stat::uptime, {8, "mwxMemcachedUptime", SnmpType::Unsigned32, {}, "seconds"}},
    {Stat::curr_connections, {10, "mwxMemcachedCurrConnections", SnmpType::Gauge32}},
    {Stat::total_connections, {11, "mwxMemcachedTotalConnections", SnmpType::Counter64}},
    {Stat::connection_structures, {12, "mwxMemcachedConnectionStructures", SnmpType::Gauge32}},
    {Stat::rejected_connections, {13, "mwxMemcachedRejectedConnections", SnmpType::Counter64}},
    {Stat::listen_disabled_num, {14, "mwxMemcachedListenDisabledNum", SnmpType::Counter64}},
    {Stat::curr_items, {15, "mwxMemcachedCurrItems", SnmpType::Gauge32}},
    {Stat::total_items, {16, "mwxMemcachedTotalItems", SnmpType::Counter64}},
    {Stat::bytes, {17, "mwxMemcachedBytes", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::limit_maxbytes, {18, "mwxMemcachedLimitMaxbytes", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::cmd_get, {19, "mwxMemcachedCmdGet", SnmpType::Counter64}},
    {Stat::cmd_set, {20, "mwxMemcachedCmdSet", SnmpType::Counter64}},
    {Stat::cmd_flush, {21, "mwxMemcachedCmdFlush", SnmpType::Counter64}},
    {Stat::get_hits, {22, "mwxMemcachedGetHits", SnmpType::Counter64}},
    {Stat::get_misses, {23, "mwxMemcachedGetMisses", SnmpType::Counter64}},
    {Stat::get_expired, {24, "mwxMemcachedGetExpired", SnmpType::Counter64}},
    {Stat::delete_hits, {25, "mwxMemcachedDeleteHits", SnmpType::Counter64}},
    {Stat::delete_misses, {26, "mwxMemcachedDeleteMisses", SnmpType::Counter64}},
    {Stat::incr_hits, {27, "mwxMemcachedIncrHits", SnmpType::Counter64}},
    {Stat::incr_misses, {28, "mwxMemcachedIncrMisses", SnmpType::Counter64}},
    {Stat::decr_hits, {29, "mwxMemcachedDecrHits", SnmpType::Counter64}},
    {Stat::decr_misses, {30, "mwxMemcachedDecrMisses", SnmpType::Counter64}},
    {Stat::evictions, {31, "mwxMemcachedEvictions", SnmpType::Counter64}},
    {Stat::reclaimed, {32, "mwxMemcachedReclaimed", SnmpType::Counter64}},
    {Stat::expired_unfetched, {33, "mwxMemcachedExpiredUnfetched", SnmpType::Counter64}},
    {Stat::evicted_unfetched, {34, "mwxMemcachedEvictedUnfetched", SnmpType::Counter64}},
    {Stat::bytes_read, {35, "mwxMemcachedBytesRead", SnmpType::Counter64, {}, "bytes"}},
    {Stat::bytes_written, {36, "mwxMemcachedBytesWritten", SnmpType::Counter64, {}, "bytes"}},
    {Stat::threads, {37, "mwxMemcachedThreads", SnmpType::Gauge32}},
    {Stat::rusage_user, {38, "mwxMemcachedRusageUser", SnmpType::Counter64, {}, "microseconds"}},
    {Stat::rusage_system, {39, "mwxMemcachedRusageSystem", SnmpType::Counter64, {}, "microseconds"}},
    {Stat::response_obj_oom, {48, "mwxMemcachedResponseObjOom", SnmpType::Counter64}},
    {Stat::response_obj_count, {49, "mwxMemcachedResponseObjCount", SnmpType::Gauge32}},
    {Stat::response_obj_bytes, {50, "mwxMemcachedResponseObjBytes", SnmpType::Gauge32, {}, "bytes"}},
    {Stat::read_buf_count, {51, "mwxMemcachedReadBufCount", SnmpType::Gauge32}},
    {Stat::read_buf_bytes, {52, "mwxMemcachedReadBufBytes", SnmpType::Gauge32, {}, "bytes"}},
    {Stat::read_buf_bytes_free, {53, "mwxMemcachedReadBufBytesFree", SnmpType::Gauge32, {}, "bytes"}},
    {Stat::read_buf_oom, {54, "mwxMemcachedReadBufOom", SnmpType::Counter64}},
    {Stat::reserved_fds, {55, "mwxMemcachedReservedFds", SnmpType::Gauge32}},
    {Stat::cmd_touch, {56, "mwxMemcachedCmdTouch", SnmpType::Counter64}},
    {Stat::cmd_meta, {57, "mwxMemcachedCmdMeta", SnmpType::Counter64}},
    {Stat::get_flushed, {58, "mwxMemcachedGetFlushed", SnmpType::Counter64}},
    {Stat::cas_misses, {59, "mwxMemcachedCasMisses", SnmpType::Counter64}},
    {Stat::cas_hits, {60, "mwxMemcachedCasHits", SnmpType::Counter64}},
    {Stat::cas_badval, {61, "mwxMemcachedCasBadval", SnmpType::Counter64}},
    {Stat::touch_hits, {62, "mwxMemcachedTouchHits", SnmpType::Counter64}},
    {Stat::touch_misses, {63, "mwxMemcachedTouchMisses", SnmpType::Counter64}},
    {Stat::store_too_large, {64, "mwxMemcachedStoreTooLarge", SnmpType::Counter64}},
    {Stat::store_no_memory, {65, "mwxMemcachedStoreNoMemory", SnmpType::Counter64}},
    {Stat::auth_cmds, {66, "mwxMemcachedAuthCmds", SnmpType::Counter64}},
    {Stat::auth_errors, {67, "mwxMemcachedAuthErrors", SnmpType::Counter64}},
    {Stat::accepting_conns, {68, "mwxMemcachedAcceptingConns", SnmpType::Unsigned32}},
    {Stat::time_in_listen_disabled_us, {69, "mwxMemcachedTimeInListenDisabledUs", SnmpType::Counter64, {}, "microseconds"}},
    {Stat::conn_yields, {70, "mwxMemcachedConnYields", SnmpType::Counter64}},
    {Stat::hash_power_level, {71, "mwxMemcachedHashPowerLevel", SnmpType::Unsigned32}},
    {Stat::hash_bytes, {72, "mwxMemcachedHashBytes", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::hash_is_expanding, {73, "mwxMemcachedHashIsExpanding", SnmpType::Unsigned32}},
    {Stat::slab_reassign_rescues, {74, "mwxMemcachedSlabReassignRescues", SnmpType::Counter64}},
    {Stat::slab_reassign_chunk_rescues, {75, "mwxMemcachedSlabReassignChunkRescues", SnmpType::Counter64}},
    {Stat::slab_reassign_evictions_nomem, {76, "mwxMemcachedSlabReassignEvictionsNomem", SnmpType::Counter64}},
    {Stat::slab_reassign_inline_reclaim, {77, "mwxMemcachedSlabReassignInlineReclaim", SnmpType::Counter64}},
    {Stat::slab_reassign_busy_items, {78, "mwxMemcachedSlabReassignBusyItems", SnmpType::Counter64}},
    {Stat::slab_reassign_busy_deletes, {79, "mwxMemcachedSlabReassignBusyDeletes", SnmpType::Counter64}},
    {Stat::slab_reassign_running, {80, "mwxMemcachedSlabReassignRunning", SnmpType::Unsigned32}},
    {Stat::slabs_moved, {81, "mwxMemcachedSlabsMoved", SnmpType::Counter64}},
    {Stat::lru_crawler_running, {82, "mwxMemcachedLruCrawlerRunning", SnmpType::Unsigned32}},
    {Stat::lru_crawler_starts, {83, "mwxMemcachedLruCrawlerStarts", SnmpType::Counter64}},
    {Stat::lru_maintainer_juggles, {84, "mwxMemcachedLruMaintainerJuggles", SnmpType::Counter64}},
    {Stat::malloc_fails, {85, "mwxMemcachedMallocFails", SnmpType::Counter64}},
    {Stat::log_worker_dropped, {86, "mwxMemcachedLogWorkerDropped", SnmpType::Counter64}},
    {Stat::log_worker_written, {87, "mwxMemcachedLogWorkerWritten", SnmpType::Counter64}},
    {Stat::log_watcher_skipped, {88, "mwxMemcachedLogWatcherSkipped", SnmpType::Counter64}},
    {Stat::log_watcher_sent, {89, "mwxMemcachedLogWatcherSent", SnmpType::Counter64}},
    {Stat::log_watchers, {90, "mwxMemcachedLogWatchers", SnmpType::Gauge32}},
    {Stat::unexpected_napi_ids, {91, "mwxMemcachedUnexpectedNapiIds", SnmpType::Counter64}},
    {Stat::round_robin_fallback, {92, "mwxMemcachedRoundRobinFallback", SnmpType::Counter64}},
    {Stat::slab_global_page_pool, {93, "mwxMemcachedSlabGlobalPagePool", SnmpType::Gauge32, {}, "pages"}},
    {Stat::evicted_active, {94, "mwxMemcachedEvictedActive", SnmpType::Counter64}},
    {Stat::crawler_reclaimed, {95, "mwxMemcachedCrawlerReclaimed", SnmpType::Counter64}},
    {Stat::crawler_items_checked, {96, "mwxMemcachedCrawlerItemsChecked", SnmpType::Counter64}},
    {Stat::lrutail_reflocked, {97, "mwxMemcachedLrutailReflocked", SnmpType::Counter64}},
    {Stat::moves_to_cold, {98, "mwxMemcachedMovesToCold", SnmpType::Counter64}},
    {Stat::moves_to_warm, {99, "mwxMemcachedMovesToWarm", SnmpType::Counter64}},
    {Stat::moves_within_lru, {106, "mwxMemcachedMovesWithinLru", SnmpType::Counter64}},
    {Stat::direct_reclaims, {107, "mwxMemcachedDirectReclaims", SnmpType::Counter64}},
    {Stat::lru_bumps_dropped, {108, "mwxMemcachedLruBumpsDropped", SnmpType::Counter64}},
    {Stat::pointer_size, {109, "mwxMemcachedPointerSize", SnmpType::Unsigned32, {}, "bits"}},
    {Stat::get_extstore, {139, "mwxMemcachedGetExtstore", SnmpType::Counter64}},
    {Stat::get_aborted_extstore, {140, "mwxMemcachedGetAbortedExtstore", SnmpType::Counter64}},
    {Stat::get_oom_extstore, {141, "mwxMemcachedGetOomExtstore", SnmpType::Counter64}},
    {Stat::recache_from_extstore, {142, "mwxMemcachedRecacheFromExtstore", SnmpType::Counter64}},
    {Stat::miss_from_extstore, {143, "mwxMemcachedMissFromExtstore", SnmpType::Counter64}},
    {Stat::badcrc_from_extstore, {144, "mwxMemcachedBadcrcFromExtstore", SnmpType::Counter64}},
    {Stat::extstore_compact_lost, {145, "mwxMemcachedExtstoreCompactLost", SnmpType::Counter64}},
    {Stat::extstore_compact_rescues, {146, "mwxMemcachedExtstoreCompactRescues", SnmpType::Counter64}},
    {Stat::extstore_compact_skipped, {147, "mwxMemcachedExtstoreCompactSkipped", SnmpType::Counter64}},
    {Stat::extstore_page_allocs, {148, "mwxMemcachedExtstorePageAllocs", SnmpType::Counter64}},
    {Stat::extstore_page_evictions, {149, "mwxMemcachedExtstorePageEvictions", SnmpType::Counter64}},
    {Stat::extstore_page_reclaims, {150, "mwxMemcachedExtstorePageReclaims", SnmpType::Counter64}},
    {Stat::extstore_pages_free, {151, "mwxMemcachedExtstorePagesFree", SnmpType::Gauge32, {}, "pages"}},
    {Stat::extstore_pages_used, {152, "mwxMemcachedExtstorePagesUsed", SnmpType::Gauge32, {}, "pages"}},
    {Stat::extstore_objects_evicted, {153, "mwxMemcachedExtstoreObjectsEvicted", SnmpType::Counter64}},
    {Stat::extstore_objects_read, {154, "mwxMemcachedExtstoreObjectsRead", SnmpType::Counter64}},
    {Stat::extstore_objects_written, {155, "mwxMemcachedExtstoreObjectsWritten", SnmpType::Counter64}},
    {Stat::extstore_objects_used, {156, "mwxMemcachedExtstoreObjectsUsed", SnmpType::Gauge32}},
    {Stat::extstore_bytes_evicted, {157, "mwxMemcachedExtstoreBytesEvicted", SnmpType::Counter64, {}, "bytes"}},
    {Stat::extstore_bytes_written, {158, "mwxMemcachedExtstoreBytesWritten", SnmpType::Counter64, {}, "bytes"}},
    {Stat::extstore_bytes_read, {159, "mwxMemcachedExtstoreBytesRead", SnmpType::Counter64, {}, "bytes"}},
    {Stat::extstore_bytes_used, {160, "mwxMemcachedExtstoreBytesUsed", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::extstore_bytes_fragmented, {161, "mwxMemcachedExtstoreBytesFragmented", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::extstore_limit_maxbytes, {162, "mwxMemcachedExtstoreLimitMaxbytes", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::extstore_io_queue, {163, "mwxMemcachedExtstoreIoQueue", SnmpType::Gauge32}},
};

// The settings an operator tunes, as 'stats settings' says them.
constexpr FieldColumn<Tunable> kTunableColumns[] = {
    {Tunable::lru_crawler, {112, "mwxMemcachedSettingLruCrawler", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::lru_maintainer_thread, {113, "mwxMemcachedSettingLruMaintainerThread", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::lru_segmented, {114, "mwxMemcachedSettingLruSegmented", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::temp_lru, {115, "mwxMemcachedSettingTempLru", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::slab_reassign, {116, "mwxMemcachedSettingSlabReassign", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::cas_enabled, {117, "mwxMemcachedSettingCasEnabled", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::flush_enabled, {118, "mwxMemcachedSettingFlushEnabled", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::maxconns_fast, {119, "mwxMemcachedSettingMaxconnsFast", SnmpType::Integer, {kTruthValueLabels}}},
    {Tunable::slab_automove, {120, "mwxMemcachedSettingSlabAutomove", SnmpType::Unsigned32}},
    {Tunable::hot_lru_pct, {121, "mwxMemcachedSettingHotLruPct", SnmpType::Unsigned32, {}, "percent"}},
    {Tunable::warm_lru_pct, {122, "mwxMemcachedSettingWarmLruPct", SnmpType::Unsigned32, {}, "percent"}},
    {Tunable::lru_crawler_sleep, {123, "mwxMemcachedSettingLruCrawlerSleep", SnmpType::Unsigned32, {}, "microseconds"}},
    {Tunable::lru_crawler_tocrawl, {124, "mwxMemcachedSettingLruCrawlerTocrawl", SnmpType::Unsigned32}},
    {Tunable::slab_chunk_max, {125, "mwxMemcachedSettingSlabChunkMax", SnmpType::Unsigned32, {}, "bytes"}},
    {Tunable::chunk_size, {126, "mwxMemcachedSettingChunkSize", SnmpType::Unsigned32, {}, "bytes"}},
    {Tunable::num_threads, {127, "mwxMemcachedSettingNumThreads", SnmpType::Unsigned32}},
    {Tunable::idle_timeout, {128, "mwxMemcachedSettingIdleTimeout", SnmpType::Unsigned32, {}, "seconds"}},
    {Tunable::temporary_ttl, {129, "mwxMemcachedSettingTemporaryTtl", SnmpType::Unsigned32, {}, "seconds"}},
    {Tunable::hashpower_init, {130, "mwxMemcachedSettingHashpowerInit", SnmpType::Unsigned32}},
    {Tunable::reqs_per_event, {131, "mwxMemcachedSettingReqsPerEvent", SnmpType::Unsigned32}},
    {Tunable::growth_factor, {132, "mwxMemcachedSettingGrowthFactor", SnmpType::OctetString}},
    {Tunable::slab_automove_ratio, {133, "mwxMemcachedSettingSlabAutomoveRatio", SnmpType::OctetString}},
    {Tunable::hot_max_factor, {134, "mwxMemcachedSettingHotMaxFactor", SnmpType::OctetString}},
    {Tunable::warm_max_factor, {135, "mwxMemcachedSettingWarmMaxFactor", SnmpType::OctetString}},
    {Tunable::ext_item_size, {136, "mwxMemcachedSettingExtItemSize", SnmpType::Unsigned32, {}, "bytes"}},
    {Tunable::ext_wbuf_size, {137, "mwxMemcachedSettingExtWbufSize", SnmpType::Unsigned32, {}, "bytes"}},
    {Tunable::ext_max_frag, {138, "mwxMemcachedSettingExtMaxFrag", SnmpType::OctetString}},
};

// A tunable as its column serves it: a flag as TruthValue, a number, or text.
CellValue tunable_cell(const Settings& settings, Tunable tunable) {
  const auto text = settings.tunable(tunable);
  if (!text) return {};
  switch (kTunables[static_cast<std::size_t>(tunable)].kind) {
    case TunableKind::flag:
      return truth_value(*text == "yes" || *text == "on");
    case TunableKind::number:
      return parse_unsigned(*text);
    case TunableKind::text:
      return std::string(*text);
  }
  return {};
}

// mwxMemcachedSlabEntry: 1 is the index (the class id).
constexpr Column kSlabLabel{11, "mwxMemcachedSlabLabel", SnmpType::OctetString};

// A row of mwxMemcachedListenerTable: one listening address and its clients.
struct ListenerRow {
  std::string label;
  std::uint64_t connections;
};
const Cell<ListenerRow> kListenerCells[] = {
    {{2, "mwxMemcachedListenerLabel", SnmpType::OctetString}, [](const ListenerRow& r) -> CellValue { return r.label; }},
    {{3, "mwxMemcachedListenerConnections", SnmpType::Gauge32}, [](const ListenerRow& r) -> CellValue { return r.connections; }},
};
constexpr FieldColumn<SlabStat> kSlabColumns[] = {
    {SlabStat::chunk_size, {2, "mwxMemcachedSlabChunkSize", SnmpType::Unsigned32, {}, "bytes"}},
    {SlabStat::items, {3, "mwxMemcachedSlabItems", SnmpType::Gauge32}},
    {SlabStat::age, {4, "mwxMemcachedSlabOldestItemAge", SnmpType::Unsigned32, {}, "seconds"}},
    {SlabStat::evicted, {5, "mwxMemcachedSlabEvicted", SnmpType::Counter64}},
    {SlabStat::evicted_nonzero, {6, "mwxMemcachedSlabEvictedNonzero", SnmpType::Counter64}},
    {SlabStat::outofmemory, {7, "mwxMemcachedSlabOutOfMemory", SnmpType::Counter64}},
    {SlabStat::total_pages, {8, "mwxMemcachedSlabTotalPages", SnmpType::Gauge32}},
    {SlabStat::used_chunks, {9, "mwxMemcachedSlabUsedChunks", SnmpType::Gauge32}},
    {SlabStat::free_chunks, {10, "mwxMemcachedSlabFreeChunks", SnmpType::Gauge32}},
    {SlabStat::evicted_time, {12, "mwxMemcachedSlabEvictedTime", SnmpType::Unsigned32, {}, "seconds"}},
    {SlabStat::number_hot, {13, "mwxMemcachedSlabNumberHot", SnmpType::Gauge32}},
    {SlabStat::number_warm, {14, "mwxMemcachedSlabNumberWarm", SnmpType::Gauge32}},
    {SlabStat::number_cold, {15, "mwxMemcachedSlabNumberCold", SnmpType::Gauge32}},
    {SlabStat::age_hot, {16, "mwxMemcachedSlabAgeHot", SnmpType::Unsigned32, {}, "seconds"}},
    {SlabStat::age_warm, {17, "mwxMemcachedSlabAgeWarm", SnmpType::Unsigned32, {}, "seconds"}},
    {SlabStat::mem_requested, {18, "mwxMemcachedSlabMemRequested", SnmpType::Counter64, kGauge64, "bytes"}},
    {SlabStat::tailrepairs, {19, "mwxMemcachedSlabTailrepairs", SnmpType::Counter64}},
    {SlabStat::reclaimed, {20, "mwxMemcachedSlabReclaimed", SnmpType::Counter64}},
    {SlabStat::expired_unfetched, {21, "mwxMemcachedSlabExpiredUnfetched", SnmpType::Counter64}},
    {SlabStat::evicted_unfetched, {22, "mwxMemcachedSlabEvictedUnfetched", SnmpType::Counter64}},
    {SlabStat::evicted_active, {23, "mwxMemcachedSlabEvictedActive", SnmpType::Counter64}},
    {SlabStat::crawler_reclaimed, {24, "mwxMemcachedSlabCrawlerReclaimed", SnmpType::Counter64}},
    {SlabStat::crawler_items_checked, {25, "mwxMemcachedSlabCrawlerItemsChecked", SnmpType::Counter64}},
    {SlabStat::lrutail_reflocked, {26, "mwxMemcachedSlabLrutailReflocked", SnmpType::Counter64}},
    {SlabStat::moves_to_cold, {27, "mwxMemcachedSlabMovesToCold", SnmpType::Counter64}},
    {SlabStat::moves_to_warm, {28, "mwxMemcachedSlabMovesToWarm", SnmpType::Counter64}},
    {SlabStat::moves_within_lru, {29, "mwxMemcachedSlabMovesWithinLru", SnmpType::Counter64}},
    {SlabStat::direct_reclaims, {30, "mwxMemcachedSlabDirectReclaims", SnmpType::Counter64}},
    {SlabStat::hits_to_hot, {31, "mwxMemcachedSlabHitsToHot", SnmpType::Counter64}},
    {SlabStat::hits_to_warm, {32, "mwxMemcachedSlabHitsToWarm", SnmpType::Counter64}},
    {SlabStat::hits_to_cold, {33, "mwxMemcachedSlabHitsToCold", SnmpType::Counter64}},
    {SlabStat::hits_to_temp, {34, "mwxMemcachedSlabHitsToTemp", SnmpType::Counter64}},
    {SlabStat::chunks_per_page, {35, "mwxMemcachedSlabChunksPerPage", SnmpType::Unsigned32}},
    {SlabStat::total_chunks, {36, "mwxMemcachedSlabTotalChunks", SnmpType::Gauge32}},
    {SlabStat::free_chunks_end, {37, "mwxMemcachedSlabFreeChunksEnd", SnmpType::Gauge32}},
    {SlabStat::get_hits, {38, "mwxMemcachedSlabGetHits", SnmpType::Counter64}},
    {SlabStat::cmd_set, {39, "mwxMemcachedSlabCmdSet", SnmpType::Counter64}},
    {SlabStat::delete_hits, {40, "mwxMemcachedSlabDeleteHits", SnmpType::Counter64}},
    {SlabStat::incr_hits, {41, "mwxMemcachedSlabIncrHits", SnmpType::Counter64}},
    {SlabStat::decr_hits, {42, "mwxMemcachedSlabDecrHits", SnmpType::Counter64}},
    {SlabStat::cas_hits, {43, "mwxMemcachedSlabCasHits", SnmpType::Counter64}},
    {SlabStat::cas_badval, {44, "mwxMemcachedSlabCasBadval", SnmpType::Counter64}},
    {SlabStat::touch_hits, {45, "mwxMemcachedSlabTouchHits", SnmpType::Counter64}},
};

}  // namespace

const Oid& instance_entry_oid() { return table_entry_oid<kMwxMemcached, 1>(); }
const Oid& slab_entry_oid() { return table_entry_oid<kMwxMemcached, 2>(); }
const Oid& listener_entry_oid() { return table_entry_oid<kMwxMemcached, 3>(); }

void write_instance_data(RowWriter& row, const Sample& sample) {
  row.cells<Sample>(kInstanceCells, sample);
  for (const auto& c : kStatColumns) row.number(c.column, sample.stats.get(c.field));
  for (const auto& c : kTunableColumns) row.cell(c.column, tunable_cell(sample.settings, c.field));
}

void write_slab_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                     const Sample& sample) {
  // Column by column, so that the entries arrive in OID order: building
  // the snapshot then merges a run per column (agent/snapshot/snapshot.cpp).
  std::vector<Oid> indexes(sample.slabs.size());
  std::vector<RowWriter> rows;
  rows.reserve(sample.slabs.size());
  for (std::size_t i = 0; i < sample.slabs.size(); ++i) {
    indexes[i].assign(name_index.begin(), name_index.end());
    indexes[i].push_back(sample.slabs[i].id);
    rows.emplace_back(out, slab_entry_oid(), indexes[i], instance);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].text(kSlabLabel, nested_label(name, std::to_string(sample.slabs[i].id)));
  }
  for (const auto& c : kSlabColumns) {
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].number(c.column, sample.slabs[i].get(c.field));
  }
}

void write_listener_rows(SnapshotBuilder& out, OidView name_index, std::string_view name,
                         Snapshot::InstanceSlot instance, const Sample& sample) {
  if (!sample.connections) return;
  // An OID holds at most 128 numbers: the index has the address's first 80
  // characters (a long unix socket path's), the label all of it; two
  // addresses alike in those are one row, the first one's label.
  constexpr std::size_t kMaxAddressIndex = 80;
  std::map<std::string_view, std::pair<std::string_view, std::uint64_t>> rows;
  for (const auto& [address, count] : sample.connections->by_listener) {
    auto& row = rows.try_emplace(std::string_view(address).substr(0, kMaxAddressIndex), address, 0).first->second;
    row.second += count;
  }
  Oid index;
  for (const auto& [key, row] : rows) {
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, key);
    RowWriter writer(out, listener_entry_oid(), index, instance);
    writer.cells<ListenerRow>(kListenerCells, {display_string(nested_label(name, row.first)), row.second});
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  const std::vector<IndexKind> by_slab{IndexKind::String, IndexKind::Integer};
  const std::vector<IndexKind> by_listener{IndexKind::String, IndexKind::String};
  catalog.add_instance_columns("mwxMemcached", instance_entry_oid());
  catalog.add_cells<Sample>(instance_entry_oid(), by_name, kInstanceCells);
  for (const auto& c : kStatColumns) catalog.add_column(instance_entry_oid(), by_name, c.column);
  for (const auto& c : kTunableColumns) catalog.add_column(instance_entry_oid(), by_name, c.column);
  catalog.add_column(slab_entry_oid(), by_slab, kSlabLabel);
  for (const auto& c : kSlabColumns) catalog.add_column(slab_entry_oid(), by_slab, c.column);
  catalog.add_cells<ListenerRow>(listener_entry_oid(), by_listener, kListenerCells);
}

}  // namespace mwx::memcached
