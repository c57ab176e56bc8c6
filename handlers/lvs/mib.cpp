#include "handlers/lvs/mib.hpp"

#include "agent/base/inet_address.hpp"
#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"
#include "handlers/lvs/conn_states.hpp"

namespace mwx::lvs {
namespace {

constexpr OidArc kMwxLvs = 6;  // mwxObjects.6

constexpr EnumLabel kSourceLabels[] = {{1, "procfs"}, {2, "netlink"}};
constexpr EnumLabel kSyncRoleLabels[] = {{1, "none"}, {2, "master"}, {3, "backup"}, {4, "masterAndBackup"}};
constexpr EnumLabel kConnCountEndLabels[] = {{1, "complete"}, {2, "limit"}, {3, "timeout"}};
constexpr EnumLabel kForwardLabels[] = {{1, "masq"}, {2, "local"}, {3, "tunnel"}, {4, "route"}, {5, "bypass"}};

// The ten traffic columns of each table, in the order the kernel lists
// them: five Counter64 counters, then five Gauge32 rates.
constexpr Column kTotalTraffic[] = {
    {11, "mwxLvsTotalConns", SnmpType::Counter64},
    {12, "mwxLvsTotalInPkts", SnmpType::Counter64, {}, "packets"},
    {13, "mwxLvsTotalOutPkts", SnmpType::Counter64, {}, "packets"},
    {14, "mwxLvsTotalInBytes", SnmpType::Counter64, {}, "bytes"},
    {15, "mwxLvsTotalOutBytes", SnmpType::Counter64, {}, "bytes"},
    {16, "mwxLvsTotalCps", SnmpType::Gauge32, {}, "connections per second"},
    {17, "mwxLvsTotalInPps", SnmpType::Gauge32, {}, "packets per second"},
    {18, "mwxLvsTotalOutPps", SnmpType::Gauge32, {}, "packets per second"},
    {19, "mwxLvsTotalInBps", SnmpType::Gauge32, {}, "bytes per second"},
    {20, "mwxLvsTotalOutBps", SnmpType::Gauge32, {}, "bytes per second"},
};
constexpr Column kServiceTraffic[] = {
    {13, "mwxLvsServiceConns", SnmpType::Counter64},
    {14, "mwxLvsServiceInPkts", SnmpType::Counter64, {}, "packets"},
    {15, "mwxLvsServiceOutPkts", SnmpType::Counter64, {}, "packets"},
    {16, "mwxLvsServiceInBytes", SnmpType::Counter64, {}, "bytes"},
    {17, "mwxLvsServiceOutBytes", SnmpType::Counter64, {}, "bytes"},
    {18, "mwxLvsServiceCps", SnmpType::Gauge32, {}, "connections per second"},
    {19, "mwxLvsServiceInPps", SnmpType::Gauge32, {}, "packets per second"},
    {20, "mwxLvsServiceOutPps", SnmpType::Gauge32, {}, "packets per second"},
    {21, "mwxLvsServiceInBps", SnmpType::Gauge32, {}, "bytes per second"},
    {22, "mwxLvsServiceOutBps", SnmpType::Gauge32, {}, "bytes per second"},
};
constexpr Column kRealTraffic[] = {
    {11, "mwxLvsRealServerConns", SnmpType::Counter64},
    {12, "mwxLvsRealServerInPkts", SnmpType::Counter64, {}, "packets"},
    {13, "mwxLvsRealServerOutPkts", SnmpType::Counter64, {}, "packets"},
    {14, "mwxLvsRealServerInBytes", SnmpType::Counter64, {}, "bytes"},
    {15, "mwxLvsRealServerOutBytes", SnmpType::Counter64, {}, "bytes"},
    {16, "mwxLvsRealServerCps", SnmpType::Gauge32, {}, "connections per second"},
    {17, "mwxLvsRealServerInPps", SnmpType::Gauge32, {}, "packets per second"},
    {18, "mwxLvsRealServerOutPps", SnmpType::Gauge32, {}, "packets per second"},
    {19, "mwxLvsRealServerInBps", SnmpType::Gauge32, {}, "bytes per second"},
    {20, "mwxLvsRealServerOutBps", SnmpType::Gauge32, {}, "bytes per second"},
};

std::optional<std::uint64_t> non_negative(const std::optional<std::int64_t>& value) {
  if (!value || *value < 0) return std::nullopt;
  return static_cast<std::uint64_t>(*value);
}

struct InstanceRow {
  const Sample& sample;
  std::uint64_t real_servers;
  std::uint64_t conns_unmatched;  // connection entries of no served service
};

const ConnTable* conns(const InstanceRow& r) { return r.sample.conns.get(); }

std::optional<std::uint64_t> timeout(const InstanceRow& r, std::uint64_t KernelTimeouts::*which) {
  if (!r.sample.timeouts) return std::nullopt;
  return (*r.sample.timeouts).*which;
}

CellValue sync_role(const InstanceRow& r) {
  if (!r.sample.sync) return {};
  const bool master = r.sample.sync->master.has_value(), backup = r.sample.sync->backup.has_value();
  return master && backup ? 4 : master ? 2 : backup ? 3 : 1;
}

const std::optional<SyncDaemon>* daemon(const InstanceRow& r, std::optional<SyncDaemon> SyncDaemons::*which) {
  return r.sample.sync ? &((*r.sample.sync).*which) : nullptr;
}
CellValue daemon_interface(const InstanceRow& r, std::optional<SyncDaemon> SyncDaemons::*which) {
  const auto* running = daemon(r, which);
  if (running == nullptr || !*running) return {};
  return display_string((*running)->interface, 16);
}
CellValue daemon_sync_id(const InstanceRow& r, std::optional<SyncDaemon> SyncDaemons::*which) {
  const auto* running = daemon(r, which);
  if (running == nullptr || !*running) return {};
  return (*running)->sync_id;
}

// mwxLvsEntry beyond the columns every instance table has (and the totals).
const Cell<InstanceRow> kInstanceCells[] = {
    {{6, "mwxLvsSource", SnmpType::Integer, {kSourceLabels}}, [](const InstanceRow& r) -> CellValue { return static_cast<int>(r.sample.source); }},
    {{7, "mwxLvsVersion", SnmpType::OctetString}, [](const InstanceRow& r) -> CellValue { return display_string(r.sample.version, 32); }},
    {{8, "mwxLvsConnTableSize", SnmpType::Unsigned32}, [](const InstanceRow& r) -> CellValue { return r.sample.conn_table_size; }},
    {{9, "mwxLvsServices", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.sample.services.size(); }},
    {{10, "mwxLvsRealServers", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.real_servers; }},
    {{21, "mwxLvsAmemthresh", SnmpType::Unsigned32, {}, "pages"}, [](const InstanceRow& r) -> CellValue { return non_negative(r.sample.defence.amemthresh); }},
    {{22, "mwxLvsDropEntry", SnmpType::Unsigned32}, [](const InstanceRow& r) -> CellValue { return non_negative(r.sample.defence.drop_entry); }},
    {{23, "mwxLvsDropPacket", SnmpType::Unsigned32}, [](const InstanceRow& r) -> CellValue { return non_negative(r.sample.defence.drop_packet); }},
    {{24, "mwxLvsSecureTcp", SnmpType::Unsigned32}, [](const InstanceRow& r) -> CellValue { return non_negative(r.sample.defence.secure_tcp); }},
    // The totals' discontinuity, only where there are totals.
    {{25, "mwxLvsDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
     [](const InstanceRow& r) -> CellValue { return r.sample.totals ? CellValue(r.sample.totals_discontinuity_time) : CellValue(); }},
    {{26, "mwxLvsDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const InstanceRow& r) -> CellValue { return r.sample.totals ? CellValue(r.sample.totals_discontinuity_time) : CellValue(); }},
    {{27, "mwxLvsTimeoutTcp", SnmpType::Unsigned32, {}, "seconds"}, [](const InstanceRow& r) -> CellValue { return timeout(r, &KernelTimeouts::tcp); }},
    {{28, "mwxLvsTimeoutTcpFin", SnmpType::Unsigned32, {}, "seconds"}, [](const InstanceRow& r) -> CellValue { return timeout(r, &KernelTimeouts::tcp_fin); }},
    {{29, "mwxLvsTimeoutUdp", SnmpType::Unsigned32, {}, "seconds"}, [](const InstanceRow& r) -> CellValue { return timeout(r, &KernelTimeouts::udp); }},
    {{30, "mwxLvsSyncRole", SnmpType::Integer, {kSyncRoleLabels}}, sync_role},
    {{31, "mwxLvsSyncMasterInterface", SnmpType::OctetString}, [](const InstanceRow& r) { return daemon_interface(r, &SyncDaemons::master); }},
    {{32, "mwxLvsSyncMasterSyncId", SnmpType::Unsigned32}, [](const InstanceRow& r) { return daemon_sync_id(r, &SyncDaemons::master); }},
    {{33, "mwxLvsSyncBackupInterface", SnmpType::OctetString}, [](const InstanceRow& r) { return daemon_interface(r, &SyncDaemons::backup); }},
    {{34, "mwxLvsSyncBackupSyncId", SnmpType::Unsigned32}, [](const InstanceRow& r) { return daemon_sync_id(r, &SyncDaemons::backup); }},
    {{35, "mwxLvsConnEntries", SnmpType::Gauge32, {}, "entries"},
     [](const InstanceRow& r) -> CellValue { return conns(r) ? CellValue(conns(r)->entries) : CellValue(); }},
    {{36, "mwxLvsConnEntriesUnmatched", SnmpType::Gauge32, {}, "entries"},
     [](const InstanceRow& r) -> CellValue { return conns(r) ? CellValue(r.conns_unmatched) : CellValue(); }},
    {{37, "mwxLvsConnCountEnd", SnmpType::Integer, {kConnCountEndLabels}},
     [](const InstanceRow& r) -> CellValue { return conns(r) ? CellValue(static_cast<int>(conns(r)->end) + 1) : CellValue(); }},
    {{38, "mwxLvsConnCountTime", SnmpType::OctetString, kDateAndTime},
     [](const InstanceRow& r) -> CellValue { return conns(r) ? CellValue(conns(r)->counted_at) : CellValue(); }},
    {{39, "mwxLvsConnCountAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const InstanceRow& r) -> CellValue { return conns(r) ? CellValue(conns(r)->counted_at) : CellValue(); }},
    {{40, "mwxLvsConnCountDuration", SnmpType::Unsigned32, {}, "milliseconds"},
     [](const InstanceRow& r) -> CellValue { return conns(r) ? CellValue(conns(r)->duration.count()) : CellValue(); }},
};

// What a service row reads: the service, its label, and what is summed
// over its real servers.
struct ServiceRow {
  const Service& service;
  const std::string& label;
  const ConnCounts* conns;  // null: not counted, or a firewall-mark service
  std::uint64_t active = 0, inactive = 0, weighted = 0;
};

CellValue conns_in(const ServiceRow& r, ConnState state) { return r.conns ? CellValue((*r.conns)[state]) : CellValue(); }

// A service's counts in the last connection count: none for a
// firewall-mark service (an entry names the address the client asked
// for, not the mark); zero for a service with no entry.
const ConnCounts* conn_counts_of(const Sample& sample, const Service& service) {
  static const ConnCounts kNone{};
  if (!sample.conns || service.protocol == Protocol::fwmark) return nullptr;
  const auto found = sample.conns->services.find(conn_service_key(service));
  return found == sample.conns->services.end() ? &kNone : &found->second;
}

// mwxLvsServiceEntry: 1-5 are the index.
const Cell<ServiceRow> kServiceCells[] = {
    {{6, "mwxLvsServiceScheduler", SnmpType::OctetString}, [](const ServiceRow& r) -> CellValue { return display_string(r.service.scheduler, 16); }},
    {{7, "mwxLvsServicePersistenceTimeout", SnmpType::Unsigned32, {}, "seconds"},
     [](const ServiceRow& r) -> CellValue { return r.service.persistence_timeout.value_or(0); }},
    {{8, "mwxLvsServicePersistencePrefix", SnmpType::Unsigned32}, [](const ServiceRow& r) -> CellValue { return r.service.persistence_prefix; }},
    {{9, "mwxLvsServiceActiveConns", SnmpType::Gauge32}, [](const ServiceRow& r) -> CellValue { return r.active; }},
    {{10, "mwxLvsServiceInactiveConns", SnmpType::Gauge32}, [](const ServiceRow& r) -> CellValue { return r.inactive; }},
    {{11, "mwxLvsServiceRealServers", SnmpType::Gauge32}, [](const ServiceRow& r) -> CellValue { return r.service.real_servers.size(); }},
    {{12, "mwxLvsServiceRealServersWeighted", SnmpType::Gauge32}, [](const ServiceRow& r) -> CellValue { return r.weighted; }},
    {{23, "mwxLvsServiceLabel", SnmpType::OctetString}, [](const ServiceRow& r) -> CellValue { return r.label; }},
    {{24, "mwxLvsServiceDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
     [](const ServiceRow& r) -> CellValue { return r.service.discontinuity_time; }},
    {{25, "mwxLvsServiceDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const ServiceRow& r) -> CellValue { return r.service.discontinuity_time; }},
    {{26, "mwxLvsServiceConnEntries", SnmpType::Gauge32, {}, "entries"},
     [](const ServiceRow& r) -> CellValue { return r.conns ? CellValue(r.conns->entries) : CellValue(); }},
    {{27, "mwxLvsServiceConnEstablished", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::established); }},
    {{28, "mwxLvsServiceConnSynSent", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::syn_sent); }},
    {{29, "mwxLvsServiceConnSynRecv", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::syn_recv); }},
    {{30, "mwxLvsServiceConnFinWait", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::fin_wait); }},
    {{31, "mwxLvsServiceConnTimeWait", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::time_wait); }},
    {{32, "mwxLvsServiceConnClose", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::close); }},
    {{33, "mwxLvsServiceConnCloseWait", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::close_wait); }},
    {{34, "mwxLvsServiceConnLastAck", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::last_ack); }},
    {{35, "mwxLvsServiceConnTemplates", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::templates); }},
    {{36, "mwxLvsServiceConnOtherStates", SnmpType::Gauge32, {}, "entries"}, [](const ServiceRow& r) { return conns_in(r, ConnState::other); }},
};

struct RealRow {
  const RealServer& real;
  std::string label;
};

// mwxLvsRealServerEntry: 1-3 are its part of the index.
const Cell<RealRow> kRealCells[] = {
    {{4, "mwxLvsRealServerForwardMethod", SnmpType::Integer, {kForwardLabels}},
     [](const RealRow& r) -> CellValue { return static_cast<int>(r.real.forward); }},
    {{5, "mwxLvsRealServerWeight", SnmpType::Integer}, [](const RealRow& r) -> CellValue { return r.real.weight; }},
    {{6, "mwxLvsRealServerUpperThreshold", SnmpType::Unsigned32}, [](const RealRow& r) -> CellValue { return r.real.upper_threshold; }},
    {{7, "mwxLvsRealServerLowerThreshold", SnmpType::Unsigned32}, [](const RealRow& r) -> CellValue { return r.real.lower_threshold; }},
    {{8, "mwxLvsRealServerActiveConns", SnmpType::Gauge32}, [](const RealRow& r) -> CellValue { return r.real.active_conns; }},
    {{9, "mwxLvsRealServerInactiveConns", SnmpType::Gauge32}, [](const RealRow& r) -> CellValue { return r.real.inactive_conns; }},
    {{10, "mwxLvsRealServerPersistentConns", SnmpType::Gauge32}, [](const RealRow& r) -> CellValue { return r.real.persistent_conns; }},
    {{21, "mwxLvsRealServerLabel", SnmpType::OctetString}, [](const RealRow& r) -> CellValue { return r.label; }},
    {{22, "mwxLvsRealServerDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
     [](const RealRow& r) -> CellValue { return r.real.discontinuity_time; }},
    {{23, "mwxLvsRealServerDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"},
     [](const RealRow& r) -> CellValue { return r.real.discontinuity_time; }},
};

void write_traffic(RowWriter& row, const Column (&columns)[10], const std::optional<Traffic>& traffic) {
  if (!traffic) return;  // procfs has none: absent, not zero
  const std::uint64_t values[] = {traffic->conns,  traffic->in_packets, traffic->out_packets, traffic->in_bytes,
                                  traffic->out_bytes, traffic->cps,    traffic->in_pps,      traffic->out_pps,
                                  traffic->in_bps, traffic->out_bps};
  for (std::size_t i = 0; i < 10; ++i) row.number(columns[i], values[i]);
}

void describe_traffic(MibCatalog& catalog, OidView entry, const std::vector<IndexKind>& index,
                      const Column (&columns)[10]) {
  for (const Column& c : columns) catalog.add_column(entry, index, c);
}

InetAddressType type_of(const Address& address) {
  return address.family == 4 ? InetAddressType::ipv4
         : address.family == 6 ? InetAddressType::ipv6
                               : InetAddressType::unknown;
}

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::tcp: return "tcp";
    case Protocol::udp: return "udp";
    case Protocol::sctp: return "sctp";
    case Protocol::fwmark: return "fwmark";
  }
  return "?";
}

void append_address(Oid& index, const Address& address, std::uint16_t port) {
  index.push_back(static_cast<OidArc>(type_of(address)));
  append_string_index(index, address.octets);
  index.push_back(port);
}

}  // namespace

const Oid& instance_entry_oid() { return table_entry_oid<kMwxLvs, 1>(); }
const Oid& service_entry_oid() { return table_entry_oid<kMwxLvs, 2>(); }
const Oid& real_server_entry_oid() { return table_entry_oid<kMwxLvs, 3>(); }

void append_service_index(Oid& index, const Service& service) {
  index.push_back(static_cast<OidArc>(service.protocol));
  append_address(index, service.address, service.port);
  index.push_back(service.fwmark);
}

std::string service_label(const Service& service) {
  if (service.protocol == Protocol::fwmark) {
    // As ipvsadm -L writes an IPv6 one: "FWM  1 IPv6 wlc".
    return "fwmark " + std::to_string(service.fwmark) + (service.address.family == 6 ? " IPv6" : "");
  }
  return std::string(protocol_name(service.protocol)) + " " + endpoint_text(service.address.octets, service.port);
}

std::string real_server_label(const RealServer& real) { return endpoint_text(real.address.octets, real.port); }

void write_instance_data(RowWriter& row, const Sample& sample) {
  std::uint64_t reals = 0, matched = 0;
  for (const auto& service : sample.services) {
    reals += service.real_servers.size();
    if (const ConnCounts* counts = conn_counts_of(sample, service)) matched += counts->entries;
  }
  const std::uint64_t unmatched = sample.conns ? sample.conns->entries - matched : 0;
  row.cells<InstanceRow>(kInstanceCells, {sample, reals, unmatched});
  write_traffic(row, kTotalTraffic, sample.totals);
}

void write_service_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                        const Sample& sample) {
  Oid service_index, real_index;
  for (const auto& service : sample.services) {
    service_index.assign(name_index.begin(), name_index.end());
    append_service_index(service_index, service);
    const std::string label = nested_label(name, service_label(service));
    ServiceRow counted{service, label, conn_counts_of(sample, service)};
    for (const auto& real : service.real_servers) {
      counted.active += real.active_conns;
      counted.inactive += real.inactive_conns;
      if (real.weight > 0) ++counted.weighted;
    }
    RowWriter row(out, service_entry_oid(), service_index, instance);
    row.cells<ServiceRow>(kServiceCells, counted);
    write_traffic(row, kServiceTraffic, service.traffic);
    for (const auto& real : service.real_servers) {
      real_index = service_index;
      append_address(real_index, real.address, real.port);
      RowWriter real_row(out, real_server_entry_oid(), real_index, instance);
      real_row.cells<RealRow>(kRealCells, {real, label + " -> " + real_server_label(real)});
      write_traffic(real_row, kRealTraffic, real.traffic);
    }
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  // name, protocol, address type, address, port, fwmark
  const std::vector<IndexKind> by_service{IndexKind::String,      IndexKind::Integer, IndexKind::Integer,
                                          IndexKind::InetAddress, IndexKind::Integer, IndexKind::Integer};
  std::vector<IndexKind> by_real = by_service;
  by_real.insert(by_real.end(), {IndexKind::Integer, IndexKind::InetAddress, IndexKind::Integer});

  catalog.add_instance_columns("mwxLvs", instance_entry_oid());
  catalog.add_cells<InstanceRow>(instance_entry_oid(), by_name, kInstanceCells);
  describe_traffic(catalog, instance_entry_oid(), by_name, kTotalTraffic);
  catalog.add_cells<ServiceRow>(service_entry_oid(), by_service, kServiceCells);
  describe_traffic(catalog, service_entry_oid(), by_service, kServiceTraffic);
  catalog.add_cells<RealRow>(real_server_entry_oid(), by_real, kRealCells);
  describe_traffic(catalog, real_server_entry_oid(), by_real, kRealTraffic);
}

}  // namespace mwx::lvs
