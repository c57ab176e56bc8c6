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

ServiceTable parsed(const std::string& text) {
  auto table = parse_ip_vs(text);
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

// What ip_vs_info_seq_show prints for an IPv6 service's persistence
// prefix: "%08X" of ntohl(plen), so a /128 reads 80000000 on this
// (little-endian) kind of host.
std::string kernel_printed_prefix(std::uint32_t plen) {
  char text[9];
  std::snprintf(text, sizeof text, "%08X", ntohl(plen));
  return text;
}

TEST(LvsProcfs, Ipv6PersistenceOpsAndSctp) {
  const auto table = parsed(kHeader +
      "TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 rr persistent 300 " + kernel_printed_prefix(128) + "\n"
      "  -> [2001:0db8:0000:0000:0000:0000:0000:0a02]:0050      Masq    1      3          4         \n"
      "UDP  0A000001:0035 sh ops \n"
      "  -> 0A000102:0035      Route   5      0          9         \n"
      "SCTP  0A000001:0B59 wrr persistent 60 FFFFFF00\n"
      "  -> 0A000103:0B59      Local   2      7          0         \n"
      "  -> 0A000104:0B59      Masq    0      0          0         \n");
  ASSERT_EQ(table.services.size(), 3u);
  const Service& v6 = table.services[0];
  EXPECT_EQ(v6.address.family, 6);
  EXPECT_EQ(v6.address.octets, octets({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(v6.port, 80);
  EXPECT_EQ(v6.persistence_timeout, 300u);
  EXPECT_EQ(v6.persistence_prefix, 128u);
  ASSERT_EQ(v6.real_servers.size(), 1u);
  EXPECT_EQ(v6.real_servers[0].address.octets.back(), '\x02');
  EXPECT_EQ(v6.real_servers[0].forward, ForwardMethod::masq);
  EXPECT_EQ(table.services[1].protocol, Protocol::udp);
  EXPECT_EQ(table.services[1].real_servers[0].forward, ForwardMethod::route);
  // SCTP is a service of its own: its real servers are not the UDP one's.
  const Service& sctp = table.services[2];
  EXPECT_EQ(sctp.protocol, Protocol::sctp);
  EXPECT_EQ(sctp.port, 2905);
  EXPECT_EQ(sctp.persistence_prefix, 24u);
  ASSERT_EQ(sctp.real_servers.size(), 2u);
  EXPECT_EQ(sctp.real_servers[0].forward, ForwardMethod::local);
  EXPECT_EQ(table.services[1].real_servers.size(), 1u);
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
  auto table = parse_ip_vs(text);
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
