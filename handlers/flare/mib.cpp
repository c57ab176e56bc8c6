#include "handlers/flare/mib.hpp"

#include <algorithm>

#include "agent/base/inet_address.hpp"
#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"
#include "handlers/flare/topology.hpp"

namespace mwx::flare {
namespace {

constexpr OidArc kMwxFlare = 5;  // mwxObjects.5

constexpr EnumLabel kRoleLabels[] = {{1, "master"}, {2, "slave"}, {3, "proxy"}};
constexpr EnumLabel kStateLabels[] = {{1, "active"}, {2, "prepare"}, {3, "down"}, {4, "ready"}};

// mwxFlareEntry beyond the columns every instance table has.
constexpr Column kIndexVersion{6, "mwxFlareIndexVersion", SnmpType::OctetString};
constexpr Column kIndexUptime{7, "mwxFlareIndexUptime", SnmpType::Unsigned32, {}, "seconds"};
constexpr Column kNodeMapVersion{8, "mwxFlareNodeMapVersion", SnmpType::Unsigned32};
constexpr Column kNodes{9, "mwxFlareNodes", SnmpType::Gauge32};
constexpr Column kNodesActive{10, "mwxFlareNodesActive", SnmpType::Gauge32};
constexpr Column kNodesDown{11, "mwxFlareNodesDown", SnmpType::Gauge32};
constexpr Column kPartitions{12, "mwxFlarePartitions", SnmpType::Gauge32};
constexpr Column kPartitionsWithoutMaster{13, "mwxFlarePartitionsWithoutMaster", SnmpType::Gauge32};
constexpr Column kFailovers{14, "mwxFlareFailovers", SnmpType::Counter64};
constexpr Column kLastFailoverTime{15, "mwxFlareLastFailoverTime", SnmpType::OctetString, kDateAndTime};
constexpr Column kNodesNotIndexed{16, "mwxFlareNodesNotIndexed", SnmpType::Gauge32};
constexpr Column kLastFailoverAge{17, "mwxFlareLastFailoverAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kInstanceColumns[] = {
    &kIndexVersion, &kIndexUptime, &kNodeMapVersion,   &kNodes,           &kNodesActive,     &kNodesDown,
    &kPartitions,   &kPartitionsWithoutMaster, &kFailovers, &kLastFailoverTime, &kNodesNotIndexed,
    &kLastFailoverAge};

// mwxFlareNodeEntry: 1 is the index (the node key).
constexpr Column kAddressType{2, "mwxFlareNodeAddressType", SnmpType::Integer, {kInetAddressTypeLabels}};
constexpr Column kAddress{3, "mwxFlareNodeAddress", SnmpType::OctetString};
constexpr Column kPort{4, "mwxFlareNodePort", SnmpType::Unsigned32};
constexpr Column kRole{5, "mwxFlareNodeRole", SnmpType::Integer, {kRoleLabels}};
constexpr Column kState{6, "mwxFlareNodeState", SnmpType::Integer, {kStateLabels}};
constexpr Column kPartition{7, "mwxFlareNodePartition", SnmpType::Integer};
constexpr Column kBalance{8, "mwxFlareNodeBalance", SnmpType::Unsigned32};
constexpr Column kThreadType{9, "mwxFlareNodeThreadType", SnmpType::Unsigned32};
constexpr Column kChanges{10, "mwxFlareNodeChanges", SnmpType::Counter64};
constexpr Column kLastChangeTime{11, "mwxFlareNodeLastChangeTime", SnmpType::OctetString, kDateAndTime};
constexpr Column kStatsError{12, "mwxFlareNodeStatsError", SnmpType::OctetString};
constexpr Column kVersion{14, "mwxFlareNodeVersion", SnmpType::OctetString};
constexpr Column kReplicationLag{25, "mwxFlareNodeReplicationLag", SnmpType::Gauge32};
constexpr Column kLastChangeAge{26, "mwxFlareNodeLastChangeAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr Column kLabel{27, "mwxFlareNodeLabel", SnmpType::OctetString};
constexpr Column kDiscontinuityTime{28, "mwxFlareNodeDiscontinuityTime", SnmpType::OctetString, kDateAndTime};
constexpr Column kDiscontinuityAge{29, "mwxFlareNodeDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kNodeColumns[] = {
    &kAddressType, &kAddress,    &kPort,           &kRole,          &kState,        &kPartition,
    &kBalance,     &kThreadType, &kChanges,        &kLastChangeTime, &kStatsError,  &kVersion,
    &kReplicationLag, &kLastChangeAge, &kLabel,    &kDiscontinuityTime, &kDiscontinuityAge};

// The node's own statistics, in memcached's framing.
struct StatColumn {
  memcached::Stat stat;
  Column column;
};
using memcached::Stat;
constexpr StatColumn kNodeStats[] = {
    {Stat::uptime, {13, "mwxFlareNodeUptime", SnmpType::Unsigned32, {}, "seconds"}},
    {Stat::curr_connections, {15, "mwxFlareNodeCurrConnections", SnmpType::Gauge32}},
    {Stat::curr_items, {16, "mwxFlareNodeCurrItems", SnmpType::Gauge32}},
    {Stat::bytes, {17, "mwxFlareNodeBytes", SnmpType::Counter64, kGauge64, "bytes"}},
    {Stat::cmd_get, {18, "mwxFlareNodeCmdGet", SnmpType::Counter64}},
    {Stat::cmd_set, {19, "mwxFlareNodeCmdSet", SnmpType::Counter64}},
    {Stat::get_hits, {20, "mwxFlareNodeGetHits", SnmpType::Counter64}},
    {Stat::get_misses, {21, "mwxFlareNodeGetMisses", SnmpType::Counter64}},
    {Stat::evictions, {22, "mwxFlareNodeEvictions", SnmpType::Counter64}},
    {Stat::bytes_read, {23, "mwxFlareNodeBytesRead", SnmpType::Counter64, {}, "bytes"}},
    {Stat::bytes_written, {24, "mwxFlareNodeBytesWritten", SnmpType::Counter64, {}, "bytes"}},
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

std::uint64_t nodes_not_indexed(const std::vector<Node>& nodes) {
  return static_cast<std::uint64_t>(
      std::count_if(nodes.begin(), nodes.end(), [](const Node& n) { return !is_indexable(n.key); }));
}

void write_instance_data(RowWriter& row, const Sample& sample, const ClusterHistory& history) {
  std::vector<Node> nodes;
  nodes.reserve(sample.nodes.size());
  for (const auto& report : sample.nodes) nodes.push_back(report.node);
  const TopologySummary summary = summarize(nodes);
  if (sample.index.version) row.text(kIndexVersion, display_string(*sample.index.version, 64));
  row.number(kIndexUptime, sample.index.uptime);
  row.number(kNodeMapVersion, sample.index.node_map_version);
  row.number(kNodes, summary.nodes);
  row.number(kNodesActive, summary.active);
  row.number(kNodesDown, summary.down);
  row.number(kPartitions, summary.partitions);
  row.number(kPartitionsWithoutMaster, summary.partitions_without_master.size());
  row.number(kFailovers, history.failovers);
  if (history.last_failover) row.time_and_age(kLastFailoverTime, kLastFailoverAge, *history.last_failover);
  row.number(kNodesNotIndexed, nodes_not_indexed(nodes));
}

void write_node_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                     const Sample& sample,
                     const ClusterHistory& history) {
  Oid index;
  for (const auto& report : sample.nodes) {
    const Node& node = report.node;
    if (!is_indexable(node.key)) continue;
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, node.key);
    RowWriter row(out, node_entry_oid(), index, instance);
    row.text(kLabel, nested_label(name, node.key));
    const InetAddress address = inet_address_of(node.host);
    row.integer(kAddressType, static_cast<int>(address.type));
    row.text(kAddress, address.octets);
    row.number(kPort, node.port);
    row.integer(kRole, static_cast<int>(node.role));
    row.integer(kState, static_cast<int>(node.state));
    row.integer(kPartition, node.partition);
    row.number(kBalance, node.balance);
    row.number(kThreadType, node.thread_type);
    const auto seen = history.nodes.find(node.key);
    row.number(kChanges, seen == history.nodes.end() ? 0 : seen->second.changes);
    if (seen != history.nodes.end() && seen->second.last_change) {
      row.time_and_age(kLastChangeTime, kLastChangeAge, *seen->second.last_change);
    }
    row.text(kStatsError, display_string(report.stats_error));
    if (!report.stats) continue;
    const auto& stats = report.stats->stats;
    if (stats.version) row.text(kVersion, display_string(*stats.version, 64));
    for (const auto& c : kNodeStats) row.number(c.column, stats.get(c.stat));
    row.number(kReplicationLag, report.stats->replication_lag);
    if (seen != history.nodes.end() && seen->second.stats_discontinuity) {
      row.time_and_age(kDiscontinuityTime, kDiscontinuityAge, *seen->second.stats_discontinuity);
    }
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_node{IndexKind::String, IndexKind::String};
  catalog.add_instance_columns("mwxFlare", instance_entry_oid());
  catalog.add_columns(instance_entry_oid(), {IndexKind::String}, kInstanceColumns);
  catalog.add_columns(node_entry_oid(), by_node, kNodeColumns);
  for (const auto& c : kNodeStats) catalog.add_column(node_entry_oid(), by_node, c.column);
}

}  // namespace mwx::flare
