#include "handlers/lvs/netlink.hpp"

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <array>
#include <cstring>

namespace mwx::lvs {
namespace {

struct Policies {
  nla_policy command[IPVS_CMD_ATTR_MAX + 1]{};
  nla_policy service[IPVS_SVC_ATTR_MAX + 1]{};
  nla_policy dest[IPVS_DEST_ATTR_MAX + 1]{};
  nla_policy stats[IPVS_STATS_ATTR_MAX + 1]{};
  nla_policy stats64[IPVS_STATS_ATTR_MAX + 1]{};
  nla_policy info[IPVS_INFO_ATTR_MAX + 1]{};
  nla_policy daemon[IPVS_DAEMON_ATTR_MAX + 1]{};

  // The attribute types and minimum lengths the kernel uses
  // (net/netfilter/ipvs/ip_vs_ctl.c); libnl refuses shorter attributes.
  Policies() {
    command[IPVS_CMD_ATTR_SERVICE].type = NLA_NESTED;
    command[IPVS_CMD_ATTR_DEST].type = NLA_NESTED;
    command[IPVS_CMD_ATTR_DAEMON].type = NLA_NESTED;
    command[IPVS_CMD_ATTR_TIMEOUT_TCP].type = NLA_U32;
    command[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN].type = NLA_U32;
    command[IPVS_CMD_ATTR_TIMEOUT_UDP].type = NLA_U32;
    daemon[IPVS_DAEMON_ATTR_STATE].type = NLA_U32;
    daemon[IPVS_DAEMON_ATTR_MCAST_IFN] = {NLA_STRING, 0, IP_VS_IFNAME_MAXLEN};
    daemon[IPVS_DAEMON_ATTR_SYNC_ID].type = NLA_U32;
    info[IPVS_INFO_ATTR_VERSION].type = NLA_U32;
    info[IPVS_INFO_ATTR_CONN_TAB_SIZE].type = NLA_U32;
    table_policies();
  }

  // Services, real servers and their statistics.
  void table_policies() {
    service[IPVS_SVC_ATTR_AF].type = NLA_U16;
    service[IPVS_SVC_ATTR_PROTOCOL].type = NLA_U16;
    service[IPVS_SVC_ATTR_ADDR] = {NLA_UNSPEC, sizeof(in_addr), sizeof(in6_addr)};
    service[IPVS_SVC_ATTR_PORT].type = NLA_U16;
    service[IPVS_SVC_ATTR_FWMARK].type = NLA_U32;
    service[IPVS_SVC_ATTR_SCHED_NAME] = {NLA_STRING, 0, IP_VS_SCHEDNAME_MAXLEN};
    service[IPVS_SVC_ATTR_PE_NAME] = {NLA_STRING, 0, IP_VS_PENAME_MAXLEN};
    service[IPVS_SVC_ATTR_FLAGS] = {NLA_UNSPEC, sizeof(ip_vs_flags), 0};
    service[IPVS_SVC_ATTR_TIMEOUT].type = NLA_U32;
    service[IPVS_SVC_ATTR_NETMASK].type = NLA_U32;
    service[IPVS_SVC_ATTR_STATS].type = NLA_NESTED;
    service[IPVS_SVC_ATTR_STATS64].type = NLA_NESTED;
    dest[IPVS_DEST_ATTR_ADDR] = {NLA_UNSPEC, sizeof(in_addr), sizeof(in6_addr)};
    dest[IPVS_DEST_ATTR_PORT].type = NLA_U16;
    dest[IPVS_DEST_ATTR_FWD_METHOD].type = NLA_U32;
    dest[IPVS_DEST_ATTR_WEIGHT].type = NLA_U32;
    dest[IPVS_DEST_ATTR_U_THRESH].type = NLA_U32;
    dest[IPVS_DEST_ATTR_L_THRESH].type = NLA_U32;
    dest[IPVS_DEST_ATTR_ACTIVE_CONNS].type = NLA_U32;
    dest[IPVS_DEST_ATTR_INACT_CONNS].type = NLA_U32;
    dest[IPVS_DEST_ATTR_PERSIST_CONNS].type = NLA_U32;
    dest[IPVS_DEST_ATTR_STATS].type = NLA_NESTED;
    dest[IPVS_DEST_ATTR_STATS64].type = NLA_NESTED;
    dest[IPVS_DEST_ATTR_ADDR_FAMILY].type = NLA_U16;
    for (int a : {IPVS_STATS_ATTR_CONNS, IPVS_STATS_ATTR_INPKTS, IPVS_STATS_ATTR_OUTPKTS, IPVS_STATS_ATTR_CPS,
                  IPVS_STATS_ATTR_INPPS, IPVS_STATS_ATTR_OUTPPS, IPVS_STATS_ATTR_INBPS, IPVS_STATS_ATTR_OUTBPS}) {
      stats[a].type = NLA_U32;
    }
    stats[IPVS_STATS_ATTR_INBYTES].type = NLA_U64;
    stats[IPVS_STATS_ATTR_OUTBYTES].type = NLA_U64;
    for (int a = IPVS_STATS_ATTR_CONNS; a <= IPVS_STATS_ATTR_OUTBPS; ++a) stats64[a].type = NLA_U64;
  }
};

const Policies& policies() {
  static const Policies p;
  return p;
}

std::string libnl_error(int code) { return nl_geterror(code); }

using CommandAttributes = std::array<nlattr*, IPVS_CMD_ATTR_MAX + 1>;

// A message's top-level attributes.
Result<CommandAttributes> command_attributes(nl_msg* message) {
  CommandAttributes top{};
  const int rc = genlmsg_parse(nlmsg_hdr(message), 0, top.data(), IPVS_CMD_ATTR_MAX,
                               const_cast<nla_policy*>(policies().command));
  if (rc < 0) return Error{"malformed message: " + libnl_error(rc)};
  return top;
}

// The nested attributes of IPVS_CMD_ATTR_SERVICE, _DEST or _DAEMON.
Result<nlattr*> command_attribute(nl_msg* message, int which) {
  auto top = command_attributes(message);
  if (!top) return Error{top.error()};
  if (top.value()[which] == nullptr) {
    return Error{which == IPVS_CMD_ATTR_SERVICE ? "no service attribute"
                 : which == IPVS_CMD_ATTR_DEST  ? "no destination attribute"
                                                : "no daemon attribute"};
  }
  return top.value()[which];
}

// STATS64 (every value 64-bit) where the kernel has it, else STATS.
Result<Traffic> decode_traffic(nlattr* stats64, nlattr* stats32) {
  nlattr* tb[IPVS_STATS_ATTR_MAX + 1]{};
  const bool wide = stats64 != nullptr;
  const int rc = nla_parse_nested(tb, IPVS_STATS_ATTR_MAX, wide ? stats64 : stats32,
                                  const_cast<nla_policy*>(wide ? policies().stats64 : policies().stats));
  if (rc < 0) return Error{"malformed statistics: " + libnl_error(rc)};
  const auto get = [&](int attribute) -> std::optional<std::uint64_t> {
    if (tb[attribute] == nullptr) return std::nullopt;
    const bool is64 = wide || attribute == IPVS_STATS_ATTR_INBYTES || attribute == IPVS_STATS_ATTR_OUTBYTES;
    return is64 ? nla_get_u64(tb[attribute]) : nla_get_u32(tb[attribute]);
  };
  Traffic t;
  std::uint64_t* fields[] = {&t.conns, &t.in_packets, &t.out_packets, &t.in_bytes, &t.out_bytes,
                             &t.cps,   &t.in_pps,     &t.out_pps,     &t.in_bps,   &t.out_bps};
  for (int a = IPVS_STATS_ATTR_CONNS; a <= IPVS_STATS_ATTR_OUTBPS; ++a) {
    const auto value = get(a);
    if (!value) return Error{"statistics lack attribute " + std::to_string(a)};
    *fields[a - IPVS_STATS_ATTR_CONNS] = *value;
  }
  return t;
}

Result<Address> decode_address(nlattr* attribute, int family) {
  Address address;
  const auto* bytes = static_cast<const char*>(nla_data(attribute));
  const int length = nla_len(attribute);
  if (family == AF_INET) {
    address.family = 4;
    address.octets.assign(bytes, 4);
  } else if (family == AF_INET6) {
    if (length < 16) return Error{"IPv6 address of " + std::to_string(length) + " bytes"};
    address.family = 6;
    address.octets.assign(bytes, 16);
  } else {
    return Error{"unknown address family " + std::to_string(family)};
  }
  return address;
}

std::optional<Protocol> protocol_of(std::uint16_t number) {
  switch (number) {
    case IPPROTO_TCP: return Protocol::tcp;
    case IPPROTO_UDP: return Protocol::udp;
    case IPPROTO_SCTP: return Protocol::sctp;
    default: return std::nullopt;
  }
}

using ServiceAttributes = nlattr* [IPVS_SVC_ATTR_MAX + 1];

// What names the service: its firewall mark, or its protocol, address and port.
std::optional<Error> decode_service_key(const ServiceAttributes& tb, int family, Service& service) {
  if (tb[IPVS_SVC_ATTR_FWMARK] != nullptr) {
    service.protocol = Protocol::fwmark;
    service.fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
    // The family tells an IPv4 and an IPv6 service with the same mark apart.
    service.address.family = family == AF_INET ? 4 : 6;
    service.address.octets.assign(family == AF_INET ? 4 : 16, '\0');
    return std::nullopt;
  }
  if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_ADDR] || !tb[IPVS_SVC_ATTR_PORT]) {
    return Error{"service without firewall mark nor protocol, address and port"};
  }
  const auto protocol = protocol_of(nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]));
  if (!protocol) return Error{"unknown protocol " + std::to_string(nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]))};
  service.protocol = *protocol;
  auto address = decode_address(tb[IPVS_SVC_ATTR_ADDR], family);
  if (!address) return Error{address.error()};
  service.address = std::move(address).value();
  service.port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
  return std::nullopt;
}

std::optional<Error> decode_persistence(const ServiceAttributes& tb, int family, Service& service) {
  if (tb[IPVS_SVC_ATTR_FLAGS] == nullptr) return std::nullopt;
  ip_vs_flags flags{};
  std::memcpy(&flags, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof flags);
  if ((flags.flags & IP_VS_SVC_F_PERSISTENT) == 0) return std::nullopt;
  if (!tb[IPVS_SVC_ATTR_TIMEOUT] || !tb[IPVS_SVC_ATTR_NETMASK]) return Error{"persistent service without timeout"};
  service.persistence_timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
  // IPv4: a netmask in network order; IPv6: a prefix length.
  const std::uint32_t netmask = nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]);
  service.persistence_prefix = family == AF_INET ? prefix_length_of_mask(ntohl(netmask)) : netmask;
  return std::nullopt;
}

}  // namespace

Result<Service> decode_service_message(nl_msg* message, int* kernel_family) {
  auto nested = command_attribute(message, IPVS_CMD_ATTR_SERVICE);
  if (!nested) return Error{nested.error()};
  ServiceAttributes tb{};
  const int rc = nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, nested.value(), const_cast<nla_policy*>(policies().service));
  if (rc < 0) return Error{"malformed service: " + libnl_error(rc)};
  if (tb[IPVS_SVC_ATTR_AF] == nullptr) return Error{"service without address family"};
  if (tb[IPVS_SVC_ATTR_SCHED_NAME] == nullptr) return Error{"service without scheduler"};
  const int family = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
  if (family != AF_INET && family != AF_INET6) return Error{"unknown address family " + std::to_string(family)};
  if (kernel_family != nullptr) *kernel_family = family;
  Service service;
  if (auto error = decode_service_key(tb, family, service)) return std::move(*error);
  service.scheduler = nla_get_string(tb[IPVS_SVC_ATTR_SCHED_NAME]);
  if (auto error = decode_persistence(tb, family, service)) return std::move(*error);
  if (tb[IPVS_SVC_ATTR_STATS64] != nullptr || tb[IPVS_SVC_ATTR_STATS] != nullptr) {
    auto traffic = decode_traffic(tb[IPVS_SVC_ATTR_STATS64], tb[IPVS_SVC_ATTR_STATS]);
    if (!traffic) return Error{"service " + traffic.error()};
    service.traffic = traffic.value();
  }
  return service;
}

Result<RealServer> decode_dest_message(nl_msg* message, int service_family) {
  auto nested = command_attribute(message, IPVS_CMD_ATTR_DEST);
  if (!nested) return Error{nested.error()};
  nlattr* tb[IPVS_DEST_ATTR_MAX + 1]{};
  const int rc = nla_parse_nested(tb, IPVS_DEST_ATTR_MAX, nested.value(), const_cast<nla_policy*>(policies().dest));
  if (rc < 0) return Error{"malformed destination: " + libnl_error(rc)};
  for (int required : {IPVS_DEST_ATTR_ADDR, IPVS_DEST_ATTR_PORT, IPVS_DEST_ATTR_FWD_METHOD, IPVS_DEST_ATTR_WEIGHT,
                       IPVS_DEST_ATTR_ACTIVE_CONNS, IPVS_DEST_ATTR_INACT_CONNS}) {
    if (tb[required] == nullptr) return Error{"destination lacks attribute " + std::to_string(required)};
  }
  const int family = tb[IPVS_DEST_ATTR_ADDR_FAMILY] ? nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : service_family;
  RealServer real;
  auto address = decode_address(tb[IPVS_DEST_ATTR_ADDR], family);
  if (!address) return Error{address.error()};
  real.address = std::move(address).value();
  real.port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
  switch (nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK) {
    case IP_VS_CONN_F_MASQ: real.forward = ForwardMethod::masq; break;
    case IP_VS_CONN_F_LOCALNODE: real.forward = ForwardMethod::local; break;
    case IP_VS_CONN_F_TUNNEL: real.forward = ForwardMethod::tunnel; break;
    case IP_VS_CONN_F_DROUTE: real.forward = ForwardMethod::route; break;
    case IP_VS_CONN_F_BYPASS: real.forward = ForwardMethod::bypass; break;
    default: return Error{"unknown forwarding method"};
  }
  real.weight = static_cast<std::int32_t>(nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]));
  real.active_conns = nla_get_u32(tb[IPVS_DEST_ATTR_ACTIVE_CONNS]);
  real.inactive_conns = nla_get_u32(tb[IPVS_DEST_ATTR_INACT_CONNS]);
  if (tb[IPVS_DEST_ATTR_PERSIST_CONNS]) real.persistent_conns = nla_get_u32(tb[IPVS_DEST_ATTR_PERSIST_CONNS]);
  if (tb[IPVS_DEST_ATTR_U_THRESH]) real.upper_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
  if (tb[IPVS_DEST_ATTR_L_THRESH]) real.lower_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
  if (tb[IPVS_DEST_ATTR_STATS64] != nullptr || tb[IPVS_DEST_ATTR_STATS] != nullptr) {
    auto traffic = decode_traffic(tb[IPVS_DEST_ATTR_STATS64], tb[IPVS_DEST_ATTR_STATS]);
    if (!traffic) return Error{"destination " + traffic.error()};
    real.traffic = traffic.value();
  }
  return real;
}

Result<IpvsInfo> decode_info_message(nl_msg* message) {
  nlattr* tb[IPVS_INFO_ATTR_MAX + 1]{};
  const int rc = genlmsg_parse(nlmsg_hdr(message), 0, tb, IPVS_INFO_ATTR_MAX, const_cast<nla_policy*>(policies().info));
  if (rc < 0) return Error{"malformed info: " + libnl_error(rc)};
  if (!tb[IPVS_INFO_ATTR_VERSION] || !tb[IPVS_INFO_ATTR_CONN_TAB_SIZE]) return Error{"info lacks version or size"};
  const std::uint32_t code = nla_get_u32(tb[IPVS_INFO_ATTR_VERSION]);
  IpvsInfo info;
  info.version = std::to_string((code >> 16) & 0xff) + "." + std::to_string((code >> 8) & 0xff) + "." +
                 std::to_string(code & 0xff);
  info.conn_table_size = nla_get_u32(tb[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
  return info;
}

Result<KernelTimeouts> decode_config_message(nl_msg* message) {
  auto top = command_attributes(message);
  if (!top) return Error{top.error()};
  const auto& tb = top.value();
  if (!tb[IPVS_CMD_ATTR_TIMEOUT_TCP] || !tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] || !tb[IPVS_CMD_ATTR_TIMEOUT_UDP]) {
    return Error{"config lacks a timeout"};
  }
  return KernelTimeouts{nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]), nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]),
                        nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP])};
}

Result<bool> decode_daemon_message(nl_msg* message, SyncDaemons& daemons) {
  auto nested = command_attribute(message, IPVS_CMD_ATTR_DAEMON);
  if (!nested) return Error{nested.error()};
  nlattr* tb[IPVS_DAEMON_ATTR_MAX + 1]{};
  const int rc = nla_parse_nested(tb, IPVS_DAEMON_ATTR_MAX, nested.value(), const_cast<nla_policy*>(policies().daemon));
  if (rc < 0) return Error{"malformed daemon: " + libnl_error(rc)};
  if (!tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_MCAST_IFN] || !tb[IPVS_DAEMON_ATTR_SYNC_ID]) {
    return Error{"daemon lacks its state, interface or sync id"};
  }
  const std::uint32_t state = nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
  if (state != IP_VS_STATE_MASTER && state != IP_VS_STATE_BACKUP) {
    return Error{"daemon state " + std::to_string(state) + " is neither master nor backup"};
  }
  auto& slot = state == IP_VS_STATE_MASTER ? daemons.master : daemons.backup;
  if (slot) return Error{"two daemons in state " + std::to_string(state)};
  // The kernel pads the name to its attribute's length: up to the first NUL.
  const char* name = static_cast<const char*>(nla_data(tb[IPVS_DAEMON_ATTR_MCAST_IFN]));
  const auto length = static_cast<std::size_t>(nla_len(tb[IPVS_DAEMON_ATTR_MCAST_IFN]));
  slot = SyncDaemon{std::string(name, ::strnlen(name, length)), nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID])};
  return true;
}

}  // namespace mwx::lvs
