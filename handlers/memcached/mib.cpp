#include "handlers/memcached/mib.hpp"

#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx::memcached {
namespace {

constexpr OidArc kMwxMemcached = 2;  // mwxObjects.2

// mwxMemcachedEntry beyond the columns every instance table has, and
// beyond its `stats` fields (kStatColumns).
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
       return kTruthValueLabels[*s.settings.evictions ? 0 : 1].value;
     }},
    {{44, "mwxMemcachedConnectionUsage", SnmpType::Gauge32, kHundredthsPercent},
     [](const Sample& s) -> CellValue { return s.derived.connection_usage; }},
    {{45, "mwxMemcachedHitRatio", SnmpType::Gauge32, kHundredthsPercent}, [](const Sample& s) -> CellValue { return s.derived.hit_ratio; }},
    {{46, "mwxMemcachedOldestItemAge", SnmpType::Unsigned32, {}, "seconds"}, [](const Sample& s) -> CellValue { return s.derived.oldest_item_age; }},
    {{47, "mwxMemcachedDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"}, [](const Sample& s) -> CellValue { return s.discontinuity_time; }},
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
};

// mwxMemcachedSlabEntry: 1 is the index (the class id).
constexpr Column kSlabLabel{11, "mwxMemcachedSlabLabel", SnmpType::OctetString};
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
};

}  // namespace

const Oid& instance_entry_oid() { return table_entry_oid<kMwxMemcached, 1>(); }
const Oid& slab_entry_oid() { return table_entry_oid<kMwxMemcached, 2>(); }

void write_instance_data(RowWriter& row, const Sample& sample) {
  row.cells<Sample>(kInstanceCells, sample);
  for (const auto& c : kStatColumns) row.number(c.column, sample.stats.get(c.field));
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

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  const std::vector<IndexKind> by_slab{IndexKind::String, IndexKind::Integer};
  catalog.add_instance_columns("mwxMemcached", instance_entry_oid());
  catalog.add_cells<Sample>(instance_entry_oid(), by_name, kInstanceCells);
  for (const auto& c : kStatColumns) catalog.add_column(instance_entry_oid(), by_name, c.column);
  catalog.add_column(slab_entry_oid(), by_slab, kSlabLabel);
  for (const auto& c : kSlabColumns) catalog.add_column(slab_entry_oid(), by_slab, c.column);
}

}  // namespace mwx::memcached
