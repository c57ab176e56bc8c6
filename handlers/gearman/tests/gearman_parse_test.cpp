#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "handlers/gearman/collector.hpp"
#include "handlers/gearman/parse.hpp"
#include "printed_rows.hpp"

namespace mwx::gearman {
namespace {

using test::read_fixture;

// The replies of one poll, in the order poll_requests() asks.
std::vector<std::string> replies(const std::string& dir) {
  std::vector<std::string> out;
  for (const char* command : {"status", "prioritystatus", "workers", "version", "getpid"}) {
    out.push_back(read_fixture(dir + "/" + command + ".txt"));
  }
  return out;
}

// What gearmand 1.1.20 answers a command it does not have (captured with
// "bogus"): an older gearmand answers so to 'prioritystatus' and 'getpid'.
const std::string kUnknownCommand = "ERR UNKNOWN_COMMAND Unknown+server+commandprioritystatus\r\n";

TEST(GearmanParse, StatusOfARealServer) {
  auto functions = parse_status(read_fixture("gearman/1.1.20/status.txt"));
  ASSERT_TRUE(functions.ok()) << functions.error();
  ASSERT_EQ(functions.value().size(), 4u);
  const auto& slow = functions.value()[3];
  EXPECT_EQ(slow.name, "slow");
  EXPECT_EQ(slow.total, 2u);
  EXPECT_EQ(slow.running, 1u);
  EXPECT_EQ(slow.waiting(), 1u);
  EXPECT_EQ(slow.available, 1u);
  EXPECT_EQ(functions.value()[2].name, "odd name/with.chars");  // spaces are part of names
}

TEST(GearmanParse, WorkersCountOnlyConnectionsWithFunctions) {
  auto workers = parse_workers(read_fixture("gearman/1.1.20/workers.txt"));
  ASSERT_TRUE(workers.ok()) << workers.error();
  EXPECT_EQ(workers.value().workers, 2u);  // 'reverse' and 'slow'; the admin connection has none
  EXPECT_EQ(workers.value().total, 3u);
  EXPECT_EQ(parse_workers(read_fixture("gearman/1.1.20-empty/workers.txt")).value().workers, 0u);
  EXPECT_EQ(parse_workers(read_fixture("gearman/1.1.20-empty/workers.txt")).value().total, 1u);
}

// Two workers busy with a high-priority job each; queued behind them 2
// high, 1 normal and 3 low jobs for 'slow'; 'batch' has 2 low jobs and no
// worker (fixtures/README.md).
TEST(GearmanParse, QueuesByPriorityOfARealServer) {
  auto sample = build_sample(replies("gearman/1.1.20-priorities"));
  ASSERT_TRUE(sample.ok()) << sample.error();
  const auto& functions = sample.value().functions;
  ASSERT_EQ(functions.size(), 3u);
  const FunctionStatus& slow = functions[2];
  EXPECT_EQ(slow.name, "slow");
  ASSERT_TRUE(slow.queued);
  EXPECT_EQ(slow.queued->high, 2u);
  EXPECT_EQ(slow.queued->normal, 1u);
  EXPECT_EQ(slow.queued->low, 3u);
  // The queues hold the waiting jobs: a running one is in none.
  EXPECT_EQ(slow.queued->high + slow.queued->normal + slow.queued->low, slow.waiting());
  EXPECT_EQ(slow.registered, 2u);
  EXPECT_EQ(functions[0].name, "batch");
  EXPECT_EQ(functions[0].queued->low, 2u);
  EXPECT_EQ(functions[0].registered, 0u);
  EXPECT_EQ(sample.value().pid, 28148u);
  EXPECT_EQ(sample.value().connections.total, 4u);
  EXPECT_EQ(sample.value().connections.workers, 3u);
  EXPECT_EQ(summarize(sample.value()).client_connections, 0u);  // the one without a function is ours
}

TEST(GearmanParse, AFunctionInOnlyOneReplyStillHasARow) {
  auto r = replies("gearman/1.1.20");
  r[1] = "new\t0\t4\t0\t0\nreverse\t0\t0\t0\t1\n.\n";  // 'new' came between the two commands
  auto sample = build_sample(r);
  ASSERT_TRUE(sample.ok()) << sample.error();
  const auto& functions = sample.value().functions;
  ASSERT_EQ(functions.size(), 5u);
  EXPECT_EQ(functions[4].name, "new");
  EXPECT_FALSE(functions[4].in_status);
  EXPECT_EQ(functions[4].queued->normal, 4u);
  EXPECT_FALSE(functions[1].queued) << "resize_image left 'prioritystatus': its queues are unknown, not 0";
  const std::string out = test::printed_rows(instance_entry_oid(), "jobs",
      [&](SnapshotBuilder& builder, RowWriter& row, OidView index) {
        write_instance_data(row, sample.value());
        write_function_rows(builder, index, "jobs", Snapshot::kNoInstance, sample.value());
      });
  EXPECT_NE(out.find("mwxGearmanFunctionQueuedNormal.\"jobs\".\"new\" = Gauge32: 4\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("mwxGearmanFunctionTotal.\"jobs\".\"new\""), std::string::npos) << out;
  EXPECT_EQ(out.find("mwxGearmanFunctionQueuedNormal.\"jobs\".\"resize_image\""), std::string::npos) << out;
}

TEST(GearmanParse, AnOlderServerWithoutPrioritystatusOrGetpid) {
  auto r = replies("gearman/1.1.20");
  r[1] = kUnknownCommand;
  r[4] = kUnknownCommand;
  auto sample = build_sample(r);
  ASSERT_TRUE(sample.ok()) << sample.error();
  EXPECT_FALSE(sample.value().pid);
  for (const auto& function : sample.value().functions) EXPECT_FALSE(function.queued) << function.name;
}

TEST(GearmanParse, BadPrioritystatusAndGetpidReplies) {
  EXPECT_EQ(parse_prioritystatus("a\t1\t2\t3\n.\n").error(), "line 'a\\x091\\x092\\x093' has 4 tab-separated fields, expected 5");
  EXPECT_EQ(parse_prioritystatus("a\t1\tx\t3\t0\n.\n").error(), "function 'a': normal is not a number: 'x'");
  EXPECT_EQ(parse_prioritystatus("a\t1\t2\t3\t0\na\t0\t0\t0\t0\n.\n").error(), "function 'a' is listed twice");
  EXPECT_EQ(parse_pid("OK many\n").error(), "unexpected getpid reply 'many'");
  EXPECT_EQ(parse_pid("").error(), "unexpected getpid reply ''");
  auto r = replies("gearman/1.1.20");
  r[1] = "a\t1\n.\n";
  EXPECT_EQ(build_sample(r).error(), "prioritystatus: line 'a\\x091' has 2 tab-separated fields, expected 5");
}

TEST(GearmanParse, Version) {
  EXPECT_EQ(parse_version(read_fixture("gearman/1.1.20/version.txt")).value(), "1.1.20+ds");
  EXPECT_EQ(parse_version("ERR UNKNOWN_COMMAND Unknown+server+command\r\n").error(),
            "unexpected version reply 'ERR UNKNOWN_COMMAND Unknown+server+command'");
}

TEST(GearmanParse, EmptyServer) {
  auto sample = build_sample(replies("gearman/1.1.20-empty"));
  ASSERT_TRUE(sample.ok()) << sample.error();
  EXPECT_TRUE(sample.value().functions.empty());
  const Summary summary = summarize(sample.value());
  EXPECT_EQ(summary.functions, 0u);
  EXPECT_EQ(summary.total_jobs, 0u);
}

TEST(GearmanParse, SummaryOfARealServer) {
  auto sample = build_sample(replies("gearman/1.1.20"));
  ASSERT_TRUE(sample.ok()) << sample.error();
  const Summary summary = summarize(sample.value());
  EXPECT_EQ(summary.functions, 4u);
  EXPECT_EQ(summary.total_jobs, 6u);    // 0 + 3 + 1 + 2
  EXPECT_EQ(summary.running_jobs, 1u);
  EXPECT_EQ(summary.waiting_jobs, 5u);
  EXPECT_EQ(summary.starved_functions, 2u);  // resize_image and the odd name: jobs, no worker
}

TEST(GearmanParse, ThousandsOfFunctions) {
  std::string reply;
  for (int i = 0; i < 5000; ++i) reply += "function" + std::to_string(i) + "\t" + std::to_string(i) + "\t0\t1\n";
  reply += ".\n";
  auto functions = parse_status(reply);
  ASSERT_TRUE(functions.ok()) << functions.error();
  ASSERT_EQ(functions.value().size(), 5000u);
  EXPECT_EQ(functions.value()[4999].total, 4999u);
}

TEST(GearmanParse, HugeTotalsSaturateInsteadOfWrapping) {
  auto functions = parse_status("a\t18446744073709551615\t0\t0\nb\t5\t0\t0\n.\n");
  ASSERT_TRUE(functions.ok());
  Sample sample;
  sample.functions = functions.value();
  EXPECT_EQ(summarize(sample).total_jobs, UINT64_MAX);
}

TEST(GearmanParse, BadStatusRepliesFailWithAClearError) {
  const std::pair<std::string, std::string> cases[] = {
      {"reverse\t0\t0\t1\n", "reply has no final '.' line"},
      {"reverse\t0\t0\t1", "reply ends in the middle of a line"},
      {"reverse\t0\t0\n.\n", "line 'reverse\\x090\\x090' has 3 tab-separated fields, expected 4"},
      {"reverse\t0\t0\t1\t9\n.\n", "line 'reverse\\x090\\x090\\x091\\x099' has 5 tab-separated fields, expected 4"},
      {"reverse\tmany\t0\t1\n.\n", "function 'reverse': total is not a number: 'many'"},
      {"reverse\t1\t-1\t1\n.\n", "function 'reverse': running is not a number: '-1'"},
      {"reverse\t1\t0\t\n.\n", "function 'reverse': available workers is not a number: ''"},
      {"reverse\t1\t2\t1\n.\n", "function 'reverse': running 2 exceeds total 1"},
      {"a\t1\t0\t0\na\t2\t0\t0\n.\n", "function 'a' is listed twice"},
      {".\nreverse\t0\t0\t1\n", "data after the final '.'"},
      {"ERR UNKNOWN_COMMAND Unknown+server+commandstatus\r\n",
       "server answered 'ERR UNKNOWN_COMMAND Unknown+server+commandstatus'"},
      {"", "reply has no final '.' line"},
  };
  for (const auto& [reply, error] : cases) {
    auto parsed = parse_status(reply);
    ASSERT_FALSE(parsed.ok()) << reply;
    EXPECT_EQ(parsed.error(), error);
  }
}

// A worker and the admin connection over IPv6: gearmand 1.1.20 prints
// their addresses as "::%1754350352" and "::3531:3438:3000:0%1754350352",
// which a split at the first " :" took for the separator.
TEST(GearmanParse, WorkersConnectedOverIpv6AreCounted) {
  auto workers = parse_workers(read_fixture("gearman/1.1.20-ipv6/workers.txt"));
  ASSERT_TRUE(workers.ok()) << workers.error();
  EXPECT_EQ(workers.value().workers, 1u);
  const auto listed = parse_workers("38 ::1 - : reverse upper\n39 2001:db8::7 my:id : \n.\n");
  EXPECT_EQ(listed.value().workers, 1u);
  EXPECT_EQ(listed.value().registered.at("upper"), 1u);
}

// Found by fuzz_gearman_workers: a connection that lists a function twice
// was counted twice for it, more connections than there are workers.
TEST(GearmanParse, AConnectionListingAFunctionTwiceCountsOnce) {
  const auto listed = parse_workers("38 127.0.0.1 - : re re rr\n39 127.0.0.1 - : re\n.\n");
  ASSERT_TRUE(listed.ok()) << listed.error();
  EXPECT_EQ(listed.value().registered.at("re"), 2u);
  EXPECT_EQ(listed.value().registered.at("rr"), 1u);
}

TEST(GearmanParse, BadWorkersReplies) {
  EXPECT_EQ(parse_workers("garbage\n.\n").error(), "unexpected worker line 'garbage'");
  EXPECT_EQ(parse_workers("x 127.0.0.1 - : f\n.\n").error(), "unexpected worker line 'x 127.0.0.1 - : f'");
  EXPECT_EQ(parse_workers("38 127.0.0.1 - : f\n").error(), "reply has no final '.' line");
}

TEST(GearmanSample, ReportsWhichReplyWasBad) {
  auto r = replies("gearman/1.1.20");
  r[2] = "nonsense\n.\n";
  EXPECT_EQ(build_sample(r).error(), "workers: unexpected worker line 'nonsense'");
}

TEST(GearmanMib, WhichNamesCanBeAnIndex) {
  EXPECT_TRUE(is_indexable("resize_image"));
  EXPECT_TRUE(is_indexable("odd name/with.chars"));
  EXPECT_TRUE(is_indexable(std::string(80, 'x')));
  EXPECT_FALSE(is_indexable(std::string(81, 'x')));
  EXPECT_FALSE(is_indexable(""));
  EXPECT_FALSE(is_indexable("caf\xc3\xa9"));
  EXPECT_FALSE(is_indexable("tab\there"));
}

TEST(GearmanMib, UnindexableFunctionsCountButGetNoRow) {
  Sample sample;
  sample.version = "1.1.20";
  sample.functions = {{"ok", 3, 1, 1}, {std::string(100, 'x'), 5, 0, 0}, {"caf\xc3\xa9", 2, 0, 1}};
  const std::string out = test::printed_rows(instance_entry_oid(), "jobs",
      [&](SnapshotBuilder& builder, RowWriter& row, OidView index) {
        write_instance_data(row, sample);
        write_function_rows(builder, index, "jobs", Snapshot::kNoInstance, sample);
        // No OID is longer than SNMP allows: the builder would refuse it.
        auto snapshot = SnapshotBuilder(builder).build();
        EXPECT_TRUE(snapshot.ok()) << snapshot.error();
      });
  EXPECT_NE(out.find("mwxGearmanTotalJobs.\"jobs\" = Gauge32: 10\n"), std::string::npos) << out;
  EXPECT_NE(out.find("mwxGearmanFunctionsNotIndexed.\"jobs\" = Gauge32: 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("mwxGearmanFunctionWaiting.\"jobs\".\"ok\" = Gauge32: 2\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("xxxxxxxxxx"), std::string::npos) << out;
}

TEST(GearmanGolden, RealServer) {
  auto sample = build_sample(replies("gearman/1.1.20"));
  ASSERT_TRUE(sample.ok()) << sample.error();
  test::expect_golden("gearman/1.1.20/golden.txt", test::printed_rows(instance_entry_oid(), "fixture",
      [&](SnapshotBuilder& out, RowWriter& row, OidView index) {
        write_instance_data(row, sample.value());
        write_function_rows(out, index, "fixture", Snapshot::kNoInstance, sample.value());
      }));
}

}  // namespace
}  // namespace mwx::gearman
