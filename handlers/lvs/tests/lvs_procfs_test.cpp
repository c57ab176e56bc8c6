// IPVS procfs files: the verbatim kernel sample, and generated tables in
// the kernel's format (ip_vs_ctl.c) for what the sample lacks.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstdio>

#include "fixtures.hpp"
#include "handlers/lvs/procfs.hpp"

namespace mwx::lvs {
namespace {

using test::read_fixture;

const std::string kHeader =
    "IP Virtual Server version 1.2.1 (size=4096)\n"
    "Prot LocalAddress:Port Scheduler Flags\n"
    "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n";

std::string octets(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

// Debian's kernel: CONFIG_HZ=250.
constexpr std::uint64_t kHz = 250;

ServiceTable parsed(const std::string& text) {
  auto table = parse_ip_vs(text, kHz);
  EXPECT_TRUE(table.ok()) << (table ? "" : table.error());
  return table ? table.value() : ServiceTable{};
}

TEST(LvsProcfs, TheKernelSample) {
  const auto table = parsed(read_fixture("lvs/procfs/net/ip_vs"));
  EXPECT_EQ(table.version, "1.2.1");
  EXPECT_EQ(table.conn_table_size, 4096u);
  ASSERT_EQ(table.services.size(), 4u);
  const Service& first = table.services[0];
  EXPECT_EQ(first.protocol, Protocol::tcp);
  EXPECT_EQ(first.address.octets, octets({192, 168, 0, 22}));
  EXPECT_EQ(first.port, 3306);  // 0x0CEA
  EXPECT_EQ(first.scheduler, "wlc");
  EXPECT_FALSE(first.persistence_timeout);
  ASSERT_EQ(first.real_servers.size(), 3u);
  EXPECT_EQ(first.real_servers[0].address.octets, octets({192, 168, 82, 22}));
  EXPECT_EQ(first.real_servers[0].forward, ForwardMethod::tunnel);
  EXPECT_EQ(first.real_servers[0].weight, 100);
  EXPECT_EQ(first.real_servers[0].active_conns, 248u);
  EXPECT_EQ(first.real_servers[0].inactive_conns, 2u);
  EXPECT_FALSE(first.real_servers[0].traffic);  // procfs has none
  EXPECT_EQ(table.services[1].real_servers[0].weight, 0);
  EXPECT_EQ(table.services[1].real_servers[1].active_conns, 1499u);
  const Service& fwm = table.services[3];
  EXPECT_EQ(fwm.protocol, Protocol::fwmark);
  EXPECT_EQ(fwm.fwmark, 0x10001000u);
  EXPECT_EQ(fwm.address.family, 0);
  EXPECT_TRUE(fwm.address.octets.empty());
  ASSERT_EQ(fwm.real_servers.size(), 2u);
  EXPECT_EQ(fwm.real_servers[1].active_conns, 321u);
}

TEST(LvsProcfs, TheKernelStatsSample) {
  auto totals = parse_ip_vs_stats(read_fixture("lvs/procfs/net/ip_vs_stats"));
  ASSERT_TRUE(totals.ok()) << totals.error();
  EXPECT_EQ(totals.value().conns, 0x16AA370u);
  EXPECT_EQ(totals.value().in_packets, 0xE33656E5u);
  EXPECT_EQ(totals.value().out_packets, 0u);
  EXPECT_EQ(totals.value().in_bytes, 0x51D8C8883AB3u);
  EXPECT_EQ(totals.value().cps, 4u);
  EXPECT_EQ(totals.value().in_pps, 0x1FB3Cu);
  EXPECT_EQ(totals.value().in_bps, 0x1282A8Fu);
}

const Service* find(const ServiceTable& table, Protocol protocol, std::uint16_t port, int family) {
  for (const auto& service : table.services) {
    if (service.protocol == protocol && service.port == port && service.address.family == family) return &service;
  }
  return nullptr;
}

const Service* find_mark(const ServiceTable& table, std::uint32_t mark, std::size_t nth = 0) {
  for (const auto& service : table.services) {
    if (service.protocol == Protocol::fwmark && service.fwmark == mark && nth-- == 0) return &service;
  }
  return nullptr;
}

// Debian's kernel 6.1 with real IPVS (fixtures/real-kernel-6.1, beside
// ipvsadm -Ln --exact of the same moment): timeouts in jiffies of HZ 250,
// IPv6 prefixes through ntohl(), the same mark in IPv4 and IPv6.
TEST(LvsProcfs, TheRealKernelsPersistenceOpsSctpAndMarks) {
  const auto table = parsed(read_fixture("lvs/real-kernel-6.1/proc_net_ip_vs.txt"));
  ASSERT_EQ(table.services.size(), 11u);
  // ipvsadm -p 120 -M 255.255.255.0: "persistent 30000 FFFFFF00".
  const Service* v4 = find(table, Protocol::tcp, 443, 4);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->persistence_timeout, 120u);
  EXPECT_EQ(v4->persistence_prefix, 24u);
  // -p 300 (-M 128 by default), -p 60 -M 64: "75000 80000000", "15000 40000000".
  const Service* v6 = find(table, Protocol::tcp, 443, 6);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address.octets, octets({0x20, 0x01, 0x0d, 0xb8, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}));
  EXPECT_EQ(v6->persistence_timeout, 300u);
  EXPECT_EQ(v6->persistence_prefix, 128u);
  const Service* v6_64 = find(table, Protocol::tcp, 8443, 6);
  ASSERT_TRUE(v6_64);
  EXPECT_EQ(v6_64->persistence_timeout, 60u);
  EXPECT_EQ(v6_64->persistence_prefix, 64u);
  // An IPv6 mark, -p 30 -M 48, no real server: "FWM 00000007 rr persistent 7500 30000000".
  const Service* mark7 = find_mark(table, 7);
  ASSERT_TRUE(mark7);
  EXPECT_EQ(mark7->persistence_timeout, 30u);
  EXPECT_EQ(mark7->persistence_prefix, 48u);
  // Mark 5 in IPv6 and in IPv4: two lines procfs cannot tell apart.
  ASSERT_TRUE(find_mark(table, 5, 0) && find_mark(table, 5, 1));
  EXPECT_FALSE(find_mark(table, 5, 0)->persistence_prefix);
  const Service* udp = find(table, Protocol::udp, 53, 4);
  ASSERT_TRUE(udp);  // "UDP  C000020A:0035 rr ops"
  EXPECT_EQ(udp->scheduler, "rr");
  const Service* sctp = find(table, Protocol::sctp, 3868, 4);
  ASSERT_TRUE(sctp);
  ASSERT_EQ(sctp->real_servers.size(), 1u);
  EXPECT_EQ(sctp->real_servers[0].weight, 9);
  std::size_t reals = 0;
  for (const auto& service : table.services) reals += service.real_servers.size();
  EXPECT_EQ(reals, 2014u);
}

TEST(LvsProcfs, WithoutTheKernelsHzTimeoutsAreAbsentNotJiffies) {
  auto table = parse_ip_vs(read_fixture("lvs/real-kernel-6.1/proc_net_ip_vs.txt"), std::nullopt);
  ASSERT_TRUE(table.ok());
  for (const auto& service : table.value().services) EXPECT_FALSE(service.persistence_timeout);
  const Service* v4 = find(table.value(), Protocol::tcp, 443, 4);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->persistence_prefix, 24u) << "the netmask needs no HZ";
}

TEST(LvsProcfs, KernelHzFromItsBuildConfiguration) {
  EXPECT_EQ(kernel_hz_of_config("# comment\nCONFIG_HZ_250=y\nCONFIG_HZ=250\nCONFIG_SCHED_HRTICK=y\n"), 250u);
  EXPECT_EQ(kernel_hz_of_config("CONFIG_HZ_1000=y\nCONFIG_HZ=1000\n"), 1000u);
  EXPECT_FALSE(kernel_hz_of_config("CONFIG_HZ_250=y\n"));
  EXPECT_FALSE(kernel_hz_of_config("CONFIG_HZ=fast\n"));
}

TEST(LvsProcfs, TenThousandRealServersOverFiveHundredServices) {
  std::string text = kHeader;
  char line[128];
  for (int s = 0; s < 500; ++s) {
    std::snprintf(line, sizeof line, "TCP  0A%06X:0050 wlc \n", s);
    text += line;
    for (int r = 0; r < 20; ++r) {
      std::snprintf(line, sizeof line, "  -> AC%06X:1F90      Masq    1      %-10d %-10d\n", s * 20 + r, r, s);
      text += line;
    }
  }
  const auto table = parsed(text);
  ASSERT_EQ(table.services.size(), 500u);
  std::size_t reals = 0;
  for (const auto& s : table.services) reals += s.real_servers.size();
  EXPECT_EQ(reals, 10000u);
  EXPECT_EQ(table.services[499].real_servers[19].active_conns, 19u);
  EXPECT_EQ(table.services[499].real_servers[19].inactive_conns, 499u);
}

std::string error_of(const std::string& text) {
  auto table = parse_ip_vs(text, kHz);
  EXPECT_FALSE(table.ok()) << text;
  return table ? std::string{} : table.error();
}

TEST(LvsProcfs, TruncatedAndGarbageTablesFailNamingTheLine) {
  EXPECT_EQ(error_of(kHeader + "TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA      Tunnel  100"),
            "the table ends in the middle of line 5");
  EXPECT_EQ(error_of(kHeader + "  -> C0A85216:0CEA      Tunnel  100    248        2\n"),
            "line 4 '  -> C0A85216:0CEA      Tunnel  100    248        2': real server before any service");
  EXPECT_NE(error_of(kHeader + "ICMP  C0A80016:0CEA wlc\n").find("unknown protocol"), std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  C0A8001:0CEA wlc\n").find("bad address:port"), std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  C0A80016:CEA wlc\n").find("bad address:port"), std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  [2001:db8::1]:0050 wlc\n").find("bad address:port"), std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  C0A80016:0CEA wlc persistent 300\n").find("persistent TIMEOUT NETMASK"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 rr persistent 75000 FFFFFFFF\n")
                .find("line 4 'TCP  [2001:0db8:"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 rr persistent 75000 FFFFFFFF\n")
                .find("': bad IPv6 persistence prefix"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA Teleport 1 2 3\n")
                .find("unknown forwarding method"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA Masq -1 2 3\n").find("bad number"),
            std::string::npos);
  EXPECT_NE(error_of(kHeader + "TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA Masq 1 2\n").find("expected ->"),
            std::string::npos);
  EXPECT_EQ(error_of("hello\n"), "not an IPVS service table");
  EXPECT_NE(error_of("IP Virtual Server version 1.2.1 (size=x)\n").find("bad table size"), std::string::npos);
  EXPECT_EQ(error_of(std::string("IP Virtual Server version 1.2.1 (size=4096)\n")),
            "the table ends inside its header");
  EXPECT_NE(error_of(kHeader + "TCP  C0A8\xff" "016:0CEA wlc\n").find("\\xff"), std::string::npos);
}

TEST(LvsProcfs, AnEmptyTableHasNoServices) { EXPECT_TRUE(parsed(kHeader).services.empty()); }

TEST(LvsProcfs, BadStatsFail) {
  EXPECT_FALSE(parse_ip_vs_stats("").ok());
  EXPECT_FALSE(parse_ip_vs_stats(" 16AA370 E33656E5 0 51D8C8883AB3 0\n").ok());  // no rates
  EXPECT_FALSE(parse_ip_vs_stats(" 1 2 3 4 5\n 1 2 3 4 5\n 1 2 3 4 5\n").ok());
  EXPECT_FALSE(parse_ip_vs_stats(" 1 2 3 4 5\n 1 2 3 4 5").ok());  // cut short
}

TEST(LvsProcfs, SysctlValues) {
  EXPECT_EQ(parse_sysctl_value("1024\n"), 1024);
  EXPECT_EQ(parse_sysctl_value("-1\n"), -1);
  EXPECT_FALSE(parse_sysctl_value("on\n"));
  EXPECT_FALSE(parse_sysctl_value(""));
}

}  // namespace
}  // namespace mwx::lvs
