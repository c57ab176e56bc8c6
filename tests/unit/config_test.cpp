#include <set>
#include <span>

#include <gtest/gtest.h>

#include "agent/config_loader.hpp"
#include "agent/subsystem.hpp"

namespace mwx {
namespace {

using std::chrono::milliseconds;

Result<Configuration> load(const std::string& text) { return configuration_from_text(text, "test.conf"); }

std::string error_of(const std::string& text) {
  auto result = load(text);
  EXPECT_FALSE(result.ok()) << "accepted:\n" << text;
  return result.ok() ? std::string{} : result.error();
}

TEST(Config, AnnotatedExampleFromTheIssueIsAccepted) {
  auto result = load(
      "# comment line\n"
      "agentx_socket /var/agentx/master\n"
      "interval 10          # seconds between polls\n"
      "timeout 2\n"
      "log_level info\n"
      "memcached sessions 127.0.0.1:11211\n"
      "memcached objects  /run/memcached/objects.sock interval=5 timeout=1\n");
  ASSERT_TRUE(result.ok()) << result.error();
  const auto& config = result.value().config;
  EXPECT_EQ(config.agentx_socket, "/var/agentx/master");
  ASSERT_EQ(config.instances.size(), 2u);
  EXPECT_EQ(config.instances[0].interval, milliseconds(10000));
  EXPECT_EQ(config.instances[0].timeout, milliseconds(2000));
  EXPECT_EQ(config.instances[1].interval, milliseconds(5000));
  EXPECT_EQ(config.instances[1].timeout, milliseconds(1000));
  EXPECT_EQ(config.instances[1].identity,
            "memcached objects /run/memcached/objects.sock interval=5 timeout=1 (every 5s, timeout 1s)");
  EXPECT_EQ(result.value().instances.size(), 2u);
  EXPECT_EQ(result.value().instances[1]->settings().endpoint, "/run/memcached/objects.sock");
}

TEST(Config, IdentityChangesWithTheGlobalPeriods) {
  // A reload that only changes the global interval must not keep the old instance.
  const auto before = load("memcached a 127.0.0.1\n").value().config.instances[0].identity;
  const auto after = load("interval 30\nmemcached a 127.0.0.1\n").value().config.instances[0].identity;
  EXPECT_NE(before, after);
  EXPECT_EQ(before, load("memcached   a   127.0.0.1   # same words\n").value().config.instances[0].identity);
}

TEST(Config, EmptyFileMeansDefaults) {
  auto result = load("");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().config.interval, milliseconds(10000));
  EXPECT_EQ(result.value().config.timeout, milliseconds(2000));
  EXPECT_EQ(result.value().config.agentx_ping_interval, std::chrono::seconds(15));
}

TEST(Config, GlobalPeriodsApplyToInstancesAboveThemToo) {
  auto result = load("memcached a 127.0.0.1\ninterval 30\ntimeout 0.5\n");
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result.value().config.instances[0].interval, milliseconds(30000));
  EXPECT_EQ(result.value().config.instances[0].timeout, milliseconds(500));
}

TEST(Config, UnknownDirectiveNamesFileLineAndTheKnownOnes) {
  // The core's directives and every subsystem's, in alphabetical order.
  std::set<std::string> known{"agentx_ping_interval", "agentx_socket", "event", "event_backlog", "event_holdoff",
                              "event_log_size", "interval", "log_level", "max_parallel_polls", "timeout"};
  known.insert(subsystem_directives().begin(), subsystem_directives().end());
  std::string listed;
  for (const auto& name : known) listed += (listed.empty() ? "" : ", ") + name;
  EXPECT_EQ(error_of("\n\nmemcache a 127.0.0.1:11211\n"),
            "test.conf:3: unknown directive 'memcache'; expected one of: " + listed);
  EXPECT_NE(listed.find("memcached, qmail"), std::string::npos) << listed;
}

TEST(Config, DuplicateInstanceNameNamesBothLines) {
  EXPECT_EQ(error_of("memcached a 127.0.0.1:1\nmemcached a 127.0.0.1:2\n"),
            "test.conf:2: duplicate memcached instance name 'a' (first defined at test.conf:1)");
}

// A configuration and a part of the error it gives.
struct Refused {
  std::string text;
  std::string part;
};

void expect_refused(std::span<const Refused> cases) {
  for (const auto& c : cases) {
    auto result = configuration_from_text(c.text, "test.conf");
    ASSERT_FALSE(result.ok()) << "accepted:\n" << c.text;
    EXPECT_NE(result.error().find(c.part), std::string::npos) << result.error();
  }
}

TEST(Config, BadAddresses) {
  const Refused cases[] = {
      {"memcached a 127.0.0.1:99999\n", "test.conf:1: memcached a: bad port '99999'"},
      {"memcached a db_1.example.com:11211\n", "test.conf:1: memcached a: bad address"},
      {"memcached a -cache01:11211\n", "bad address"},
      {"memcached a [cache01]:11211\n", "bad address"},
      {"memcached a ::1:11211\n", "[ADDRESS]:PORT"},
      {"memcached a 127.0.0.1:\n", "empty port"},
      {"memcached a\n", "expected: memcached NAME ENDPOINT (usage: memcached NAME HOST:PORT"},
      {"memcached a 1.2.3.4 5.6.7.8\n", "expected: memcached NAME"},
  };
  expect_refused(cases);
}

TEST(Config, GoodAddresses) {
  EXPECT_TRUE(load("memcached a [::1]:11211\nmemcached b localhost\nmemcached c unix:/tmp/m.sock\n").ok());
  // Operators name their servers; the poll resolves the name.
  EXPECT_TRUE(load("memcached a cache01:11211\ngearman b jobq01.example.com\nflare c flarei-1:12120\n").ok());
}

TEST(Config, BadNumbers) {
  EXPECT_EQ(error_of("interval ten\n"),
            "test.conf:1: bad interval 'ten'; expected seconds from 0.1 to 86400, e.g. 10 or 2.5");
  EXPECT_NE(error_of("timeout 0\n").find("test.conf:1: bad timeout '0'"), std::string::npos);
  EXPECT_NE(error_of("timeout 1.2345\n").find("bad timeout"), std::string::npos);
  EXPECT_NE(error_of("memcached a 127.0.0.1 interval=-1\n").find("test.conf:1: bad interval '-1'"),
            std::string::npos);
  EXPECT_NE(error_of("agentx_ping_interval 0\n").find("test.conf:1: bad agentx_ping_interval"),
            std::string::npos);
  EXPECT_NE(error_of("log_level loud\n").find("test.conf:1: bad log_level 'loud'"), std::string::npos);
}

TEST(Config, TimeoutMustBeShorterThanInterval) {
  EXPECT_EQ(error_of("interval 5\ntimeout 5\n"), "test.conf:2: timeout 5s must be shorter than interval 5s");
  EXPECT_EQ(error_of("timeout 3\nmemcached a 127.0.0.1 interval=2.5\n"),
            "test.conf:2: timeout 3s must be shorter than interval 2.5s");
}

TEST(Config, UnknownInstanceOptionAndBadName) {
  EXPECT_NE(error_of("memcached a 127.0.0.1 weight=3\n").find("unknown option 'weight='; memcached takes interval=, "
                                                             "conns=, slabs= and timeout="),
            std::string::npos);
  EXPECT_NE(error_of("memcached a 127.0.0.1 conns=yes\n").find("conns must be on or off, not 'yes'"), std::string::npos);
  EXPECT_NE(error_of("memcached a 127.0.0.1 slabs=no\n").find("slabs must be on or off, not 'no'"), std::string::npos);
  EXPECT_TRUE(load("memcached a 127.0.0.1 slabs=off\nmemcached b 127.0.0.1 slabs=on conns=on\n").ok());
  EXPECT_NE(error_of("memcached bad/name 127.0.0.1\n").find("test.conf:1: bad instance name 'bad/name'"),
            std::string::npos);
  EXPECT_NE(error_of("memcached " + std::string(33, 'x') + " 127.0.0.1\n").find("bad instance name"),
            std::string::npos);
}

TEST(Config, GlobalDirectiveTwiceOrWithoutValue) {
  EXPECT_EQ(error_of("interval 5\ninterval 6\n"), "test.conf:2: 'interval' is set twice (first at test.conf:1)");
  EXPECT_EQ(error_of("agentx_socket\n"), "test.conf:1: 'agentx_socket' takes exactly one value: agentx_socket ADDRESS");
}

TEST(Config, EveryErrorIsReportedNotJustTheFirst) {
  const std::string errors = error_of("bogus 1\nmemcached a 1.2.3.4:0\nlog_level x\n");
  EXPECT_NE(errors.find("test.conf:1:"), std::string::npos);
  EXPECT_NE(errors.find("test.conf:2:"), std::string::npos);
  EXPECT_NE(errors.find("test.conf:3:"), std::string::npos);
}

TEST(Config, MissingFileIsAClearError) {
  auto result = load_configuration("/nonexistent/mwagentx.conf");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "/nonexistent/mwagentx.conf: cannot open: No such file or directory");
}

TEST(Config, Seconds) {
  EXPECT_EQ(parse_seconds("10"), milliseconds(10000));
  EXPECT_EQ(parse_seconds("2.5"), milliseconds(2500));
  EXPECT_EQ(parse_seconds("0.125"), milliseconds(125));
  EXPECT_FALSE(parse_seconds(""));
  EXPECT_FALSE(parse_seconds("1."));
  EXPECT_FALSE(parse_seconds(".5"));
  EXPECT_FALSE(parse_seconds("1e3"));
  EXPECT_FALSE(parse_seconds("99999999999999999999"));
}

}  // namespace
}  // namespace mwx

namespace mwx {
namespace {

TEST(ConfigQmail, DirectoryDefaultsAndIsCheckedWithoutTouchingTheDisk) {
  auto result = configuration_from_text("qmail mail\nqmail other /srv/qmail/ interval=60\n", "test.conf");
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result.value().instances[0]->settings().endpoint, "/var/qmail");
  EXPECT_EQ(result.value().instances[1]->settings().endpoint, "/srv/qmail");
}

TEST(ConfigQmail, BadLines) {
  const auto error_of = [](const std::string& text) {
    auto result = configuration_from_text(text, "test.conf");
    return result.ok() ? std::string{} : result.error();
  };
  EXPECT_NE(error_of("qmail mail var/qmail\n").find("test.conf:1: qmail mail: QMAILDIR must be an absolute path"),
            std::string::npos);
  EXPECT_NE(error_of("qmail mail /var/qmail /other\n").find("expected: qmail NAME [QMAILDIR]"), std::string::npos);
  EXPECT_NE(error_of("qmail mail /var/qmail split=23\n").find("unknown option 'split='"), std::string::npos);
}

}  // namespace
}  // namespace mwx

namespace mwx {
namespace {

TEST(ConfigLvsAndFlare, OptionsAreChecked) {
  EXPECT_TRUE(configuration_from_text("lvs lb source=auto procfs=/srv/proc/ conn_interval=300 conn_limit=50000\n"
                                      "lvs quiet conns=off\nflare c 10.0.0.1 node_stats=off\n",
                                      "test.conf")
                  .ok());
  const Refused cases[] = {
      {"lvs lb source=kernel\n", "source must be auto, netlink or procfs, not 'kernel'"},
      {"lvs lb procfs=proc\n", "procfs= must be an absolute path"},
      {"lvs lb 10.0.0.1\n", "expected: lvs NAME"},
      {"lvs lb weight=1\n", "unknown option 'weight='"},
      {"lvs lb conns=maybe\n", "conns must be on or off, not 'maybe'"},
      {"lvs lb conn_interval=0\n", "conn_interval must be 1 to 86400 seconds, not '0'"},
      {"lvs lb conn_interval=1m\n", "conn_interval must be 1 to 86400 seconds, not '1m'"},
      {"lvs lb conn_limit=-5\n", "conn_limit must be a number of entries above 0, not '-5'"},
      {"flare c 10.0.0.1 node_stats=yes\n", "node_stats must be on or off"},
      {"flare c /run/flare.sock\n", "TCP"},
      {"flare c\n", "expected: flare NAME INDEXHOST[:PORT]"},
  };
  expect_refused(cases);
}

}  // namespace
}  // namespace mwx
