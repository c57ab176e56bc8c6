// IPVS generic netlink decoding, on messages built with libnl's own
// attribute constructors the way the kernel lays them out
// (ip_vs_genl_fill_service / _dest / _stats in net/netfilter/ipvs/ip_vs_ctl.c).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "fixtures.hpp"
#include "handlers/lvs/netlink.hpp"
#include "handlers/lvs/procfs.hpp"

namespace mwx::lvs {
namespace {

constexpr int kFamilyId = 0x20;  // any: decoding does not look at it

struct MessageFree {
  void operator()(nl_msg* m) const { nlmsg_free(m); }
};
using Message = std::unique_ptr<nl_msg, MessageFree>;

Message message(int command) {
  Message msg(nlmsg_alloc());
  genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, kFamilyId, 0, 0, command, IPVS_GENL_VERSION);
  return msg;
}

// As ip_vs_genl_fill_stats: 32-bit counts and rates, 64-bit bytes.
void put_stats32(nl_msg* msg, int attribute, std::uint32_t base) {
  nlattr* nest = nla_nest_start(msg, attribute);
  nla_put_u32(msg, IPVS_STATS_ATTR_CONNS, base + 1);
  nla_put_u32(msg, IPVS_STATS_ATTR_INPKTS, base + 2);
  nla_put_u32(msg, IPVS_STATS_ATTR_OUTPKTS, base + 3);
  nla_put_u64(msg, IPVS_STATS_ATTR_INBYTES, base + 4ull);
  nla_put_u64(msg, IPVS_STATS_ATTR_OUTBYTES, base + 5ull);
  nla_put_u32(msg, IPVS_STATS_ATTR_CPS, base + 6);
  nla_put_u32(msg, IPVS_STATS_ATTR_INPPS, base + 7);
  nla_put_u32(msg, IPVS_STATS_ATTR_OUTPPS, base + 8);
  nla_put_u32(msg, IPVS_STATS_ATTR_INBPS, base + 9);
  nla_put_u32(msg, IPVS_STATS_ATTR_OUTBPS, base + 10);
  nla_nest_end(msg, nest);
}

// As ip_vs_genl_fill_stats64: every value 64-bit.
void put_stats64(nl_msg* msg, int attribute, std::uint64_t base) {
  nlattr* nest = nla_nest_start(msg, attribute);
  for (int a = IPVS_STATS_ATTR_CONNS; a <= IPVS_STATS_ATTR_OUTBPS; ++a) nla_put_u64(msg, a, base + a);
  nla_nest_end(msg, nest);
}

void put_address(nl_msg* msg, int attribute, const std::vector<int>& bytes) {
  unsigned char address[16] = {};  // union nf_inet_addr: always 16 bytes
  int i = 0;
  for (int b : bytes) address[i++] = static_cast<unsigned char>(b);
  nla_put(msg, attribute, sizeof address, address);
}

struct ServiceSpec {
  int af = AF_INET;
  int protocol = IPPROTO_TCP;
  std::vector<int> address = {192, 168, 0, 22};
  std::uint16_t port = 80;
  std::uint32_t fwmark = 0;
  bool persistent = false;
  bool stats = true;
  bool stats64 = true;
  bool with_address = true;
  bool with_scheduler = true;
  std::uint32_t ipv6_prefix = 64;  // IPv6 services carry a prefix length as the netmask
};

Message service_message(const ServiceSpec& spec) {
  auto msg = message(IPVS_CMD_NEW_SERVICE);
  nlattr* svc = nla_nest_start(msg.get(), IPVS_CMD_ATTR_SERVICE);
  nla_put_u16(msg.get(), IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(spec.af));
  if (spec.fwmark != 0) {
    nla_put_u32(msg.get(), IPVS_SVC_ATTR_FWMARK, spec.fwmark);
  } else {
    nla_put_u16(msg.get(), IPVS_SVC_ATTR_PROTOCOL, static_cast<std::uint16_t>(spec.protocol));
    if (spec.with_address) put_address(msg.get(), IPVS_SVC_ATTR_ADDR, spec.address);
    nla_put_u16(msg.get(), IPVS_SVC_ATTR_PORT, htons(spec.port));
  }
  if (spec.with_scheduler) nla_put_string(msg.get(), IPVS_SVC_ATTR_SCHED_NAME, "wlc");
  ip_vs_flags flags{spec.persistent ? IP_VS_SVC_F_PERSISTENT : 0u, ~0u};
  nla_put(msg.get(), IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags);
  nla_put_u32(msg.get(), IPVS_SVC_ATTR_TIMEOUT, 360);
  nla_put_u32(msg.get(), IPVS_SVC_ATTR_NETMASK, spec.af == AF_INET ? htonl(0xffffff00) : spec.ipv6_prefix);
  if (spec.stats) put_stats32(msg.get(), IPVS_SVC_ATTR_STATS, 100);
  if (spec.stats64) put_stats64(msg.get(), IPVS_SVC_ATTR_STATS64, 5'000'000'000ull);
  nla_nest_end(msg.get(), svc);
  return msg;
}

TEST(LvsNetlink, AnIpv4ServiceWith64BitStats) {
  auto msg = service_message({});
  int af = 0;
  auto service = decode_service_message(msg.get(), &af);
  ASSERT_TRUE(service.ok()) << service.error();
  EXPECT_EQ(af, AF_INET);
  const Service& s = service.value();
  EXPECT_EQ(s.protocol, Protocol::tcp);
  EXPECT_EQ(s.address.family, 4);
  EXPECT_EQ(s.address.octets, std::string("\xc0\xa8\x00\x16", 4));
  EXPECT_EQ(s.port, 80);
  EXPECT_EQ(s.scheduler, "wlc");
  EXPECT_FALSE(s.persistence_timeout);
  ASSERT_TRUE(s.traffic);
  // STATS64 wins over STATS, and its counters pass 2^32.
  EXPECT_EQ(s.traffic->conns, 5'000'000'000ull + IPVS_STATS_ATTR_CONNS);
  EXPECT_EQ(s.traffic->out_bps, 5'000'000'000ull + IPVS_STATS_ATTR_OUTBPS);
}

TEST(LvsNetlink, OlderKernelsWithout64BitStats) {
  ServiceSpec spec;
  spec.stats64 = false;
  auto msg = service_message(spec);
  auto service = decode_service_message(msg.get());
  ASSERT_TRUE(service.ok()) << service.error();
  EXPECT_EQ(service.value().traffic->conns, 101u);
  EXPECT_EQ(service.value().traffic->in_bytes, 104u);
  EXPECT_EQ(service.value().traffic->out_bps, 110u);
}

TEST(LvsNetlink, PersistentIpv6ServiceAndFirewallMark) {
  ServiceSpec v6;
  v6.af = AF_INET6;
  v6.protocol = IPPROTO_SCTP;
  v6.address = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  v6.persistent = true;
  auto msg = service_message(v6);
  auto service = decode_service_message(msg.get());
  ASSERT_TRUE(service.ok()) << service.error();
  EXPECT_EQ(service.value().protocol, Protocol::sctp);
  EXPECT_EQ(service.value().address.family, 6);
  EXPECT_EQ(service.value().address.octets.size(), 16u);
  EXPECT_EQ(service.value().persistence_timeout, 360u);
  EXPECT_EQ(service.value().persistence_prefix, 64u);

  ServiceSpec mark;
  mark.fwmark = 7;
  mark.persistent = true;
  auto fwm = service_message(mark);
  auto fwm_service = decode_service_message(fwm.get());
  ASSERT_TRUE(fwm_service.ok()) << fwm_service.error();
  EXPECT_EQ(fwm_service.value().protocol, Protocol::fwmark);
  EXPECT_EQ(fwm_service.value().fwmark, 7u);
  EXPECT_EQ(fwm_service.value().address.family, 4);
  EXPECT_EQ(fwm_service.value().address.octets, std::string(4, '\0'));
  EXPECT_EQ(fwm_service.value().persistence_prefix, 24u);
}

// keepalived's dual-stack set-ups: one mark, an IPv4 and an IPv6 service.
TEST(LvsNetlink, FirewallMarkServicesOfBothFamiliesHaveTheirOwnKeys) {
  ServiceSpec v4, v6;
  v4.fwmark = v6.fwmark = 268439552;
  v6.af = AF_INET6;
  auto a = decode_service_message(service_message(v4).get());
  auto b = decode_service_message(service_message(v6).get());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b.value().address.family, 6);
  EXPECT_EQ(b.value().address.octets, std::string(16, '\0'));
  EXPECT_NE(a.value().key(), b.value().key());
}

// The same IPv6 service read both ways: the kernel prints its /128 prefix
// as ntohl(128) in /proc/net/ip_vs and sends 128 over netlink.
TEST(LvsNetlink, ProcfsAndNetlinkAgreeOnAnIpv6PersistentService) {
  ServiceSpec spec;
  spec.af = AF_INET6;
  spec.address = {0x26, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  spec.port = 443;
  spec.persistent = true;
  spec.ipv6_prefix = 128;
  auto from_netlink = decode_service_message(service_message(spec).get());
  ASSERT_TRUE(from_netlink.ok()) << from_netlink.error();
  char prefix[9];
  std::snprintf(prefix, sizeof prefix, "%08X", ntohl(128));
  auto from_procfs = parse_ip_vs(
      "IP Virtual Server version 1.2.1 (size=4096)\n"
      "Prot LocalAddress:Port Scheduler Flags\n"
      "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n"
      "TCP  [2620:0000:0000:0000:0000:0000:0000:0001]:01BB wlc persistent 90000 " + std::string(prefix) + "\n",
      /*hz=*/250);  // 360 s in the jiffies of a kernel of HZ 250
  ASSERT_TRUE(from_procfs.ok()) << from_procfs.error();
  ASSERT_EQ(from_procfs.value().services.size(), 1u);
  const Service& p = from_procfs.value().services[0];
  const Service& n = from_netlink.value();
  EXPECT_EQ(p.key(), n.key());
  EXPECT_EQ(p.persistence_timeout, n.persistence_timeout);
  EXPECT_EQ(p.persistence_prefix, 128u);
  EXPECT_EQ(n.persistence_prefix, 128u);
}

TEST(LvsNetlink, MalformedServices) {
  ServiceSpec no_address;
  no_address.with_address = false;
  EXPECT_FALSE(decode_service_message(service_message(no_address).get()).ok());
  ServiceSpec no_scheduler;
  no_scheduler.with_scheduler = false;
  EXPECT_EQ(decode_service_message(service_message(no_scheduler).get()).error(), "service without scheduler");
  ServiceSpec icmp;
  icmp.protocol = IPPROTO_ICMP;
  EXPECT_EQ(decode_service_message(service_message(icmp).get()).error(), "unknown protocol 1");
  ServiceSpec family;
  family.af = 99;
  EXPECT_EQ(decode_service_message(service_message(family).get()).error(), "unknown address family 99");
  // No service attribute at all.
  EXPECT_EQ(decode_service_message(message(IPVS_CMD_NEW_SERVICE).get()).error(), "no service attribute");
}

TEST(LvsNetlink, AnAddressShorterThanTheKernelSendsIsMalformed) {
  auto short_address = message(IPVS_CMD_NEW_SERVICE);
  nlattr* svc = nla_nest_start(short_address.get(), IPVS_CMD_ATTR_SERVICE);
  nla_put_u16(short_address.get(), IPVS_SVC_ATTR_AF, AF_INET);
  nla_put_u16(short_address.get(), IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
  nla_put_u16(short_address.get(), IPVS_SVC_ATTR_ADDR, 1);
  nla_put_u16(short_address.get(), IPVS_SVC_ATTR_PORT, htons(80));
  nla_put_string(short_address.get(), IPVS_SVC_ATTR_SCHED_NAME, "rr");
  nla_nest_end(short_address.get(), svc);
  auto decoded = decode_service_message(short_address.get());
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().rfind("malformed service", 0), 0u) << decoded.error();
}

TEST(LvsNetlink, StatisticsOfTheWrongShapeAreMalformed) {
  // STATS64 with 32-bit values: the wrong length for its attributes.
  auto narrow = message(IPVS_CMD_NEW_SERVICE);
  nlattr* svc = nla_nest_start(narrow.get(), IPVS_CMD_ATTR_SERVICE);
  nla_put_u16(narrow.get(), IPVS_SVC_ATTR_AF, AF_INET);
  nla_put_u32(narrow.get(), IPVS_SVC_ATTR_FWMARK, 1);
  nla_put_string(narrow.get(), IPVS_SVC_ATTR_SCHED_NAME, "rr");
  put_stats32(narrow.get(), IPVS_SVC_ATTR_STATS64, 0);
  nla_nest_end(narrow.get(), svc);
  auto decoded = decode_service_message(narrow.get());
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().find("malformed statistics"), std::string::npos) << decoded.error();

  // A statistics nest missing a value.
  auto partial = message(IPVS_CMD_NEW_SERVICE);
  svc = nla_nest_start(partial.get(), IPVS_CMD_ATTR_SERVICE);
  nla_put_u16(partial.get(), IPVS_SVC_ATTR_AF, AF_INET);
  nla_put_u32(partial.get(), IPVS_SVC_ATTR_FWMARK, 1);
  nla_put_string(partial.get(), IPVS_SVC_ATTR_SCHED_NAME, "rr");
  nlattr* stats = nla_nest_start(partial.get(), IPVS_SVC_ATTR_STATS64);
  nla_put_u64(partial.get(), IPVS_STATS_ATTR_CONNS, 1);
  nla_nest_end(partial.get(), stats);
  nla_nest_end(partial.get(), svc);
  EXPECT_FALSE(decode_service_message(partial.get()).ok());
}

Message dest_message(bool with_family, bool with_weight, int af = AF_INET) {
  auto msg = message(IPVS_CMD_NEW_DEST);
  nlattr* dest = nla_nest_start(msg.get(), IPVS_CMD_ATTR_DEST);
  if (af == AF_INET) {
    put_address(msg.get(), IPVS_DEST_ATTR_ADDR, {10, 0, 0, 2});
  } else {
    put_address(msg.get(), IPVS_DEST_ATTR_ADDR, {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
  }
  if (with_family) nla_put_u16(msg.get(), IPVS_DEST_ATTR_ADDR_FAMILY, static_cast<std::uint16_t>(af));
  nla_put_u16(msg.get(), IPVS_DEST_ATTR_PORT, htons(8080));
  nla_put_u32(msg.get(), IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_DROUTE);
  if (with_weight) nla_put_u32(msg.get(), IPVS_DEST_ATTR_WEIGHT, 3);
  nla_put_u32(msg.get(), IPVS_DEST_ATTR_U_THRESH, 1000);
  nla_put_u32(msg.get(), IPVS_DEST_ATTR_L_THRESH, 800);
  nla_put_u32(msg.get(), IPVS_DEST_ATTR_ACTIVE_CONNS, 12);
  nla_put_u32(msg.get(), IPVS_DEST_ATTR_INACT_CONNS, 34);
  nla_put_u32(msg.get(), IPVS_DEST_ATTR_PERSIST_CONNS, 5);
  put_stats32(msg.get(), IPVS_DEST_ATTR_STATS, 0);
  put_stats64(msg.get(), IPVS_DEST_ATTR_STATS64, 1ull << 40);
  nla_nest_end(msg.get(), dest);
  return msg;
}

TEST(LvsNetlink, ARealServer) {
  auto real = decode_dest_message(dest_message(true, true).get(), AF_INET6);  // its own family wins
  ASSERT_TRUE(real.ok()) << real.error();
  EXPECT_EQ(real.value().address.family, 4);
  EXPECT_EQ(real.value().address.octets, std::string("\x0a\x00\x00\x02", 4));
  EXPECT_EQ(real.value().port, 8080);
  EXPECT_EQ(real.value().forward, ForwardMethod::route);
  EXPECT_EQ(real.value().weight, 3);
  EXPECT_EQ(real.value().upper_threshold, 1000u);
  EXPECT_EQ(real.value().lower_threshold, 800u);
  EXPECT_EQ(real.value().active_conns, 12u);
  EXPECT_EQ(real.value().inactive_conns, 34u);
  EXPECT_EQ(real.value().persistent_conns, 5u);
  ASSERT_TRUE(real.value().traffic);
  EXPECT_EQ(real.value().traffic->in_bytes, (1ull << 40) + IPVS_STATS_ATTR_INBYTES);
}

TEST(LvsNetlink, ARealServerOfAnOlderKernelTakesTheServicesFamily) {
  auto real = decode_dest_message(dest_message(false, true, AF_INET6).get(), AF_INET6);
  ASSERT_TRUE(real.ok()) << real.error();
  EXPECT_EQ(real.value().address.family, 6);
  EXPECT_EQ(real.value().address.octets[0], '\xfe');
}

TEST(LvsNetlink, MalformedRealServers) {
  auto missing = decode_dest_message(dest_message(true, false).get(), AF_INET);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "destination lacks attribute " + std::to_string(IPVS_DEST_ATTR_WEIGHT));
  EXPECT_EQ(decode_dest_message(message(IPVS_CMD_NEW_DEST).get(), AF_INET).error(), "no destination attribute");
}

TEST(LvsNetlink, Info) {
  auto msg = message(IPVS_CMD_SET_INFO);
  nla_put_u32(msg.get(), IPVS_INFO_ATTR_VERSION, IP_VS_VERSION_CODE);
  nla_put_u32(msg.get(), IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
  auto info = decode_info_message(msg.get());
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_EQ(info.value().version, "1.2.1");
  EXPECT_EQ(info.value().conn_table_size, 4096u);
  auto empty = message(IPVS_CMD_SET_INFO);
  EXPECT_FALSE(decode_info_message(empty.get()).ok());
}

// The generic netlink payloads (genl header and attributes) of a strace
// -xx capture whose first byte is `command`, in the order they appear.
std::vector<std::string> captured_payloads(const std::string& strace, int command) {
  std::vector<std::string> payloads;
  char prefix[8];
  std::snprintf(prefix, sizeof prefix, "\"\\x%02x", command);
  for (std::size_t at = strace.find(prefix); at != std::string::npos; at = strace.find(prefix, at + 1)) {
    std::string bytes;
    for (std::size_t i = at + 1; i + 3 < strace.size() && strace.compare(i, 2, "\\x") == 0; i += 4) {
      bytes.push_back(static_cast<char>(std::stoi(strace.substr(i + 2, 2), nullptr, 16)));
    }
    payloads.push_back(bytes);
  }
  return payloads;
}

Message message_of_payload(const std::string& payload) {
  Message msg(nlmsg_alloc_simple(kFamilyId, 0));
  nlmsg_append(msg.get(), const_cast<char*>(payload.data()), payload.size(), 0);
  return msg;
}

TEST(LvsNetlink, TimeoutsAsARealKernelSendsThem) {
  // ipvsadm -L --timeout on Debian's 6.1 kernel: "900 120 300", the defaults.
  const auto replies = captured_payloads(test::read_fixture("lvs/real-kernel-6.1/netlink-ipvsadm-timeout-daemon.strace"),
                                         IPVS_CMD_SET_CONFIG);
  ASSERT_EQ(replies.size(), 2u);  // the PEEK and the read of one reply
  auto timeouts = decode_config_message(message_of_payload(replies[0]).get());
  ASSERT_TRUE(timeouts.ok()) << timeouts.error();
  EXPECT_EQ(timeouts.value().tcp, 900u);
  EXPECT_EQ(timeouts.value().tcp_fin, 120u);
  EXPECT_EQ(timeouts.value().udp, 300u);
  auto empty = message(IPVS_CMD_SET_CONFIG);
  EXPECT_EQ(decode_config_message(empty.get()).error(), "config lacks a timeout");
}

// As ip_vs_genl_fill_daemon: the state, interface and sync id nested.
Message daemon_message(std::uint32_t state, const char* interface, std::uint32_t sync_id) {
  auto msg = message(IPVS_CMD_NEW_DAEMON);
  nlattr* nest = nla_nest_start(msg.get(), IPVS_CMD_ATTR_DAEMON);
  nla_put_u32(msg.get(), IPVS_DAEMON_ATTR_STATE, state);
  nla_put_string(msg.get(), IPVS_DAEMON_ATTR_MCAST_IFN, interface);
  nla_put_u32(msg.get(), IPVS_DAEMON_ATTR_SYNC_ID, sync_id);
  nla_put_u16(msg.get(), IPVS_DAEMON_ATTR_SYNC_MAXLEN, 1472);
  nla_nest_end(msg.get(), nest);
  return msg;
}

TEST(LvsNetlink, SyncDaemonsMasterAndBackup) {
  SyncDaemons daemons;
  ASSERT_TRUE(decode_daemon_message(daemon_message(IP_VS_STATE_BACKUP, "eth1", 7).get(), daemons).ok());
  EXPECT_FALSE(daemons.master);
  ASSERT_TRUE(daemons.backup);
  EXPECT_EQ(daemons.backup->interface, "eth1");
  EXPECT_EQ(daemons.backup->sync_id, 7u);
  ASSERT_TRUE(decode_daemon_message(daemon_message(IP_VS_STATE_MASTER, "eth0", 0).get(), daemons).ok());
  ASSERT_TRUE(daemons.master);
  EXPECT_EQ(daemons.master->interface, "eth0");
}

TEST(LvsNetlink, MalformedSyncDaemons) {
  SyncDaemons daemons;
  EXPECT_EQ(decode_daemon_message(daemon_message(4, "eth0", 0).get(), daemons).error(),
            "daemon state 4 is neither master nor backup");
  ASSERT_TRUE(decode_daemon_message(daemon_message(IP_VS_STATE_MASTER, "eth0", 0).get(), daemons).ok());
  EXPECT_EQ(decode_daemon_message(daemon_message(IP_VS_STATE_MASTER, "eth1", 1).get(), daemons).error(),
            "two daemons in state 1");
  EXPECT_EQ(decode_daemon_message(message(IPVS_CMD_NEW_DAEMON).get(), daemons).error(), "no daemon attribute");
  auto nameless = message(IPVS_CMD_NEW_DAEMON);
  nlattr* nest = nla_nest_start(nameless.get(), IPVS_CMD_ATTR_DAEMON);
  nla_put_u32(nameless.get(), IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_BACKUP);
  nla_nest_end(nameless.get(), nest);
  EXPECT_EQ(decode_daemon_message(nameless.get(), daemons).error(), "daemon lacks its state, interface or sync id");
}

}  // namespace
}  // namespace mwx::lvs
