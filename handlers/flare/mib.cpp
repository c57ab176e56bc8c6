#include "handlers/flare/mib.hpp"

#include <algorithm>

#include "agent/inet_address.hpp"
#include "agent/mib_root.hpp"
#include "agent/text_values.hpp"
#include "handlers/flare/topology.hpp"

namespace mwx::flare {
namespace {

constexpr OidArc kMwxFlare = 5;  // mwxObjects.5

// Instance table columns beyond the common ones (1-5).
constexpr OidArc kIndexVersion = 6, kIndexUptime = 7, kNodeMapVersion = 8, kNodes = 9, kNodesActive = 10,
                 kNodesDown = 11, kPartitions = 12, kPartitionsWithoutMaster = 13, kFailovers = 14,
                 kLastFailoverTime = 15, kNodesNotIndexed = 16, kLastFailoverAge = 17;
// Node table columns (1 is the index: the node key).
constexpr OidArc kAddressType = 2, kAddress = 3, kPort = 4, kRole = 5, kState = 6, kPartition = 7, kBalance = 8,
                 kThreadType = 9, kChanges = 10, kLastChangeTime = 11, kStatsError = 12, kUptime = 13,
                 kVersion = 14, kCurrConnections = 15, kCurrItems = 16, kBytes = 17, kCmdGet = 18, kCmdSet = 19,
                 kGetHits = 20, kGetMisses = 21, kEvictions = 22, kBytesRead = 23, kBytesWritten = 24,
                 kReplicationLag = 25, kLastChangeAge = 26, kLabel = 27, kDiscontinuityTime = 28,
                 kDiscontinuityAge = 29;

using memcached::Stat;

constexpr EnumLabel kRoleLabels[] = {{1, "master"}, {2, "slave"}, {3, "proxy"}};
constexpr EnumLabel kStateLabels[] = {{1, "active"}, {2, "prepare"}, {3, "down"}, {4, "ready"}};

struct StatColumn {
  OidArc column;
  Stat stat;
  SnmpType type;
  const char* name;
};

constexpr StatColumn kNodeStats[] = {
    {kUptime, Stat::uptime, SnmpType::Unsigned32, "mwxFlareNodeUptime"},
    {kCurrConnections, Stat::curr_connections, SnmpType::Gauge32, "mwxFlareNodeCurrConnections"},
    {kCurrItems, Stat::curr_items, SnmpType::Gauge32, "mwxFlareNodeCurrItems"},
    {kBytes, Stat::bytes, SnmpType::Counter64, "mwxFlareNodeBytes"},  // MwxGauge64
    {kCmdGet, Stat::cmd_get, SnmpType::Counter64, "mwxFlareNodeCmdGet"},
    {kCmdSet, Stat::cmd_set, SnmpType::Counter64, "mwxFlareNodeCmdSet"},
    {kGetHits, Stat::get_hits, SnmpType::Counter64, "mwxFlareNodeGetHits"},
    {kGetMisses, Stat::get_misses, SnmpType::Counter64, "mwxFlareNodeGetMisses"},
    {kEvictions, Stat::evictions, SnmpType::Counter64, "mwxFlareNodeEvictions"},
    {kBytesRead, Stat::bytes_read, SnmpType::Counter64, "mwxFlareNodeBytesRead"},
    {kBytesWritten, Stat::bytes_written, SnmpType::Counter64, "mwxFlareNodeBytesWritten"},
};

}  // namespace

const Oid& instance_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxFlare), {1, 1});
  return oid;
}

const Oid& node_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxFlare), {2, 1});
  return oid;
}

bool is_indexable(std::string_view key) { return is_printable_index(key, kMaxIndexedKeyLength); }

void write_instance_data(RowWriter& row, const Sample& sample, const ClusterHistory& history) {
  std::vector<Node> nodes;
  nodes.reserve(sample.nodes.size());
  for (const auto& report : sample.nodes) nodes.push_back(report.node);
  const TopologySummary summary = summarize(nodes);
  if (sample.index.version) row.text(kIndexVersion, display_string(*sample.index.version, 64));
  row.number(kIndexUptime, SnmpType::Unsigned32, sample.index.uptime);
  row.number(kNodeMapVersion, SnmpType::Unsigned32, sample.index.node_map_version);
  row.number(kNodes, SnmpType::Gauge32, summary.nodes);
  row.number(kNodesActive, SnmpType::Gauge32, summary.active);
  row.number(kNodesDown, SnmpType::Gauge32, summary.down);
  row.number(kPartitions, SnmpType::Gauge32, summary.partitions);
  row.number(kPartitionsWithoutMaster, SnmpType::Gauge32, summary.partitions_without_master.size());
  row.number(kFailovers, SnmpType::Counter64, history.failovers);
  if (history.last_failover) row.time_and_age(kLastFailoverTime, kLastFailoverAge, *history.last_failover);
  row.number(kNodesNotIndexed, SnmpType::Gauge32,
             static_cast<std::uint64_t>(std::count_if(nodes.begin(), nodes.end(),
                                                      [](const Node& n) { return !is_indexable(n.key); })));
}

void write_node_rows(SnapshotBuilder& out, OidView name_index, Snapshot::InstanceSlot instance, const Sample& sample,
                     const ClusterHistory& history) {
  Oid index;
  for (const auto& report : sample.nodes) {
    const Node& node = report.node;
    if (!is_indexable(node.key)) continue;
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, node.key);
    RowWriter row(out, node_entry_oid(), index, instance);
    row.text(kLabel, node.key);
    const InetAddress address = inet_address_of(node.host);
    row.integer(kAddressType, static_cast<int>(address.type));
    row.text(kAddress, address.octets);
    row.number(kPort, SnmpType::Unsigned32, node.port);
    row.integer(kRole, static_cast<int>(node.role));
    row.integer(kState, static_cast<int>(node.state));
    row.integer(kPartition, node.partition);
    row.number(kBalance, SnmpType::Unsigned32, node.balance);
    row.number(kThreadType, SnmpType::Unsigned32, node.thread_type);
    const auto seen = history.nodes.find(node.key);
    row.number(kChanges, SnmpType::Counter64, seen == history.nodes.end() ? 0 : seen->second.changes);
    if (seen != history.nodes.end() && seen->second.last_change) {
      row.time_and_age(kLastChangeTime, kLastChangeAge, *seen->second.last_change);
    }
    row.text(kStatsError, display_string(report.stats_error));
    if (!report.stats) continue;
    const auto& stats = report.stats->stats;
    if (stats.version) row.text(kVersion, display_string(*stats.version, 64));
    for (const auto& c : kNodeStats) row.number(c.column, c.type, stats.get(c.stat));
    row.number(kReplicationLag, SnmpType::Gauge32, report.stats->replication_lag);
    if (seen != history.nodes.end() && seen->second.stats_discontinuity) {
      row.time_and_age(kDiscontinuityTime, kDiscontinuityAge, *seen->second.stats_discontinuity);
    }
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  const std::vector<IndexKind> by_node{IndexKind::String, IndexKind::String};
  const Oid& entry = instance_entry_oid();
  add_instance_columns(catalog, "mwxFlare", entry);
  const std::tuple<OidArc, const char*, SnmpType, Syntax> instance_columns[] = {
      {kIndexVersion, "mwxFlareIndexVersion", SnmpType::OctetString, {}},
      {kIndexUptime, "mwxFlareIndexUptime", SnmpType::Unsigned32, {}},
      {kNodeMapVersion, "mwxFlareNodeMapVersion", SnmpType::Unsigned32, {}},
      {kNodes, "mwxFlareNodes", SnmpType::Gauge32, {}},
      {kNodesActive, "mwxFlareNodesActive", SnmpType::Gauge32, {}},
      {kNodesDown, "mwxFlareNodesDown", SnmpType::Gauge32, {}},
      {kPartitions, "mwxFlarePartitions", SnmpType::Gauge32, {}},
      {kPartitionsWithoutMaster, "mwxFlarePartitionsWithoutMaster", SnmpType::Gauge32, {}},
      {kFailovers, "mwxFlareFailovers", SnmpType::Counter64, {}},
      {kLastFailoverTime, "mwxFlareLastFailoverTime", SnmpType::OctetString, kDateAndTime},
      {kNodesNotIndexed, "mwxFlareNodesNotIndexed", SnmpType::Gauge32, {}},
      {kLastFailoverAge, "mwxFlareLastFailoverAge", SnmpType::Unsigned32, {}},
  };
  for (const auto& [column, name, type, syntax] : instance_columns) {
    catalog.add_column(name, concat(entry, {column}), type, by_name, syntax);
  }
  const Oid& node = node_entry_oid();
  const std::tuple<OidArc, const char*, SnmpType, Syntax> node_columns[] = {
      {kAddressType, "mwxFlareNodeAddressType", SnmpType::Integer, {kInetAddressTypeLabels}},
      {kAddress, "mwxFlareNodeAddress", SnmpType::OctetString, {}},
      {kPort, "mwxFlareNodePort", SnmpType::Unsigned32, {}},
      {kRole, "mwxFlareNodeRole", SnmpType::Integer, {kRoleLabels}},
      {kState, "mwxFlareNodeState", SnmpType::Integer, {kStateLabels}},
      {kPartition, "mwxFlareNodePartition", SnmpType::Integer, {}},
      {kBalance, "mwxFlareNodeBalance", SnmpType::Unsigned32, {}},
      {kThreadType, "mwxFlareNodeThreadType", SnmpType::Unsigned32, {}},
      {kChanges, "mwxFlareNodeChanges", SnmpType::Counter64, {}},
      {kLastChangeTime, "mwxFlareNodeLastChangeTime", SnmpType::OctetString, kDateAndTime},
      {kStatsError, "mwxFlareNodeStatsError", SnmpType::OctetString, {}},
      {kVersion, "mwxFlareNodeVersion", SnmpType::OctetString, {}},
      {kReplicationLag, "mwxFlareNodeReplicationLag", SnmpType::Gauge32, {}},
      {kLastChangeAge, "mwxFlareNodeLastChangeAge", SnmpType::Unsigned32, {}},
      {kLabel, "mwxFlareNodeLabel", SnmpType::OctetString, {}},
      {kDiscontinuityTime, "mwxFlareNodeDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
      {kDiscontinuityAge, "mwxFlareNodeDiscontinuityAge", SnmpType::Unsigned32, {}},
  };
  for (const auto& [column, name, type, syntax] : node_columns) {
    catalog.add_column(name, concat(node, {column}), type, by_node, syntax);
  }
  for (const auto& c : kNodeStats) catalog.add_column(c.name, concat(node, {c.column}), c.type, by_node);
}

}  // namespace mwx::flare
