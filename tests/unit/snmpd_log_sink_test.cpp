#include <gtest/gtest.h>

#include <poll.h>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <spdlog/spdlog.h>

#include "agent/snmp/snmpd_log_sink.hpp"

namespace mwx {
namespace {

// What reached snmp_log, through a logging callback as snmpd's handlers would see it.
std::vector<std::pair<int, std::string>> logged;

int capture(int, int, void* server_arg, void*) {
  const auto* message = static_cast<const snmp_log_message*>(server_arg);
  logged.emplace_back(message->priority, message->msg);
  return 0;
}

class SnmpdLogSinkTest : public testing::Test {
 protected:
  void SetUp() override {
    logged.clear();
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, capture, nullptr);
    snmp_enable_calllog();
  }
  void TearDown() override {
    snmp_disable_calllog();
    snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, capture, nullptr, 0);
  }

  static bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
  }

  std::shared_ptr<SnmpdLogSink> sink = std::make_shared<SnmpdLogSink>();
  spdlog::logger log{"memcached", sink};
};

TEST_F(SnmpdLogSinkTest, ALineOfSnmpdsThreadGoesToSnmpLogAtOnceWithItsPriority) {
  log.warn("instance {} is down", "sessions");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].first, LOG_WARNING);
  EXPECT_EQ(logged[0].second, "[memcached] instance sessions is down\n");
  EXPECT_FALSE(readable(sink->fd()));
}

TEST_F(SnmpdLogSinkTest, ALineOfAnotherThreadWaitsUntilSnmpdsThreadWritesIt) {
  std::thread([&] {
    log.error("first");
    log.info("second");
  }).join();
  EXPECT_TRUE(logged.empty()) << "net-snmp called from the collectors' thread";
  ASSERT_TRUE(readable(sink->fd()));
  sink->write_queued();
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0], std::make_pair(LOG_ERR, std::string("[memcached] first\n")));
  EXPECT_EQ(logged[1], std::make_pair(LOG_INFO, std::string("[memcached] second\n")));
  EXPECT_FALSE(readable(sink->fd()));
}

}  // namespace
}  // namespace mwx
