#include "handlers/memcached/mib.hpp"

#include "agent/mib_root.hpp"
#include "agent/text_values.hpp"

namespace mwx::memcached {
namespace {

constexpr OidArc kMwxMemcached = 2;  // mwxObjects.2

// Instance table columns beyond the common ones (1-5).
constexpr OidArc kDiscontinuityTime = 6, kVersion = 9;
constexpr OidArc kMaxconns = 40, kMaxbytes = 41, kItemSizeMax = 42, kEvictionsEnabled = 43;
constexpr OidArc kConnectionUsage = 44, kHitRatio = 45, kOldestItemAge = 46, kDiscontinuityAge = 47;
constexpr OidArc kSlabLabel = 11;
constexpr std::uint64_t kTruthTrue = kTruthValueLabels[0].value, kTruthFalse = kTruthValueLabels[1].value;

// One MIB column fed by one backend field.
template <class Field>
struct Column {
  Field field;
  OidArc column;
  const char* object;
  SnmpType type;
};

// MwxGauge64 levels travel as Counter64 (RFC 2856 CounterBasedGauge64).
constexpr Column<Stat> kStatColumns[] = {
    {Stat::pid, 7, "mwxMemcachedPid", SnmpType::Unsigned32},
    {Stat::uptime, 8, "mwxMemcachedUptime", SnmpType::Unsigned32},
    {Stat::curr_connections, 10, "mwxMemcachedCurrConnections", SnmpType::Gauge32},
    {Stat::total_connections, 11, "mwxMemcachedTotalConnections", SnmpType::Counter64},
    {Stat::connection_structures, 12, "mwxMemcachedConnectionStructures", SnmpType::Gauge32},
    {Stat::rejected_connections, 13, "mwxMemcachedRejectedConnections", SnmpType::Counter64},
    {Stat::listen_disabled_num, 14, "mwxMemcachedListenDisabledNum", SnmpType::Counter64},
    {Stat::curr_items, 15, "mwxMemcachedCurrItems", SnmpType::Gauge32},
    {Stat::total_items, 16, "mwxMemcachedTotalItems", SnmpType::Counter64},
    {Stat::bytes, 17, "mwxMemcachedBytes", SnmpType::Counter64},
    {Stat::limit_maxbytes, 18, "mwxMemcachedLimitMaxbytes", SnmpType::Counter64},
    {Stat::cmd_get, 19, "mwxMemcachedCmdGet", SnmpType::Counter64},
    {Stat::cmd_set, 20, "mwxMemcachedCmdSet", SnmpType::Counter64},
    {Stat::cmd_flush, 21, "mwxMemcachedCmdFlush", SnmpType::Counter64},
    {Stat::get_hits, 22, "mwxMemcachedGetHits", SnmpType::Counter64},
    {Stat::get_misses, 23, "mwxMemcachedGetMisses", SnmpType::Counter64},
    {Stat::get_expired, 24, "mwxMemcachedGetExpired", SnmpType::Counter64},
    {Stat::delete_hits, 25, "mwxMemcachedDeleteHits", SnmpType::Counter64},
    {Stat::delete_misses, 26, "mwxMemcachedDeleteMisses", SnmpType::Counter64},
    {Stat::incr_hits, 27, "mwxMemcachedIncrHits", SnmpType::Counter64},
    {Stat::incr_misses, 28, "mwxMemcachedIncrMisses", SnmpType::Counter64},
    {Stat::decr_hits, 29, "mwxMemcachedDecrHits", SnmpType::Counter64},
    {Stat::decr_misses, 30, "mwxMemcachedDecrMisses", SnmpType::Counter64},
    {Stat::evictions, 31, "mwxMemcachedEvictions", SnmpType::Counter64},
    {Stat::reclaimed, 32, "mwxMemcachedReclaimed", SnmpType::Counter64},
    {Stat::expired_unfetched, 33, "mwxMemcachedExpiredUnfetched", SnmpType::Counter64},
    {Stat::evicted_unfetched, 34, "mwxMemcachedEvictedUnfetched", SnmpType::Counter64},
    {Stat::bytes_read, 35, "mwxMemcachedBytesRead", SnmpType::Counter64},
    {Stat::bytes_written, 36, "mwxMemcachedBytesWritten", SnmpType::Counter64},
    {Stat::threads, 37, "mwxMemcachedThreads", SnmpType::Gauge32},
    {Stat::rusage_user, 38, "mwxMemcachedRusageUser", SnmpType::Counter64},
    {Stat::rusage_system, 39, "mwxMemcachedRusageSystem", SnmpType::Counter64},
};

constexpr Column<SlabStat> kSlabColumns[] = {
    {SlabStat::chunk_size, 2, "mwxMemcachedSlabChunkSize", SnmpType::Unsigned32},
    {SlabStat::items, 3, "mwxMemcachedSlabItems", SnmpType::Gauge32},
    {SlabStat::age, 4, "mwxMemcachedSlabOldestItemAge", SnmpType::Unsigned32},
    {SlabStat::evicted, 5, "mwxMemcachedSlabEvicted", SnmpType::Counter64},
    {SlabStat::evicted_nonzero, 6, "mwxMemcachedSlabEvictedNonzero", SnmpType::Counter64},
    {SlabStat::outofmemory, 7, "mwxMemcachedSlabOutOfMemory", SnmpType::Counter64},
    {SlabStat::total_pages, 8, "mwxMemcachedSlabTotalPages", SnmpType::Gauge32},
    {SlabStat::used_chunks, 9, "mwxMemcachedSlabUsedChunks", SnmpType::Gauge32},
    {SlabStat::free_chunks, 10, "mwxMemcachedSlabFreeChunks", SnmpType::Gauge32},
};

std::optional<std::uint64_t> widen(std::optional<std::uint32_t> value) {
  if (!value) return std::nullopt;
  return *value;
}

}  // namespace

const Oid& instance_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxMemcached), {1, 1});
  return oid;
}

const Oid& slab_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxMemcached), {2, 1});
  return oid;
}

void write_instance_data(RowWriter& row, const Sample& sample) {
  row.time_and_age(kDiscontinuityTime, kDiscontinuityAge, sample.discontinuity_time);
  if (sample.stats.version) row.text(kVersion, display_string(*sample.stats.version, 64));
  for (const auto& c : kStatColumns) row.number(c.column, c.type, sample.stats.get(c.field));
  row.number(kMaxconns, SnmpType::Unsigned32, sample.settings.maxconns);
  row.number(kMaxbytes, SnmpType::Counter64, sample.settings.maxbytes);
  row.number(kItemSizeMax, SnmpType::Unsigned32, sample.settings.item_size_max);
  if (sample.settings.evictions) {
    row.number(kEvictionsEnabled, SnmpType::Integer, *sample.settings.evictions ? kTruthTrue : kTruthFalse);
  }
  row.number(kConnectionUsage, SnmpType::Gauge32, widen(sample.derived.connection_usage));
  row.number(kHitRatio, SnmpType::Gauge32, widen(sample.derived.hit_ratio));
  row.number(kOldestItemAge, SnmpType::Unsigned32, sample.derived.oldest_item_age);
}

void write_slab_rows(SnapshotBuilder& out, OidView name_index, Snapshot::InstanceSlot instance,
                     const Sample& sample) {
  Oid index;
  for (const auto& slab : sample.slabs) {
    index.assign(name_index.begin(), name_index.end());
    index.push_back(slab.id);
    RowWriter row(out, slab_entry_oid(), index, instance);
    row.text(kSlabLabel, std::to_string(slab.id));
    for (const auto& c : kSlabColumns) row.number(c.column, c.type, slab.get(c.field));
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  const std::vector<IndexKind> by_slab{IndexKind::String, IndexKind::Integer};
  const Oid& entry = instance_entry_oid();
  add_instance_columns(catalog, "mwxMemcached", entry);
  catalog.add_column("mwxMemcachedDiscontinuityTime", concat(entry, {kDiscontinuityTime}), SnmpType::OctetString,
                     by_name, kDateAndTime);
  catalog.add_column("mwxMemcachedVersion", concat(entry, {kVersion}), SnmpType::OctetString, by_name);
  for (const auto& c : kStatColumns) catalog.add_column(c.object, concat(entry, {c.column}), c.type, by_name);
  catalog.add_column("mwxMemcachedMaxconns", concat(entry, {kMaxconns}), SnmpType::Unsigned32, by_name);
  catalog.add_column("mwxMemcachedMaxbytes", concat(entry, {kMaxbytes}), SnmpType::Counter64, by_name);
  catalog.add_column("mwxMemcachedItemSizeMax", concat(entry, {kItemSizeMax}), SnmpType::Unsigned32, by_name);
  catalog.add_column("mwxMemcachedEvictionsEnabled", concat(entry, {kEvictionsEnabled}), SnmpType::Integer,
                     by_name, {kTruthValueLabels});
  catalog.add_column("mwxMemcachedConnectionUsage", concat(entry, {kConnectionUsage}), SnmpType::Gauge32,
                     by_name);
  catalog.add_column("mwxMemcachedHitRatio", concat(entry, {kHitRatio}), SnmpType::Gauge32, by_name);
  catalog.add_column("mwxMemcachedOldestItemAge", concat(entry, {kOldestItemAge}), SnmpType::Unsigned32, by_name);
  catalog.add_column("mwxMemcachedDiscontinuityAge", concat(entry, {kDiscontinuityAge}), SnmpType::Unsigned32,
                     by_name);
  catalog.add_column("mwxMemcachedSlabLabel", concat(slab_entry_oid(), {kSlabLabel}), SnmpType::OctetString,
                     by_slab);
  for (const auto& c : kSlabColumns) {
    catalog.add_column(c.object, concat(slab_entry_oid(), {c.column}), c.type, by_slab);
  }
}

}  // namespace mwx::memcached
