#include "handlers/lvs/mib.hpp"

#include "agent/inet_address.hpp"
#include "agent/mib_root.hpp"
#include "agent/text_values.hpp"

namespace mwx::lvs {
namespace {

constexpr OidArc kMwxLvs = 6;  // mwxObjects.6

// Instance table columns beyond the common ones (1-5).
constexpr OidArc kSource = 6, kVersion = 7, kConnTableSize = 8, kServices = 9, kRealServers = 10,
                 kTotalsFirst = 11,  // 11-15 counters, 16-20 rates
                 kAmemthresh = 21, kDropEntry = 22, kDropPacket = 23, kSecureTcp = 24, kDiscontinuityTime = 25,
                 kDiscontinuityAge = 26;
// Service table: 1-5 are the index.
constexpr OidArc kScheduler = 6, kPersistenceTimeout = 7, kPersistencePrefix = 8, kServiceActive = 9,
                 kServiceInactive = 10, kServiceReals = 11, kServiceRealsWeighted = 12, kServiceTrafficFirst = 13,
                 kServiceLabel = 23, kServiceDiscontinuityTime = 24, kServiceDiscontinuityAge = 25;
// Real server table: 1-3 are its part of the index.
constexpr OidArc kForward = 4, kWeight = 5, kUpperThreshold = 6, kLowerThreshold = 7, kRealActive = 8,
                 kRealInactive = 9, kRealPersistent = 10, kRealTrafficFirst = 11, kRealLabel = 21,
                 kRealDiscontinuityTime = 22, kRealDiscontinuityAge = 23;

constexpr EnumLabel kSourceLabels[] = {{1, "procfs"}, {2, "netlink"}};
constexpr EnumLabel kForwardLabels[] = {{1, "masq"}, {2, "local"}, {3, "tunnel"}, {4, "route"}, {5, "bypass"}};

// The ten traffic columns, in the order every table lists them.
constexpr const char* kTrafficNames[] = {"Conns", "InPkts", "OutPkts", "InBytes", "OutBytes",
                                         "Cps",   "InPps",  "OutPps",  "InBps",   "OutBps"};

void write_traffic(RowWriter& row, OidArc first, const std::optional<Traffic>& traffic) {
  if (!traffic) return;  // procfs has none: absent, not zero
  const std::uint64_t values[] = {traffic->conns,  traffic->in_packets, traffic->out_packets, traffic->in_bytes,
                                  traffic->out_bytes, traffic->cps,    traffic->in_pps,      traffic->out_pps,
                                  traffic->in_bps, traffic->out_bps};
  for (OidArc i = 0; i < 10; ++i) row.number(first + i, i < 5 ? SnmpType::Counter64 : SnmpType::Gauge32, values[i]);
}

void describe_traffic(MibCatalog& catalog, const std::string& prefix, const Oid& entry, OidArc first,
                      const std::vector<IndexKind>& index) {
  for (OidArc i = 0; i < 10; ++i) {
    catalog.add_column(prefix + kTrafficNames[i], concat(entry, {first + i}),
                       i < 5 ? SnmpType::Counter64 : SnmpType::Gauge32, index);
  }
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
  row.number(kConnTableSize, SnmpType::Unsigned32, sample.conn_table_size);
  std::uint64_t reals = 0;
  for (const auto& service : sample.services) reals += service.real_servers.size();
  row.number(kServices, SnmpType::Gauge32, sample.services.size());
  row.number(kRealServers, SnmpType::Gauge32, reals);
  write_traffic(row, kTotalsFirst, sample.totals);
  if (sample.totals) row.time_and_age(kDiscontinuityTime, kDiscontinuityAge, sample.totals_discontinuity_time);
  row.number(kAmemthresh, SnmpType::Unsigned32, non_negative(sample.defence.amemthresh));
  row.number(kDropEntry, SnmpType::Unsigned32, non_negative(sample.defence.drop_entry));
  row.number(kDropPacket, SnmpType::Unsigned32, non_negative(sample.defence.drop_packet));
  row.number(kSecureTcp, SnmpType::Unsigned32, non_negative(sample.defence.secure_tcp));
}

void write_service_rows(SnapshotBuilder& out, OidView name_index, Snapshot::InstanceSlot instance,
                        const Sample& sample) {
  Oid service_index, real_index;
  for (const auto& service : sample.services) {
    service_index.assign(name_index.begin(), name_index.end());
    append_service_index(service_index, service);
    RowWriter row(out, service_entry_oid(), service_index, instance);
    row.text(kServiceLabel, service_label(service));
    row.time_and_age(kServiceDiscontinuityTime, kServiceDiscontinuityAge, service.discontinuity_time);
    row.text(kScheduler, display_string(service.scheduler, 16));
    row.number(kPersistenceTimeout, SnmpType::Unsigned32, service.persistence_timeout.value_or(0));
    row.number(kPersistencePrefix, SnmpType::Unsigned32, service.persistence_prefix);
    std::uint64_t active = 0, inactive = 0, weighted = 0;
    for (const auto& real : service.real_servers) {
      active += real.active_conns;
      inactive += real.inactive_conns;
      if (real.weight > 0) ++weighted;
    }
    row.number(kServiceActive, SnmpType::Gauge32, active);
    row.number(kServiceInactive, SnmpType::Gauge32, inactive);
    row.number(kServiceReals, SnmpType::Gauge32, service.real_servers.size());
    row.number(kServiceRealsWeighted, SnmpType::Gauge32, weighted);
    write_traffic(row, kServiceTrafficFirst, service.traffic);

    for (const auto& real : service.real_servers) {
      real_index = service_index;
      append_address(real_index, real.address, real.port);
      RowWriter real_row(out, real_server_entry_oid(), real_index, instance);
      real_row.text(kRealLabel, real_server_label(real));
      real_row.time_and_age(kRealDiscontinuityTime, kRealDiscontinuityAge, real.discontinuity_time);
      real_row.integer(kForward, static_cast<int>(real.forward));
      real_row.integer(kWeight, real.weight);
      real_row.number(kUpperThreshold, SnmpType::Unsigned32, real.upper_threshold);
      real_row.number(kLowerThreshold, SnmpType::Unsigned32, real.lower_threshold);
      real_row.number(kRealActive, SnmpType::Gauge32, real.active_conns);
      real_row.number(kRealInactive, SnmpType::Gauge32, real.inactive_conns);
      real_row.number(kRealPersistent, SnmpType::Gauge32, real.persistent_conns);
      write_traffic(real_row, kRealTrafficFirst, real.traffic);
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

  const Oid& entry = instance_entry_oid();
  add_instance_columns(catalog, "mwxLvs", entry);
  const std::tuple<OidArc, const char*, SnmpType, Syntax> instance_columns[] = {
      {kSource, "mwxLvsSource", SnmpType::Integer, {kSourceLabels}},
      {kVersion, "mwxLvsVersion", SnmpType::OctetString, {}},
      {kConnTableSize, "mwxLvsConnTableSize", SnmpType::Unsigned32, {}},
      {kServices, "mwxLvsServices", SnmpType::Gauge32, {}},
      {kRealServers, "mwxLvsRealServers", SnmpType::Gauge32, {}},
      {kAmemthresh, "mwxLvsAmemthresh", SnmpType::Unsigned32, {}},
      {kDropEntry, "mwxLvsDropEntry", SnmpType::Unsigned32, {}},
      {kDropPacket, "mwxLvsDropPacket", SnmpType::Unsigned32, {}},
      {kSecureTcp, "mwxLvsSecureTcp", SnmpType::Unsigned32, {}},
      {kDiscontinuityTime, "mwxLvsDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
      {kDiscontinuityAge, "mwxLvsDiscontinuityAge", SnmpType::Unsigned32, {}},
  };
  for (const auto& [column, name, type, syntax] : instance_columns) {
    catalog.add_column(name, concat(entry, {column}), type, by_name, syntax);
  }
  describe_traffic(catalog, "mwxLvsTotal", entry, kTotalsFirst, by_name);

  const Oid& service = service_entry_oid();
  const std::tuple<OidArc, const char*, SnmpType, Syntax> service_columns[] = {
      {kScheduler, "mwxLvsServiceScheduler", SnmpType::OctetString, {}},
      {kPersistenceTimeout, "mwxLvsServicePersistenceTimeout", SnmpType::Unsigned32, {}},
      {kPersistencePrefix, "mwxLvsServicePersistencePrefix", SnmpType::Unsigned32, {}},
      {kServiceActive, "mwxLvsServiceActiveConns", SnmpType::Gauge32, {}},
      {kServiceInactive, "mwxLvsServiceInactiveConns", SnmpType::Gauge32, {}},
      {kServiceReals, "mwxLvsServiceRealServers", SnmpType::Gauge32, {}},
      {kServiceRealsWeighted, "mwxLvsServiceRealServersWeighted", SnmpType::Gauge32, {}},
      {kServiceLabel, "mwxLvsServiceLabel", SnmpType::OctetString, {}},
      {kServiceDiscontinuityTime, "mwxLvsServiceDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
      {kServiceDiscontinuityAge, "mwxLvsServiceDiscontinuityAge", SnmpType::Unsigned32, {}},
  };
  for (const auto& [column, name, type, syntax] : service_columns) {
    catalog.add_column(name, concat(service, {column}), type, by_service, syntax);
  }
  describe_traffic(catalog, "mwxLvsService", service, kServiceTrafficFirst, by_service);

  const Oid& real = real_server_entry_oid();
  const std::tuple<OidArc, const char*, SnmpType, Syntax> real_columns[] = {
      {kForward, "mwxLvsRealServerForwardMethod", SnmpType::Integer, {kForwardLabels}},
      {kWeight, "mwxLvsRealServerWeight", SnmpType::Integer, {}},
      {kUpperThreshold, "mwxLvsRealServerUpperThreshold", SnmpType::Unsigned32, {}},
      {kLowerThreshold, "mwxLvsRealServerLowerThreshold", SnmpType::Unsigned32, {}},
      {kRealActive, "mwxLvsRealServerActiveConns", SnmpType::Gauge32, {}},
      {kRealInactive, "mwxLvsRealServerInactiveConns", SnmpType::Gauge32, {}},
      {kRealPersistent, "mwxLvsRealServerPersistentConns", SnmpType::Gauge32, {}},
      {kRealLabel, "mwxLvsRealServerLabel", SnmpType::OctetString, {}},
      {kRealDiscontinuityTime, "mwxLvsRealServerDiscontinuityTime", SnmpType::OctetString, kDateAndTime},
      {kRealDiscontinuityAge, "mwxLvsRealServerDiscontinuityAge", SnmpType::Unsigned32, {}},
  };
  for (const auto& [column, name, type, syntax] : real_columns) {
    catalog.add_column(name, concat(real, {column}), type, by_real, syntax);
  }
  describe_traffic(catalog, "mwxLvsRealServer", real, kRealTrafficFirst, by_real);
}

}  // namespace mwx::lvs
