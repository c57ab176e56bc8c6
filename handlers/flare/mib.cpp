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

// What an instance row reads: the index server's figures, the node map's
// summary and the cluster's history.
struct InstanceRow {
  const Sample& sample;
  const ClusterHistory& history;
  TopologySummary summary;
  std::uint64_t not_indexed;
};

// mwxFlareEntry beyond the columns every instance table has.
const Cell<InstanceRow> kInstanceCells[] = {
    {{6, "mwxFlareIndexVersion", SnmpType::OctetString},
     [](const InstanceRow& r) -> CellValue { return r.sample.index.version ? CellValue(display_string(*r.sample.index.version, 64)) : CellValue(); }},
    {{7, "mwxFlareIndexUptime", SnmpType::Unsigned32, {}, "seconds"}, [](const InstanceRow& r) -> CellValue { return r.sample.index.uptime; }},
    {{8, "mwxFlareNodeMapVersion", SnmpType::Unsigned32}, [](const InstanceRow& r) -> CellValue { return r.sample.index.node_map_version; }},
    {{9, "mwxFlareNodes", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.summary.nodes; }},
    {{10, "mwxFlareNodesActive", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.summary.active; }},
    {{11, "mwxFlareNodesDown", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.summary.down; }},
    {{12, "mwxFlarePartitions", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.summary.partitions; }},
    {{13, "mwxFlarePartitionsWithoutMaster", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.summary.partitions_without_master.size(); }},
    {{14, "mwxFlareFailovers", SnmpType::Counter64}, [](const InstanceRow& r) -> CellValue { return r.history.failovers; }},
    {{15, "mwxFlareLastFailoverTime", SnmpType::OctetString, kDateAndTime}, [](const InstanceRow& r) -> CellValue { return r.history.last_failover; }},
    {{16, "mwxFlareNodesNotIndexed", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.not_indexed; }},
    {{17, "mwxFlareLastFailoverAge", SnmpType::Unsigned32, {}, "seconds"}, [](const InstanceRow& r) -> CellValue { return r.history.last_failover; }},
};

// What a node row reads: the node, its statistics when they could be read,
// and its history.
struct NodeRow {
  std::string_view instance;
  const NodeReport& report;
  InetAddress address;
  const NodeHistory* history;  // nullptr: none yet

  const NodeStats* stats() const { return report.stats ? &*report.stats : nullptr; }
  template <class Field>
  CellValue of_history(Field NodeHistory::*field) const { return history ? CellValue(history->*field) : CellValue(); }
};

// mwxFlareNodeEntry: 1 is the index (the node key).
const Cell<NodeRow> kNodeCells[] = {
    {{2, "mwxFlareNodeAddressType", SnmpType::Integer, {kInetAddressTypeLabels}},
     [](const NodeRow& r) -> CellValue { return static_cast<int>(r.address.type); }},
    {{3, "mwxFlareNodeAddress", SnmpType::OctetString}, [](const NodeRow& r) -> CellValue { return r.address.octets; }},
    {{4, "mwxFlareNodePort", SnmpType::Unsigned32}, [](const NodeRow& r) -> CellValue { return r.report.node.port; }},
    {{5, "mwxFlareNodeRole", SnmpType::Integer, {kRoleLabels}}, [](const NodeRow& r) -> CellValue { return static_cast<int>(r.report.node.role); }},
    {{6, "mwxFlareNodeState", SnmpType::Integer, {kStateLabels}}, [](const NodeRow& r) -> CellValue { return static_cast<int>(r.report.node.state); }},
    {{7, "mwxFlareNodePartition", SnmpType::Integer}, [](const NodeRow& r) -> CellValue { return r.report.node.partition; }},
    {{8, "mwxFlareNodeBalance", SnmpType::Unsigned32}, [](const NodeRow& r) -> CellValue { return r.report.node.balance; }},
    {{9, "mwxFlareNodeThreadType", SnmpType::Unsigned32}, [](const NodeRow& r) -> CellValue { return r.report.node.thread_type; }},
    {{10, "mwxFlareNodeChanges", SnmpType::Counter64},
     [](const NodeRow& r) -> CellValue { return r.history ? r.history->changes : std::uint64_t{0}; }},
    {{11, "mwxFlareNodeLastChangeTime", SnmpType::OctetString, kDateAndTime},
     [](const NodeRow& r) -> CellValue { return r.of_history(&NodeHistory::last_change); }},
    {{12, "mwxFlareNodeStatsError", SnmpType::OctetString}, [](const NodeRow& r) -> CellValue { return display_string(r.report.stats_error); }},
    {{14, "mwxFlareNodeVersion", SnmpType::OctetString},
     [](const NodeRow& r) -> CellValue {
       if (!r.stats() || !r.stats()->stats.version) return {};
       return display_string(*r.stats()->stats.version, 64);
     }},
    {{25, "mwxFlareNodeReplicationLag", SnmpType::Gauge32},
     [](const NodeRow& r) -> CellValue { return r.stats() ? CellValue(r.stats()->replication_lag) : CellValue(); }},
    {{26, "mwxFlareNodeLastChangeAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const NodeRow& r) -> CellValue { return r.of_history(&NodeHistory::last_change); }},
    {{27, "mwxFlareNodeLabel", SnmpType::OctetString}, [](const NodeRow& r) -> CellValue { return nested_label(r.instance, r.report.node.key); }},
    {{28, "mwxFlareNodeDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
     [](const NodeRow& r) -> CellValue { return r.stats() ? r.of_history(&NodeHistory::stats_discontinuity) : CellValue(); }},
    {{29, "mwxFlareNodeDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const NodeRow& r) -> CellValue { return r.stats() ? r.of_history(&NodeHistory::stats_discontinuity) : CellValue(); }},
};

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

const Oid& instance_entry_oid() { return table_entry_oid<kMwxFlare, 1>(); }
const Oid& node_entry_oid() { return table_entry_oid<kMwxFlare, 2>(); }

bool is_indexable(std::string_view key) { return is_printable_index(key, kMaxIndexedKeyLength); }

std::uint64_t nodes_not_indexed(const std::vector<Node>& nodes) {
  return static_cast<std::uint64_t>(
      std::count_if(nodes.begin(), nodes.end(), [](const Node& n) { return !is_indexable(n.key); }));
}

void write_instance_data(RowWriter& row, const Sample& sample, const ClusterHistory& history) {
  std::vector<Node> nodes;
  nodes.reserve(sample.nodes.size());
  for (const auto& report : sample.nodes) nodes.push_back(report.node);
  row.cells<InstanceRow>(kInstanceCells, {sample, history, summarize(nodes), nodes_not_indexed(nodes)});
}

void write_node_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                     const Sample& sample, const ClusterHistory& history) {
  Oid index;
  for (const auto& report : sample.nodes) {
    if (!is_indexable(report.node.key)) continue;
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, report.node.key);
    const auto seen = history.nodes.find(report.node.key);
    const NodeRow node{name, report, inet_address_of(report.node.host),
                       seen == history.nodes.end() ? nullptr : &seen->second};
    RowWriter row(out, node_entry_oid(), index, instance);
    row.cells<NodeRow>(kNodeCells, node);
    if (!report.stats) continue;
    for (const auto& c : kNodeStats) row.number(c.column, report.stats->stats.get(c.stat));
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_node{IndexKind::String, IndexKind::String};
  catalog.add_instance_columns("mwxFlare", instance_entry_oid());
  catalog.add_cells<InstanceRow>(instance_entry_oid(), {IndexKind::String}, kInstanceCells);
  catalog.add_cells<NodeRow>(node_entry_oid(), by_node, kNodeCells);
  for (const auto& c : kNodeStats) catalog.add_column(node_entry_oid(), by_node, c.column);
}

}  // namespace mwx::flare
