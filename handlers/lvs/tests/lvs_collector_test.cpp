// The LVS collection: procfs fixture trees, the quiet "not present" state,
// and auto's fallback when netlink is not permitted.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fixtures.hpp"
#include "handlers/lvs/collector.hpp"
#include "handlers/lvs/mib.hpp"
#include "printed_rows.hpp"

namespace mwx::lvs {
namespace {

using namespace std::chrono_literals;

const auto kDeadline = [] { return std::chrono::steady_clock::now() + 10s; };

NetlinkReader failing_netlink(NetlinkFailure kind, bool* called = nullptr) {
  return [kind, called](auto, NetlinkTable&, NetlinkError& error) {
    if (called) *called = true;
    error = {kind, kind == NetlinkFailure::not_permitted ? "netlink: IPVS answers only with CAP_NET_ADMIN"
                                                          : "netlink: the kernel has no IPVS family"};
    return false;
  };
}

Options fixture_tree(SourceChoice source = SourceChoice::procfs) {
  return {source, test::fixture_path("lvs/procfs")};
}

TEST(LvsCollect, TheFixtureTreeThroughProcfs) {
  bool netlink_called = false;
  auto collected = collect_ipvs(fixture_tree(), kDeadline(), failing_netlink(NetlinkFailure::other, &netlink_called));
  ASSERT_TRUE(collected.ok()) << collected.error();
  EXPECT_FALSE(netlink_called);  // source=procfs never asks netlink
  ASSERT_TRUE(collected.value().sample);
  const Sample& sample = *collected.value().sample;
  EXPECT_EQ(sample.source, Source::procfs);
  EXPECT_EQ(sample.services.size(), 4u);
  ASSERT_TRUE(sample.totals);
  EXPECT_EQ(sample.totals->conns, 0x16AA370u);
  EXPECT_EQ(sample.defence.amemthresh, 1024);
  EXPECT_EQ(sample.defence.secure_tcp, 0);
  EXPECT_TRUE(collected.value().fallback.empty());
}

TEST(LvsCollect, AutoFallsBackToProcfsWhenNetlinkIsNotPermitted) {
  auto collected = collect_ipvs(fixture_tree(SourceChoice::automatic), kDeadline(),
                                failing_netlink(NetlinkFailure::not_permitted));
  ASSERT_TRUE(collected.ok()) << collected.error();
  EXPECT_EQ(collected.value().fallback, "netlink: IPVS answers only with CAP_NET_ADMIN");
  const Sample& sample = *collected.value().sample;
  EXPECT_EQ(sample.source, Source::procfs);
  for (const auto& service : sample.services) {
    EXPECT_FALSE(service.traffic);  // absent, not zero
    for (const auto& real : service.real_servers) EXPECT_FALSE(real.traffic);
  }
}

TEST(LvsCollect, NetlinkOnlyFailsWhenNotPermitted) {
  auto collected = collect_ipvs(fixture_tree(SourceChoice::netlink), kDeadline(),
                                failing_netlink(NetlinkFailure::not_permitted));
  ASSERT_FALSE(collected.ok());
  EXPECT_EQ(collected.error(), "netlink: IPVS answers only with CAP_NET_ADMIN");
}

TEST(LvsCollect, NoIpvsIsNotPresentNotAnError) {
  const Options options{.source = SourceChoice::automatic, .procfs = test::fixture_path("lvs/no-such-procfs")};
  auto collected = collect_ipvs(options, kDeadline(), failing_netlink(NetlinkFailure::no_ipvs));
  ASSERT_TRUE(collected.ok()) << collected.error();
  EXPECT_FALSE(collected.value().sample);
  EXPECT_TRUE(collected.value().fallback.empty());
}

TEST(LvsCollect, NetlinkTablesAreSortedAndDuplicateKeysDropped) {
  NetlinkReader netlink = [](auto, NetlinkTable& out, NetlinkError&) {
    out.info = {"1.2.1", 4096};
    Service b{Protocol::tcp, {4, std::string("\x0a\x00\x00\x02", 4)}, 80, 0, "rr", {}, {}, {}, Traffic{1}, {}};
    Service a = b;
    a.address.octets = std::string("\x0a\x00\x00\x01", 4);
    RealServer real{{4, std::string("\x0a\x01\x00\x01", 4)}, 80, ForwardMethod::route, 1, 0, 0, 0, 0, 0, Traffic{}, {}};
    a.real_servers = {real, real};
    out.services = {b, a, b};
    out.timeouts = {900, 120, 300};
    out.sync.master = SyncDaemon{"eth0", 3};
    return true;
  };
  auto collected = collect_ipvs(fixture_tree(SourceChoice::automatic), kDeadline(), netlink);
  ASSERT_TRUE(collected.ok()) << collected.error();
  const Sample& sample = *collected.value().sample;
  EXPECT_EQ(sample.source, Source::netlink);
  ASSERT_EQ(sample.services.size(), 2u);
  EXPECT_EQ(sample.services[0].address.octets.back(), '\x01');
  EXPECT_EQ(sample.services[0].real_servers.size(), 1u);
  EXPECT_EQ(sample.duplicates_dropped, 2u);
  ASSERT_TRUE(sample.totals);  // ip_vs_stats still comes from procfs
  ASSERT_TRUE(sample.timeouts);
  EXPECT_EQ(sample.timeouts->tcp_fin, 120u);
  ASSERT_TRUE(sample.sync && sample.sync->master);
  EXPECT_EQ(sample.sync->master->interface, "eth0");
  EXPECT_FALSE(sample.sync->backup);
}

TEST(LvsCollect, AGarbledTableFailsThePollNamingTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / "mwx-lvs-garbled";
  std::filesystem::create_directories(dir / "net");
  std::ofstream(dir / "net" / "ip_vs") << "IP Virtual Server version 1.2.1 (size=4096)\nProt\n  ->\nTCP zz\n";
  const Options options{.source = SourceChoice::procfs, .procfs = dir.string()};
  auto collected = collect_ipvs(options, kDeadline());
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(collected.ok());
  EXPECT_NE(collected.error().find(dir.string() + "/net/ip_vs: line 4"), std::string::npos) << collected.error();
}

TEST(LvsGolden, RowsOfTheFixtureTree) {
  auto collected = collect_ipvs(fixture_tree(), kDeadline());
  ASSERT_TRUE(collected.ok()) << collected.error();
  const Sample& sample = *collected.value().sample;
  test::expect_golden("lvs/golden.txt",
                      test::printed_rows(instance_entry_oid(), "lb", [&](SnapshotBuilder& out, RowWriter& row,
                                                                         OidView name) {
                        write_instance_data(row, sample);
                        write_service_rows(out, name, "lb", Snapshot::kNoInstance, sample);
                      }));
}

}  // namespace
}  // namespace mwx::lvs
