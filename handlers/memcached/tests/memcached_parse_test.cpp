#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "fixtures.hpp"
#include "handlers/memcached/collector.hpp"
#include "handlers/memcached/parse.hpp"
#include "printed_rows.hpp"

namespace mwx::memcached {
namespace {

using test::read_fixture;

// The fixture's own STAT lines, read independently of the parser.
std::map<std::string, std::string> stat_map(const std::string& reply) {
  std::map<std::string, std::string> out;
  std::istringstream in(reply);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("STAT ", 0) != 0) continue;
    const auto space = line.find(' ', 5);
    out[line.substr(5, space - 5)] = line.substr(space + 1);
  }
  return out;
}

const std::pair<Stat, const char*> kStatNames[] = {
    {Stat::pid, "pid"}, {Stat::uptime, "uptime"}, {Stat::curr_connections, "curr_connections"},
    {Stat::total_connections, "total_connections"}, {Stat::connection_structures, "connection_structures"},
    {Stat::rejected_connections, "rejected_connections"}, {Stat::listen_disabled_num, "listen_disabled_num"},
    {Stat::curr_items, "curr_items"}, {Stat::total_items, "total_items"}, {Stat::bytes, "bytes"},
    {Stat::limit_maxbytes, "limit_maxbytes"}, {Stat::cmd_get, "cmd_get"}, {Stat::cmd_set, "cmd_set"},
    {Stat::cmd_flush, "cmd_flush"}, {Stat::get_hits, "get_hits"}, {Stat::get_misses, "get_misses"},
    {Stat::get_expired, "get_expired"}, {Stat::delete_hits, "delete_hits"}, {Stat::delete_misses, "delete_misses"},
    {Stat::incr_hits, "incr_hits"}, {Stat::incr_misses, "incr_misses"}, {Stat::decr_hits, "decr_hits"},
    {Stat::decr_misses, "decr_misses"}, {Stat::evictions, "evictions"}, {Stat::reclaimed, "reclaimed"},
    {Stat::expired_unfetched, "expired_unfetched"}, {Stat::evicted_unfetched, "evicted_unfetched"},
    {Stat::bytes_read, "bytes_read"}, {Stat::bytes_written, "bytes_written"}, {Stat::threads, "threads"},
};

void expect_stats_match_fixture(const std::string& reply) {
  auto parsed = parse_stats(reply);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const auto expected = stat_map(reply);
  for (const auto& [stat, name] : kStatNames) {
    const auto it = expected.find(name);
    if (it == expected.end()) {
      EXPECT_FALSE(parsed.value().get(stat).has_value()) << name << " is not in the reply: must be absent";
    } else {
      EXPECT_EQ(parsed.value().get(stat), std::stoull(it->second)) << name;
    }
  }
  EXPECT_EQ(parsed.value().version, expected.at("version"));
}

TEST(MemcachedParse, Stats16MatchesEveryFixtureValue) {
  expect_stats_match_fixture(read_fixture("memcached/1.6.18/stats.txt"));
  expect_stats_match_fixture(read_fixture("memcached/1.6.18-busy/stats.txt"));
}

TEST(MemcachedParse, RusageIsMicroseconds) {
  auto parsed = parse_stats(read_fixture("memcached/1.6.18/stats.txt"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().get(Stat::rusage_user), 0u);         // "0.000000"
  EXPECT_EQ(parsed.value().get(Stat::rusage_system), 6509u);    // "0.006509"
  auto colon = parse_stats("STAT rusage_user 12:5\r\nEND\r\n");  // protocol.txt's form
  ASSERT_TRUE(colon.ok());
  EXPECT_EQ(colon.value().get(Stat::rusage_user), 12'000'005u);
}

TEST(MemcachedParse, FlareNodeStatsLackSomeFieldsWhichStayAbsent) {
  const std::string reply = read_fixture("flare/1.3.4/flared_stats.txt");
  expect_stats_match_fixture(reply);
  auto parsed = parse_stats(reply);
  EXPECT_FALSE(parsed.value().get(Stat::rejected_connections).has_value());
  EXPECT_FALSE(parsed.value().get(Stat::get_expired).has_value());
  EXPECT_FALSE(parsed.value().get(Stat::cmd_flush).has_value());
}

TEST(MemcachedParse, Settings) {
  auto settings = parse_settings(read_fixture("memcached/1.6.18/stats_settings.txt"));
  ASSERT_TRUE(settings.ok()) << settings.error();
  EXPECT_EQ(settings.value().maxconns, 1024u);
  EXPECT_EQ(settings.value().maxbytes, 67108864u);
  EXPECT_EQ(settings.value().item_size_max, 1048576u);
  EXPECT_EQ(settings.value().evictions, true);
}

TEST(MemcachedParse, FlareAnswersErrorToSettingsItemsAndSlabs) {
  const std::string error = read_fixture("flare/1.3.4/flared_unknown_command.txt");
  auto settings = parse_settings(error);
  ASSERT_TRUE(settings.ok());
  EXPECT_FALSE(settings.value().maxconns.has_value());
  auto slabs = parse_items_and_slabs(error, error);
  ASSERT_TRUE(slabs.ok());
  EXPECT_TRUE(slabs.value().empty());
}

TEST(MemcachedParse, ItemsAndSlabsJoinByClassId) {
  const std::string items = read_fixture("memcached/1.6.18/stats_items.txt");
  const std::string slabs = read_fixture("memcached/1.6.18/stats_slabs.txt");
  auto classes = parse_items_and_slabs(items, slabs);
  ASSERT_TRUE(classes.ok()) << classes.error();
  const auto item_stats = stat_map(items), slab_stats = stat_map(slabs);
  ASSERT_EQ(classes.value().size(), 2u);  // classes 1 and 15 of the sample
  for (const auto& slab : classes.value()) {
    const std::string id = std::to_string(slab.id);
    EXPECT_EQ(slab.get(SlabStat::items), std::stoull(item_stats.at("items:" + id + ":number")));
    EXPECT_EQ(slab.get(SlabStat::age), std::stoull(item_stats.at("items:" + id + ":age")));
    EXPECT_EQ(slab.get(SlabStat::evicted), std::stoull(item_stats.at("items:" + id + ":evicted")));
    EXPECT_EQ(slab.get(SlabStat::chunk_size), std::stoull(slab_stats.at(id + ":chunk_size")));
    EXPECT_EQ(slab.get(SlabStat::free_chunks), std::stoull(slab_stats.at(id + ":free_chunks")));
  }
  EXPECT_EQ(classes.value()[0].id, 1u);
  EXPECT_EQ(classes.value()[1].id, 15u);
}

TEST(MemcachedParse, BusyServerHasManySparseClasses) {
  auto classes = parse_items_and_slabs(read_fixture("memcached/1.6.18-busy/stats_items.txt"),
                                       read_fixture("memcached/1.6.18-busy/stats_slabs.txt"));
  ASSERT_TRUE(classes.ok()) << classes.error();
  EXPECT_GT(classes.value().size(), 10u);
  for (std::size_t i = 1; i < classes.value().size(); ++i) EXPECT_LT(classes.value()[i - 1].id, classes.value()[i].id);
}

struct BadReply {
  const char* what;
  std::string reply;
  const char* error;
};

TEST(MemcachedParse, BadStatsRepliesFailWithAClearError) {
  const std::string good = read_fixture("memcached/1.6.18/stats.txt");
  const BadReply cases[] = {
      {"missing END", good.substr(0, good.size() - 5), "reply has no END line"},
      {"truncated line", good.substr(0, 20), "reply ends in the middle of a line"},
      {"empty", "", "reply has no END line"},
      {"non-numeric", "STAT curr_items many\r\nEND\r\n", "stat 'curr_items' is not a number: 'many'"},
      {"negative", "STAT curr_items -1\r\nEND\r\n", "stat 'curr_items' is not a number: '-1'"},
      {"overflow", "STAT bytes 99999999999999999999999\r\nEND\r\n",
       "stat 'bytes' is not a number: '99999999999999999999999'"},
      {"trailing junk", "STAT pid 12abc\r\nEND\r\n", "stat 'pid' is not a number: '12abc'"},
      {"duplicate", "STAT pid 1\r\nSTAT pid 2\r\nEND\r\n", "stat 'pid' appears twice"},
      {"error reply", "ERROR\r\n", "server answered 'ERROR'"},
      {"server error", "SERVER_ERROR out of memory\r\n", "server answered 'SERVER_ERROR out of memory'"},
      {"garbage line", "STAT pid 1\r\nHELLO\r\nEND\r\n", "unexpected line 'HELLO'"},
      {"data after END", "END\r\nSTAT pid 1\r\n", "data after END"},
      {"bad rusage", "STAT rusage_user 1.2.3\r\nEND\r\n", "stat 'rusage_user' is not a number: '1.2.3'"},
      {"nameless", "STAT \r\nEND\r\n", "STAT line without a name"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_stats(c.reply);
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_EQ(parsed.error(), c.error) << c.what;
  }
}

TEST(MemcachedParse, BadSettingsAndSlabs) {
  EXPECT_EQ(parse_settings("STAT maxconns lots\r\nEND\r\n").error(), "stat 'maxconns' is not a number: 'lots'");
  EXPECT_EQ(parse_settings("STAT evictions maybe\r\nEND\r\n").error(),
            "setting 'evictions' is neither on nor off: 'maybe'");
  EXPECT_EQ(parse_settings("STAT lru_crawler maybe\r\nEND\r\n").error(),
            "setting 'lru_crawler' is not what memcached prints: 'maybe'");
  EXPECT_EQ(parse_settings("STAT hot_lru_pct 20%\r\nEND\r\n").error(),
            "setting 'hot_lru_pct' is not what memcached prints: '20%'");
  EXPECT_EQ(parse_settings("STAT growth_factor " + std::string(40, '1') + "\r\nEND\r\n").error(),
            "setting 'growth_factor' is not what memcached prints: '" + std::string(40, '1') + "'");
  // A setting mwagentx does not serve is not checked.
  EXPECT_TRUE(parse_settings("STAT ssl_ciphers (null)\r\nEND\r\n").ok());
  EXPECT_EQ(parse_items_and_slabs("STAT items:0:number 1\r\nEND\r\n", "END\r\n").error(),
            "stats items: stat 'items:0:number' has a bad slab class id");
  EXPECT_EQ(parse_items_and_slabs("END\r\n", "STAT 999:chunk_size 96\r\nEND\r\n").error(),
            "stats slabs: stat '999:chunk_size' has a bad slab class id");
  EXPECT_EQ(parse_items_and_slabs("END\r\n", "STAT 1:chunk_size x\r\nEND\r\n").error(),
            "stats slabs: stat '1:chunk_size' is not a number: 'x'");
  EXPECT_EQ(parse_items_and_slabs("STAT items:1:age 5\r\n", "END\r\n").error(), "stats items: reply has no END line");
}

TEST(MemcachedParse, BinaryGarbageIsEscapedInTheMessage) {
  auto parsed = parse_stats("\x01\xff\x1b[2J\\x\r\nEND\r\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(), "unexpected line '\\x01\\xff\\x1b[2J\\x5cx'");
}

TEST(MemcachedParse, LongGarbageIsCutInTheMessage) {
  const std::string reply = "STAT curr_items " + std::string(100000, 'z') + "\r\nEND\r\n";
  auto parsed = parse_stats(reply);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.error().size(), 200u);
}

// Builds what the agent would serve from a fixture directory and compares
// it with the golden file next to it (MWX_UPDATE_GOLDEN=1 rewrites it).
void check_golden(const std::string& dir, const std::vector<std::string>& replies) {
  const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1795318771));
  auto sample = build_sample(replies, nullptr, at);
  ASSERT_TRUE(sample.ok()) << sample.error();
  test::expect_golden(dir + "/golden.txt", test::printed_rows(instance_entry_oid(), "fixture",
      [&](SnapshotBuilder& out, RowWriter& row, OidView index) {
        write_instance_data(row, sample.value());
        write_slab_rows(out, index, "fixture", Snapshot::kNoInstance, sample.value());
        write_listener_rows(out, index, "fixture", Snapshot::kNoInstance, sample.value());
      }));
}

std::vector<std::string> memcached_replies(const std::string& dir) {
  return {read_fixture(dir + "/stats.txt"), read_fixture(dir + "/stats_settings.txt"),
          read_fixture(dir + "/stats_items.txt"), read_fixture(dir + "/stats_slabs.txt")};
}

TEST(MemcachedGolden, Memcached1618) { check_golden("memcached/1.6.18", memcached_replies("memcached/1.6.18")); }
TEST(MemcachedGolden, Memcached1618Busy) {
  check_golden("memcached/1.6.18-busy", memcached_replies("memcached/1.6.18-busy"));
}
TEST(MemcachedGolden, Memcached1618WithConns) {
  auto replies = memcached_replies("memcached/1.6.18-conns");
  replies.push_back(read_fixture("memcached/1.6.18-conns/stats_conns.txt"));
  check_golden("memcached/1.6.18-conns", replies);
}
TEST(MemcachedGolden, FlareNode) {
  const std::string error = read_fixture("flare/1.3.4/flared_unknown_command.txt");
  check_golden("flare/1.3.4", {read_fixture("flare/1.3.4/flared_stats.txt"), error, error, error});
}

// Debian's 1.6.18 listening on 127.0.0.1 and ::1, with four clients over
// IPv4 (one of them the capture's own) and two over IPv6.
TEST(MemcachedConns, CountedByStateAndListener) {
  auto counts = parse_conns(read_fixture("memcached/1.6.18-conns/stats_conns.txt"));
  ASSERT_TRUE(counts.ok()) << counts.error();
  const ConnectionCounts& c = counts.value();
  EXPECT_EQ(c.listening, 2u);
  EXPECT_EQ(c.new_cmd, 3u);
  EXPECT_EQ(c.read, 2u);
  EXPECT_EQ(c.parse_cmd, 1u);
  EXPECT_EQ(c.waiting + c.nread + c.writing + c.closing + c.other, 0u);
  EXPECT_EQ(c.longest_idle, 2u);
  const std::map<std::string, std::uint64_t> listeners{{"tcp:127.0.0.1:22320", 4}, {"tcp6:[::1]:22320", 2}};
  EXPECT_EQ(c.by_listener, listeners);
}

TEST(MemcachedConns, GarbageFailsNamingTheLine) {
  EXPECT_EQ(parse_conns("STAT x:state conn_read\r\nEND\r\n").error(), "stats conns: 'x:state' is not FD:FIELD");
  EXPECT_EQ(parse_conns("STAT 5:secs_since_last_cmd soon\r\nEND\r\n").error(),
            "stats conns: 5:secs_since_last_cmd is not a number: 'soon'");
  auto none = parse_conns("END\r\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().longest_idle);
  // A state of a later version is counted, as other.
  EXPECT_EQ(parse_conns("STAT 9:listen_addr unix:/s\r\nSTAT 9:state conn_future\r\nEND\r\n").value().other, 1u);
}

TEST(MemcachedConns, AListenerIndexHoldsItsAddressFirst80Characters) {
  Sample sample;
  sample.connections = ConnectionCounts{};
  const std::string path = "unix:/run/" + std::string(90, 'd');
  sample.connections->by_listener = {{path + "/a.sock", 2}, {path + "/b.sock", 3}, {"tcp:127.0.0.1:11211", 1}};
  const std::string printed = test::printed_rows(instance_entry_oid(), "m", [&](SnapshotBuilder& out, RowWriter&, OidView index) {
    write_listener_rows(out, index, "m", Snapshot::kNoInstance, sample);
  });
  EXPECT_NE(printed.find("= Gauge32: 5"), std::string::npos) << printed;  // the two long paths are one row
  EXPECT_NE(printed.find("STRING: m/" + path + "/a.sock"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("b.sock"), std::string::npos) << printed;
}

TEST(MemcachedSample, ReportsWhichReplyWasBad) {
  auto replies = memcached_replies("memcached/1.6.18");
  replies[1] = "STAT maxconns x\r\nEND\r\n";
  auto sample = build_sample(replies, nullptr, std::chrono::system_clock::now());
  ASSERT_FALSE(sample.ok());
  EXPECT_EQ(sample.error(), "stats settings: stat 'maxconns' is not a number: 'x'");
}

}  // namespace
}  // namespace mwx::memcached
