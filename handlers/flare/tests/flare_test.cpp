// Flare: the index server's node map, node stats and threads, and what
// changes between two maps, on verbatim captures and on bad input.
#include <gtest/gtest.h>

#include "agent/events/event_log.hpp"
#include "fixtures.hpp"
#include "handlers/flare/collector.hpp"
#include "handlers/flare/mib.hpp"
#include "handlers/flare/node_poll.hpp"
#include "handlers/flare/parse.hpp"
#include "handlers/flare/topology.hpp"
#include "printed_rows.hpp"

namespace mwx::flare {
namespace {

using test::read_fixture;
using namespace std::chrono_literals;

std::vector<Node> nodes_of(const std::string& fixture) {
  auto nodes = parse_stats_nodes(read_fixture(fixture));
  EXPECT_TRUE(nodes.ok()) << (nodes ? "" : nodes.error());
  return nodes ? nodes.value() : std::vector<Node>{};
}

std::string error_of(std::string_view reply) {
  auto nodes = parse_stats_nodes(reply);
  EXPECT_FALSE(nodes.ok());
  return nodes ? std::string{} : nodes.error();
}

TEST(FlareParse, StatsNodesOfARealIndexServer) {
  const auto nodes = nodes_of("flare/1.3.4/flarei_stats_nodes.txt");
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].key, "127.0.0.1:11211");
  EXPECT_EQ(nodes[0].host, "127.0.0.1");
  EXPECT_EQ(nodes[0].port, 11211);
  EXPECT_EQ(nodes[0].role, Role::master);
  EXPECT_EQ(nodes[0].state, State::active);
  EXPECT_EQ(nodes[0].partition, 0);
  EXPECT_EQ(nodes[0].balance, 1u);
  EXPECT_EQ(nodes[0].thread_type, 16u);
  EXPECT_EQ(nodes[1].role, Role::slave);
  EXPECT_EQ(nodes[1].balance, 2u);
  EXPECT_EQ(nodes[2].role, Role::proxy);
  EXPECT_EQ(nodes[2].partition, -1);
}

TEST(FlareParse, TheFailoverOfTheSamples) {
  const auto before = nodes_of("flare/1.0/stats_nodes-before-failover.txt");
  const auto after = nodes_of("flare/1.0/stats_nodes-after-failover.txt");
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0].key, "localhost:11211");
  EXPECT_EQ(after[0].role, Role::proxy);
  EXPECT_EQ(after[0].state, State::down);
  EXPECT_EQ(after[0].partition, -1);
  EXPECT_EQ(after[1].role, Role::master);

  const auto events = compare_topologies(before, after);
  const auto failovers = std::count_if(events.begin(), events.end(),
                                       [](const auto& e) { return e.kind == TopologyEvent::Kind::failover; });
  EXPECT_EQ(failovers, 1);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].describe(), "failover in partition 0: master localhost:11211 -> localhost:11212");
  EXPECT_TRUE(summarize(after).partitions_without_master.empty());
}

TEST(FlareParse, UsageDocumentExample) {
  const auto nodes = nodes_of("flare/1.0/stats_nodes-usage-doc.txt");
  ASSERT_EQ(nodes.size(), 3u);
  const auto summary = summarize(nodes);
  EXPECT_EQ(summary.partitions, 1u);
  EXPECT_EQ(summary.active, 3u);
  EXPECT_TRUE(summary.partitions_without_master.empty());
}

TEST(FlareParse, Ipv6KeysSplitOnTheLastColon) {
  const auto nodes = parse_stats_nodes(
      "STAT ::1:12121:role master\r\nSTAT ::1:12121:state active\r\nSTAT ::1:12121:partition 0\r\n"
      "STAT ::1:12121:balance 1\r\nSTAT ::1:12121:thread_type 16\r\n"
      "STAT [fe80::2]:12122:role slave\r\nSTAT [fe80::2]:12122:state prepare\r\n"
      "STAT [fe80::2]:12122:partition 0\r\nSTAT [fe80::2]:12122:balance 0\r\n"
      "STAT [fe80::2]:12122:thread_type 17\r\nEND\r\n");
  ASSERT_TRUE(nodes.ok()) << nodes.error();
  EXPECT_EQ(nodes.value()[0].host, "::1");
  EXPECT_EQ(nodes.value()[0].port, 12121);
  EXPECT_EQ(nodes.value()[1].host, "fe80::2");
  EXPECT_EQ(nodes.value()[1].key, "[fe80::2]:12122");
  EXPECT_EQ(nodes.value()[1].state, State::prepare);
}

TEST(FlareParse, BadNodeMaps) {
  const std::string good = "STAT h:1:role master\r\nSTAT h:1:state active\r\nSTAT h:1:partition 0\r\n"
                           "STAT h:1:balance 1\r\nSTAT h:1:thread_type 16\r\n";
  EXPECT_EQ(error_of("STAT h:1:role master\r\nSTAT h:1:state active\r\nEND\r\n"), "node h:1 has no partition line");
  EXPECT_EQ(error_of(good + "STAT h:2:role boss\r\nEND\r\n"), "node h:2: bad role 'boss'");
  EXPECT_EQ(error_of(good + "STAT h:2:state asleep\r\nEND\r\n"), "node h:2: bad state 'asleep'");
  EXPECT_EQ(error_of(good + "STAT h:2:partition one\r\nEND\r\n"), "node h:2: bad partition 'one'");
  EXPECT_EQ(error_of(good + "STAT h:2:partition -2\r\nEND\r\n"), "node h:2: bad partition '-2'");
  EXPECT_EQ(error_of(good + "STAT h:2:balance -1\r\nEND\r\n"), "node h:2: bad balance '-1'");
  EXPECT_EQ(error_of(good + "STAT h:99999:role master\r\nEND\r\n"), "node key 'h:99999' has a bad port");
  EXPECT_EQ(error_of(good + "STAT role master\r\nEND\r\n"), "stat 'role' is not HOST:PORT:FIELD");
  EXPECT_EQ(error_of(good), "reply has no END line");
  EXPECT_EQ(error_of(good + "STAT h:1:role slave\r\nEND\r\n"), "stat 'h:1:role' appears twice");
  EXPECT_EQ(error_of(read_fixture("flare/1.3.4/flarei_unknown_command.txt")), "server answered 'ERROR'");
}

TEST(FlareParse, UnknownFieldsAreIgnoredAndAnEmptyMapIsEmpty) {
  auto nodes = parse_stats_nodes("STAT h:1:role master\r\nSTAT h:1:state active\r\nSTAT h:1:partition 0\r\n"
                                 "STAT h:1:balance 1\r\nSTAT h:1:thread_type 16\r\nSTAT h:1:weight 3\r\nEND\r\n");
  ASSERT_TRUE(nodes.ok()) << nodes.error();
  EXPECT_EQ(nodes.value().size(), 1u);
  auto empty = parse_stats_nodes("END\r\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value().empty());
}

TEST(FlareParse, AThousandNodes) {
  std::string reply;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":12121";
    reply += "STAT " + key + ":role " + (i % 2 ? "slave" : "master") + "\r\nSTAT " + key + ":state active\r\n" +
             "STAT " + key + ":partition " + std::to_string(i / 2) + "\r\nSTAT " + key + ":balance 1\r\n" +
             "STAT " + key + ":thread_type " + std::to_string(16 + i) + "\r\n";
  }
  auto nodes = parse_stats_nodes(reply + "END\r\n");
  ASSERT_TRUE(nodes.ok()) << nodes.error();
  EXPECT_EQ(nodes.value().size(), 1000u);
  EXPECT_EQ(summarize(nodes.value()).partitions, 500u);
}

TEST(FlareParse, IndexServerStats) {
  auto stats = parse_index_stats(read_fixture("flare/1.3.4/flarei_stats.txt"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats.value().version, "1.3.4");
  EXPECT_EQ(stats.value().uptime, 41u);
  EXPECT_EQ(stats.value().node_map_version, 7u);
  EXPECT_FALSE(parse_index_stats("STAT node_map_version x\r\nEND\r\n").ok());
}

TEST(FlareParse, ReplicationLagFromStatsThreads) {
  auto master = parse_replication_lag(read_fixture("flare/1.3.4/flared_master_stats_threads.txt"));
  ASSERT_TRUE(master.ok()) << master.error();
  EXPECT_EQ(master.value(), 0u);  // two threads to the slave, nothing behind
  auto slave = parse_replication_lag(read_fixture("flare/1.3.4/flared_slave_stats_threads.txt"));
  ASSERT_TRUE(slave.ok());
  EXPECT_EQ(slave.value(), 0u);  // no thread to another node
  auto behind = parse_replication_lag(
      "STAT 13:type 17\r\nSTAT 13:behind 42\r\nSTAT 14:type 17\r\nSTAT 14:behind 7\r\n"
      "STAT 2:type 1\r\nSTAT 2:behind 999\r\nEND\r\n");
  ASSERT_TRUE(behind.ok());
  EXPECT_EQ(behind.value(), 42u);  // connection threads (type 1) do not replicate
  auto unknown = parse_replication_lag("STAT 13:type 17\r\nSTAT 13:behind \r\nEND\r\n");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown.value());
  EXPECT_FALSE(parse_replication_lag("STAT 13:type 17\r\nSTAT 13:behind lots\r\nEND\r\n").ok());
  EXPECT_FALSE(parse_replication_lag("STAT 13:behind 1\r\nEND\r\n").ok());
}

TEST(FlareNodeStats, ANodeWithoutStatsThreadsHasNoLag) {
  auto stats = build_node_stats(read_fixture("flare/1.3.4/flared_stats.txt"), "ERROR\r\n");
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats.value().stats.get(memcached::Stat::bytes_read), 1259u);  // as in the capture
  EXPECT_FALSE(stats.value().replication_lag);
  auto bad = build_node_stats("STAT curr_items x\r\nEND\r\n", "END\r\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().rfind("stats: ", 0), 0u) << bad.error();
}

TEST(FlareTopology, AMasterWithoutSlaveLeavesItsPartitionWithoutMaster) {
  const auto before = nodes_of("flare/1.3.4/flarei_stats_nodes.txt");
  auto after = before;
  after[0].state = State::down;  // the master died and no slave is left to promote
  after[1].state = State::down;
  const auto summary = summarize(after);
  ASSERT_EQ(summary.partitions_without_master.size(), 1u);
  EXPECT_EQ(summary.partitions_without_master[0], 0);
  const auto events = compare_topologies(before, after);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const auto& e) { return e.kind == TopologyEvent::Kind::failover; }),
            0);
  EXPECT_EQ(events.size(), 2u);  // two state changes
}

TEST(FlareTopology, NodesJoiningOrLeavingAreNoChange) {
  auto before = nodes_of("flare/1.3.4/flarei_stats_nodes.txt");
  auto after = before;
  after.pop_back();
  EXPECT_TRUE(compare_topologies(before, after).empty());
  EXPECT_TRUE(compare_topologies(after, before).empty());
}

std::shared_ptr<FlareInstance> cluster() {
  InstanceSettings settings{"flare", "cluster", "127.0.0.1:12120", std::chrono::seconds(10), std::chrono::seconds(2),
                            "id"};
  return std::make_shared<FlareInstance>(settings, Endpoint{Endpoint::Kind::Tcp, "127.0.0.1", 12120, {}}, true);
}

Sample sample_of(const std::string& fixture) {
  Sample sample;
  sample.index.node_map_version = 7;
  for (auto& node : nodes_of(fixture)) sample.nodes.push_back({node, std::nullopt, "not polled"});
  return sample;
}

TEST(FlareInstance, AFailoverIsCountedOnceAndEachNodeChangeOnce) {
  auto instance = cluster();
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1795320000));
  EXPECT_TRUE(instance->take(sample_of("flare/1.3.4/flarei_stats_nodes.txt"), t0).empty());
  EXPECT_EQ(instance->status(), InstanceStatus::up);
  const auto events = instance->take(sample_of("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 10s);
  EXPECT_EQ(events.size(), 4u);  // failover; 11211 role and state; 11212 role
  EXPECT_EQ(instance->history().failovers, 1u);
  EXPECT_EQ(instance->history().last_failover, t0 + 10s);
  EXPECT_EQ(instance->history().nodes.at("127.0.0.1:11211").changes, 1u);
  EXPECT_EQ(instance->history().nodes.at("127.0.0.1:11212").changes, 1u);
  EXPECT_EQ(instance->history().nodes.at("127.0.0.1:11213").changes, 0u);
  // The same map again: nothing more.
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 20s);
  EXPECT_EQ(instance->history().failovers, 1u);
  // The old master comes back as an active proxy: a state change, no failover.
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes_old_master_restarted.txt"), t0 + 30s);
  EXPECT_EQ(instance->history().failovers, 1u);
  EXPECT_EQ(instance->history().nodes.at("127.0.0.1:11211").changes, 2u);
  EXPECT_EQ(instance->history().nodes.at("127.0.0.1:11211").last_change, t0 + 30s);
}

TEST(FlareInstance, AFailoverDuringAnIndexOutageIsCountedWhenItAnswersAgain) {
  auto instance = cluster();
  const auto t0 = std::chrono::system_clock::now();
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes.txt"), t0);
  instance->take(Error{"connect: Connection refused"}, t0 + 10s);
  EXPECT_EQ(instance->status(), InstanceStatus::down);
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 20s);
  EXPECT_EQ(instance->status(), InstanceStatus::up);
  EXPECT_EQ(instance->history().failovers, 1u);
}

TEST(FlareInstance, NoActiveMasterIsDegraded) {
  auto instance = cluster();
  Sample sample = sample_of("flare/1.3.4/flarei_stats_nodes.txt");
  sample.nodes[0].node.state = State::down;
  instance->take(sample, std::chrono::system_clock::now());
  EXPECT_EQ(instance->status(), InstanceStatus::degraded);
  EXPECT_EQ(instance->last_error(), "no active master in partition 0");
}

std::vector<std::string> notified(FlareInstance& instance) {
  std::vector<std::string> out;
  for (const auto& event : instance.take_events()) {
    out.push_back(std::string(event.type->name) + " " + event.label + " " + event.from.value_or("") + ">" +
                  event.to.value_or("") + " " + (event.value ? std::to_string(*event.value) : ""));
  }
  return out;
}

TEST(FlareInstance, TheTopologyEventsOfAFailoverAndOfAMasterlessPartition) {
  auto instance = cluster();
  const auto t0 = std::chrono::system_clock::now();
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes.txt"), t0);
  EXPECT_TRUE(notified(*instance).empty());
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 10s);
  EXPECT_EQ(notified(*instance),
            (std::vector<std::string>{"mwxFlareFailover cluster/partition 0 127.0.0.1:11211>127.0.0.1:11212 0",
                                      "mwxFlareNodeStateChanged cluster/127.0.0.1:11211 active>down "}));
  // The new master dies too, before the index promotes anyone.
  Sample masterless = sample_of("flare/1.3.4/flarei_stats_nodes_after_kill.txt");
  masterless.nodes[1].node.state = State::down;
  instance->take(masterless, t0 + 20s);
  EXPECT_EQ(notified(*instance),
            (std::vector<std::string>{"mwxFlareNodeStateChanged cluster/127.0.0.1:11212 active>down ",
                                      "mwxFlarePartitionWithoutMaster cluster/partition 0 > 0"}));
  instance->take(masterless, t0 + 30s);
  EXPECT_TRUE(notified(*instance).empty()) << "told once";
  instance->take(sample_of("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 40s);
  EXPECT_EQ(notified(*instance),
            (std::vector<std::string>{"mwxFlareNodeStateChanged cluster/127.0.0.1:11212 down>active ",
                                      "mwxFlarePartitionMasterBack cluster/partition 0 > 0"}));
}

// The real 1.3.4 node maps, as partition 0 on 127.0.0.1 and, copied,
// partition 1 on 127.0.0.2: a cluster of two partitions.
Sample two_partitions(const std::string& fixture) {
  const std::string one = read_fixture(fixture);
  std::string other = one.substr(0, one.rfind("END\r\n"));
  for (std::size_t at = 0; (at = other.find("127.0.0.1:", at)) != std::string::npos; at += 10) other[at + 8] = '2';
  for (std::size_t at = 0; (at = other.find("partition 0", at)) != std::string::npos; at += 11) other[at + 10] = '1';
  auto nodes = parse_stats_nodes(one.substr(0, one.rfind("END\r\n")) + other + "END\r\n");
  EXPECT_TRUE(nodes.ok()) << nodes.error();
  Sample sample;
  sample.index.node_map_version = 7;
  for (auto& node : nodes.value()) sample.nodes.push_back({node, std::nullopt, "not polled"});
  return sample;
}

TEST(FlareInstance, FailoversOfTwoPartitionsWithinTheHoldoffAreEachNotified) {
  auto instance = cluster();
  const auto t0 = std::chrono::system_clock::now();
  const auto now = std::chrono::steady_clock::now();
  EventLog log(EventPolicy{std::chrono::seconds(60), 100});
  instance->take(two_partitions("flare/1.3.4/flarei_stats_nodes.txt"), t0);
  instance->take(two_partitions("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 10s);
  std::vector<std::string> failovers;
  for (const auto& event : log.admit(instance->take_events(), now)) {
    if (event.type->name == std::string_view("mwxFlareFailover")) failovers.push_back(event.label);
  }
  EXPECT_EQ(failovers, (std::vector<std::string>{"cluster/partition 0", "cluster/partition 1"}));
  // Both masters die before anyone is promoted, then both come back.
  Sample masterless = two_partitions("flare/1.3.4/flarei_stats_nodes_after_kill.txt");
  for (auto& node : masterless.nodes) {
    if (node.node.role == Role::master) node.node.state = State::down;
  }
  instance->take(masterless, t0 + 20s);
  instance->take(two_partitions("flare/1.3.4/flarei_stats_nodes_after_kill.txt"), t0 + 30s);
  std::vector<std::string> partition_events;
  auto admitted = log.admit(instance->take_events(), now + 20s);
  auto released = log.release_held(now + 80s);
  admitted.insert(admitted.end(), released.begin(), released.end());
  for (const auto& event : admitted) {
    if (event.label.find("partition") != std::string::npos) {
      partition_events.push_back(std::string(event.type->name) + " " + event.label);
    }
  }
  // Each partition's "master back" is sent: at once is not allowed (the
  // holdoff of its alarm), but when the holdoff ends.
  EXPECT_EQ(partition_events, (std::vector<std::string>{"mwxFlarePartitionWithoutMaster cluster/partition 0",
                                                        "mwxFlarePartitionWithoutMaster cluster/partition 1",
                                                        "mwxFlarePartitionMasterBack cluster/partition 0",
                                                        "mwxFlarePartitionMasterBack cluster/partition 1"}));
}

TEST(FlareGolden, ClusterRowsOfTheRealCapture) {
  Sample sample = sample_of("flare/1.3.4/flarei_stats_nodes.txt");
  auto index = parse_index_stats(read_fixture("flare/1.3.4/flarei_stats.txt"));
  ASSERT_TRUE(index.ok());
  sample.index = index.value();
  auto master = build_node_stats(read_fixture("flare/1.3.4/flared_stats.txt"),
                                 read_fixture("flare/1.3.4/flared_master_stats_threads.txt"));
  ASSERT_TRUE(master.ok()) << master.error();
  sample.nodes[0].stats = master.value();
  sample.nodes[0].stats_error.clear();
  sample.nodes[1].stats_error = "connect: Connection refused";
  ClusterHistory history;
  history.failovers = 2;
  history.last_failover = std::chrono::system_clock::time_point(std::chrono::seconds(1795320226));
  history.nodes["127.0.0.1:11212"] = {1, history.last_failover, {}, {}};
  test::expect_golden("flare/1.3.4/cluster_golden.txt",
                      test::printed_rows(instance_entry_oid(), "cluster", [&](SnapshotBuilder& out, RowWriter& row,
                                                                              OidView name) {
                        write_instance_data(row, sample, history);
                        write_node_rows(out, name, "cluster", Snapshot::kNoInstance, sample, history);
                      }));
}

}  // namespace
}  // namespace mwx::flare

namespace mwx::flare {
namespace {

// Node keys come from the index server: a key managers cannot print or
// type gets no row, like a gearman function name.
TEST(FlareIndex, OnlyPrintableAsciiKeysAreIndexed) {
  EXPECT_TRUE(is_indexable("10.0.0.1:12121"));
  EXPECT_FALSE(is_indexable(std::string("10.0.0.1:\x01" "12121")));
  EXPECT_FALSE(is_indexable("n\xc3\xa9ud:12121"));
  EXPECT_FALSE(is_indexable(""));
  EXPECT_FALSE(is_indexable(std::string(kMaxIndexedKeyLength + 1, 'a')));
}

}  // namespace
}  // namespace mwx::flare

namespace mwx::flare {
namespace {

// A node's counters start over when it restarts (smaller uptime, new pid):
// its discontinuity time moves; polls in between keep it.
TEST(FlareInstance, ANodeRestartIsACounterDiscontinuity) {
  auto instance = cluster();
  auto stats = build_node_stats(read_fixture("flare/1.3.4/flared_stats.txt"), "ERROR\r\n");
  ASSERT_TRUE(stats.ok()) << stats.error();
  const auto with_uptime = [&](std::uint64_t uptime) {
    Sample sample = sample_of("flare/1.3.4/flarei_stats_nodes.txt");
    NodeStats node_stats = stats.value();
    node_stats.stats.set(memcached::Stat::uptime, uptime);
    sample.nodes[0].stats = node_stats;
    sample.nodes[0].stats_error.clear();
    return sample;
  };
  const std::string key = "127.0.0.1:11211";
  const auto t0 = std::chrono::system_clock::now();
  instance->take(with_uptime(1000), t0);
  EXPECT_EQ(instance->history().nodes.at(key).stats_discontinuity, t0);
  instance->take(with_uptime(1010), t0 + 10s);
  EXPECT_EQ(instance->history().nodes.at(key).stats_discontinuity, t0);
  instance->take(with_uptime(5), t0 + 20s);  // restarted
  EXPECT_EQ(instance->history().nodes.at(key).stats_discontinuity, t0 + 20s);
}

}  // namespace
}  // namespace mwx::flare
