#include "handlers/lvs/mib.hpp"

#include "agent/base/inet_address.hpp"
#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx::lvs {
namespace {

constexpr OidArc kMwxLvs = 6;  // mwxObjects.6

constexpr EnumLabel kSourceLabels[] = {{1, "procfs"}, {2, "netlink"}};
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

// mwxLvsEntry beyond the columns every instance table has (and the totals).
constexpr Column kSource{6, "mwxLvsSource", SnmpType::Integer, {kSourceLabels}};
constexpr Column kVersion{7, "mwxLvsVersion", SnmpType::OctetString};
constexpr Column kConnTableSize{8, "mwxLvsConnTableSize", SnmpType::Unsigned32};
constexpr Column kServices{9, "mwxLvsServices", SnmpType::Gauge32};
constexpr Column kRealServers{10, "mwxLvsRealServers", SnmpType::Gauge32};
constexpr Column kAmemthresh{21, "mwxLvsAmemthresh", SnmpType::Unsigned32, {}, "pages"};
constexpr Column kDropEntry{22, "mwxLvsDropEntry", SnmpType::Unsigned32};
constexpr Column kDropPacket{23, "mwxLvsDropPacket", SnmpType::Unsigned32};
constexpr Column kSecureTcp{24, "mwxLvsSecureTcp", SnmpType::Unsigned32};
constexpr Column kDiscontinuityTime{25, "mwxLvsDiscontinuityTime", SnmpType::OctetString, kDateAndTime};
constexpr Column kDiscontinuityAge{26, "mwxLvsDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kInstanceColumns[] = {&kSource,     &kVersion,    &kConnTableSize, &kServices,
                                              &kRealServers, &kAmemthresh, &kDropEntry,    &kDropPacket,
                                              &kSecureTcp,  &kDiscontinuityTime, &kDiscontinuityAge};

// mwxLvsServiceEntry: 1-5 are the index.
constexpr Column kScheduler{6, "mwxLvsServiceScheduler", SnmpType::OctetString};
constexpr Column kPersistenceTimeout{7, "mwxLvsServicePersistenceTimeout", SnmpType::Unsigned32, {}, "seconds"};
constexpr Column kPersistencePrefix{8, "mwxLvsServicePersistencePrefix", SnmpType::Unsigned32};
constexpr Column kServiceActive{9, "mwxLvsServiceActiveConns", SnmpType::Gauge32};
constexpr Column kServiceInactive{10, "mwxLvsServiceInactiveConns", SnmpType::Gauge32};
constexpr Column kServiceReals{11, "mwxLvsServiceRealServers", SnmpType::Gauge32};
constexpr Column kServiceRealsWeighted{12, "mwxLvsServiceRealServersWeighted", SnmpType::Gauge32};
constexpr Column kServiceLabel{23, "mwxLvsServiceLabel", SnmpType::OctetString};
constexpr Column kServiceDiscontinuityTime{24, "mwxLvsServiceDiscontinuityTime", SnmpType::OctetString,
                                           kDateAndTime};
constexpr Column kServiceDiscontinuityAge{25, "mwxLvsServiceDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kServiceColumns[] = {&kScheduler,       &kPersistenceTimeout, &kPersistencePrefix,
                                             &kServiceActive,   &kServiceInactive,    &kServiceReals,
                                             &kServiceRealsWeighted, &kServiceLabel,  &kServiceDiscontinuityTime,
                                             &kServiceDiscontinuityAge};

// mwxLvsRealServerEntry: 1-3 are its part of the index.
constexpr Column kForward{4, "mwxLvsRealServerForwardMethod", SnmpType::Integer, {kForwardLabels}};
constexpr Column kWeight{5, "mwxLvsRealServerWeight", SnmpType::Integer};
constexpr Column kUpperThreshold{6, "mwxLvsRealServerUpperThreshold", SnmpType::Unsigned32};
constexpr Column kLowerThreshold{7, "mwxLvsRealServerLowerThreshold", SnmpType::Unsigned32};
constexpr Column kRealActive{8, "mwxLvsRealServerActiveConns", SnmpType::Gauge32};
constexpr Column kRealInactive{9, "mwxLvsRealServerInactiveConns", SnmpType::Gauge32};
constexpr Column kRealPersistent{10, "mwxLvsRealServerPersistentConns", SnmpType::Gauge32};
constexpr Column kRealLabel{21, "mwxLvsRealServerLabel", SnmpType::OctetString};
constexpr Column kRealDiscontinuityTime{22, "mwxLvsRealServerDiscontinuityTime", SnmpType::OctetString,
                                        kDateAndTime};
constexpr Column kRealDiscontinuityAge{23, "mwxLvsRealServerDiscontinuityAge", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kRealColumns[] = {&kForward,      &kWeight,        &kUpperThreshold,        &kLowerThreshold,
                                          &kRealActive,   &kRealInactive,  &kRealPersistent,        &kRealLabel,
                                          &kRealDiscontinuityTime, &kRealDiscontinuityAge};

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

std::optional<std::uint64_t> non_negative(const std::optional<std::int64_t>& value) {
  if (!value || *value < 0) return std::nullopt;
  return static_cast<std::uint64_t>(*value);
}

}  // namespace

const Oid& instance_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxLvs), {1, 1});
  return oid;
}

const Oid& service_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxLvs), {2, 1});
  return oid;
}

const Oid& real_server_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxLvs), {3, 1});
  return oid;
}

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
  row.integer(kSource, static_cast<int>(sample.source));
  row.text(kVersion, display_string(sample.version, 32));
  row.number(kConnTableSize, sample.conn_table_size);
  std::uint64_t reals = 0;
  for (const auto& service : sample.services) reals += service.real_servers.size();
  row.number(kServices, sample.services.size());
  row.number(kRealServers, reals);
  write_traffic(row, kTotalTraffic, sample.totals);
  if (sample.totals) row.time_and_age(kDiscontinuityTime, kDiscontinuityAge, sample.totals_discontinuity_time);
  row.number(kAmemthresh, non_negative(sample.defence.amemthresh));
  row.number(kDropEntry, non_negative(sample.defence.drop_entry));
  row.number(kDropPacket, non_negative(sample.defence.drop_packet));
  row.number(kSecureTcp, non_negative(sample.defence.secure_tcp));
}

void write_service_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                        const Sample& sample) {
  Oid service_index, real_index;
  for (const auto& service : sample.services) {
    service_index.assign(name_index.begin(), name_index.end());
    append_service_index(service_index, service);
    RowWriter row(out, service_entry_oid(), service_index, instance);
    const std::string label = nested_label(name, service_label(service));
    row.text(kServiceLabel, label);
    row.time_and_age(kServiceDiscontinuityTime, kServiceDiscontinuityAge, service.discontinuity_time);
    row.text(kScheduler, display_string(service.scheduler, 16));
    row.number(kPersistenceTimeout, service.persistence_timeout.value_or(0));
    row.number(kPersistencePrefix, service.persistence_prefix);
    std::uint64_t active = 0, inactive = 0, weighted = 0;
    for (const auto& real : service.real_servers) {
      active += real.active_conns;
      inactive += real.inactive_conns;
      if (real.weight > 0) ++weighted;
    }
    row.number(kServiceActive, active);
    row.number(kServiceInactive, inactive);
    row.number(kServiceReals, service.real_servers.size());
    row.number(kServiceRealsWeighted, weighted);
    write_traffic(row, kServiceTraffic, service.traffic);

    for (const auto& real : service.real_servers) {
      real_index = service_index;
      append_address(real_index, real.address, real.port);
      RowWriter real_row(out, real_server_entry_oid(), real_index, instance);
      real_row.text(kRealLabel, label + " -> " + real_server_label(real));
      real_row.time_and_age(kRealDiscontinuityTime, kRealDiscontinuityAge, real.discontinuity_time);
      real_row.integer(kForward, static_cast<int>(real.forward));
      real_row.integer(kWeight, real.weight);
      real_row.number(kUpperThreshold, real.upper_threshold);
      real_row.number(kLowerThreshold, real.lower_threshold);
      real_row.number(kRealActive, real.active_conns);
      real_row.number(kRealInactive, real.inactive_conns);
      real_row.number(kRealPersistent, real.persistent_conns);
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
  catalog.add_columns(instance_entry_oid(), by_name, kInstanceColumns);
  describe_traffic(catalog, instance_entry_oid(), by_name, kTotalTraffic);
  catalog.add_columns(service_entry_oid(), by_service, kServiceColumns);
  describe_traffic(catalog, service_entry_oid(), by_service, kServiceTraffic);
  catalog.add_columns(real_server_entry_oid(), by_real, kRealColumns);
  describe_traffic(catalog, real_server_entry_oid(), by_real, kRealTraffic);
}

}  // namespace mwx::lvs
