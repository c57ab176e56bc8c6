// When LVS counters start over: 'ipvsadm -Z', a re-created service, a new
// real server; and the labels a manager shows for the rows.
#include <gtest/gtest.h>

#include "agent/base/inet_address.hpp"
#include "handlers/lvs/discontinuity.hpp"
#include "handlers/lvs/mib.hpp"

namespace mwx::lvs {
namespace {

using Clock = std::chrono::system_clock;

Service service(std::uint64_t conns, std::vector<std::uint64_t> real_conns) {
  Service s;
  s.protocol = Protocol::tcp;
  s.address = {4, std::string("\xc0\xa8\x00\x16", 4)};
  s.port = 3306;
  s.traffic = Traffic{conns};
  for (std::size_t i = 0; i < real_conns.size(); ++i) {
    RealServer real;
    real.address = {4, std::string("\xc0\xa8\x52", 3) + static_cast<char>(20 + i)};
    real.port = 3306;
    real.traffic = Traffic{real_conns[i]};
    s.real_servers.push_back(real);
  }
  return s;
}

Sample sample_of(Service s, std::uint64_t total_conns) {
  Sample out;
  out.services.push_back(std::move(s));
  out.totals = Traffic{total_conns};
  return out;
}

TEST(LvsDiscontinuity, CountersThatGrowKeepTheirTimeAndZeroedOnesMoveIt) {
  const auto t0 = Clock::now() - std::chrono::hours(1), t1 = t0 + std::chrono::minutes(1);
  Sample first = sample_of(service(100, {60, 40}), 1000);
  mark_discontinuities(first, nullptr, t0);
  EXPECT_EQ(first.services[0].discontinuity_time, t0);
  EXPECT_EQ(first.totals_discontinuity_time, t0);

  Sample grown = sample_of(service(150, {90, 60}), 1500);
  mark_discontinuities(grown, &first, t1);
  EXPECT_EQ(grown.services[0].discontinuity_time, t0);
  EXPECT_EQ(grown.services[0].real_servers[1].discontinuity_time, t0);
  EXPECT_EQ(grown.totals_discontinuity_time, t0);

  // ipvsadm -Z: everything smaller.
  Sample zeroed = sample_of(service(3, {2, 1}), 3);
  mark_discontinuities(zeroed, &grown, t1);
  EXPECT_EQ(zeroed.services[0].discontinuity_time, t1);
  EXPECT_EQ(zeroed.services[0].real_servers[0].discontinuity_time, t1);
  EXPECT_EQ(zeroed.totals_discontinuity_time, t1);
}

TEST(LvsDiscontinuity, ANewRealServerStartsItsOwnCount) {
  const auto t0 = Clock::now() - std::chrono::hours(1), t1 = t0 + std::chrono::minutes(1);
  Sample first = sample_of(service(100, {60}), 100);
  mark_discontinuities(first, nullptr, t0);
  Sample more = sample_of(service(120, {70, 5}), 120);
  mark_discontinuities(more, &first, t1);
  EXPECT_EQ(more.services[0].discontinuity_time, t0);
  EXPECT_EQ(more.services[0].real_servers[0].discontinuity_time, t0);
  EXPECT_EQ(more.services[0].real_servers[1].discontinuity_time, t1);
}

TEST(LvsLabels, AsIpvsadmNamesThem) {
  Service tcp = service(0, {1});
  EXPECT_EQ(service_label(tcp), "tcp 192.168.0.22:3306");
  EXPECT_EQ(real_server_label(tcp.real_servers[0]), "192.168.82.20:3306");
  Service v6;
  v6.protocol = Protocol::udp;
  v6.address = {6, std::string("\x26\x20\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16)};
  v6.port = 53;
  EXPECT_EQ(service_label(v6), "udp [2620::1]:53");  // RFC 5952
  Service mark;
  mark.protocol = Protocol::fwmark;
  mark.fwmark = 268439552;
  mark.address = {0, {}};
  EXPECT_EQ(service_label(mark), "fwmark 268439552");
  mark.address = {6, std::string(16, '\0')};
  EXPECT_EQ(service_label(mark), "fwmark 268439552 IPv6");
}

TEST(InetAddress, AZoneMakesItIpv6z) {
  const InetAddress plain = inet_address_of("fe80::1");
  EXPECT_EQ(plain.type, InetAddressType::ipv6);
  EXPECT_EQ(plain.octets.size(), 16u);
  const InetAddress zoned = inet_address_of("fe80::1%2");
  EXPECT_EQ(zoned.type, InetAddressType::ipv6z);
  ASSERT_EQ(zoned.octets.size(), 20u);
  EXPECT_EQ(zoned.octets.substr(16), std::string("\0\0\0\x02", 4));
}

}  // namespace
}  // namespace mwx::lvs
