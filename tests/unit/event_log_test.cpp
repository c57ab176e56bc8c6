#include <gtest/gtest.h>

#include "agent/event_log.hpp"
#include "agent/instance_events.hpp"
#include "agent/notifier.hpp"
#include <sstream>

#include "agent/agent_mib.hpp"
#include "agent/dump.hpp"

namespace mwx {
namespace {

using std::chrono::seconds;

const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);

Event down(const std::string& label) {
  Event event;
  event.type = &instance_events::down_notification;
  event.subsystem = "memcached";
  event.label = label;
  event.text = "memcached " + label + " is down";
  return event;
}

TEST(EventLog, OnePerNotificationAndRowInTheHoldoffAndTheNextCarriesTheCount) {
  EventLog log({seconds(60), 10});
  EXPECT_EQ(log.admit({down("a")}, t0).size(), 1u);
  EXPECT_TRUE(log.admit({down("a"), down("a")}, t0 + seconds(10)).empty());
  const auto other_row = log.admit({down("b")}, t0 + seconds(10));
  ASSERT_EQ(other_row.size(), 1u);
  EXPECT_EQ(other_row[0].suppressed, 0u);
  const auto later = log.admit({down("a")}, t0 + seconds(60));
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].suppressed, 2u);
  EXPECT_EQ(later[0].index, 3u);
}

TEST(EventLog, KeepsTheLastRowsNumberedAndCountsWhatItSuppressed) {
  EventLog log({seconds(0), 2});
  for (int i = 0; i < 3; ++i) log.admit({down("a")}, t0 + seconds(i));
  log.count_overflowed(4);
  SnapshotBuilder builder;
  log.write_rows(builder);
  const auto snapshot = std::move(builder).build();
  ASSERT_TRUE(snapshot.ok()) << snapshot.error();
  std::ostringstream printed;
  print_snapshot(*snapshot.value(), full_catalog(), printed);
  const std::string rows = printed.str();
  EXPECT_NE(rows.find("mwxEventsLogged.0 = Counter64: 3"), std::string::npos) << rows;
  EXPECT_NE(rows.find("mwxEventsOverflowed.0 = Counter64: 4"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("mwxEventLabel.1 "), std::string::npos) << rows;  // the oldest went
  EXPECT_NE(rows.find("mwxEventLabel.2 = STRING: \"a\""), std::string::npos) << rows;
  EXPECT_NE(rows.find("mwxEventType.3 = INTEGER: instanceDown(1)"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("mwxEventValue."), std::string::npos) << rows;  // a down has no value
}

TEST(Notifier, HoldsWhileUndeliverableAndDropsTheOldestBeyondItsBound) {
  std::vector<std::string> sent;
  std::uint64_t lost = 0;
  Notifier notifier(2, [&](const Event& e) { sent.push_back(e.label); }, [&](std::uint64_t n) { lost += n; });
  notifier.submit({down("a")}, true);
  notifier.submit({down("b"), down("c"), down("d")}, false);
  EXPECT_EQ(sent, std::vector<std::string>{"a"});
  EXPECT_EQ(lost, 1u);
  EXPECT_EQ(notifier.deliver_held(), 2u);
  EXPECT_EQ(sent, (std::vector<std::string>{"a", "c", "d"}));
  notifier.submit({down("e")}, false);
  notifier.submit({down("f")}, true);  // delivered in order, the held one first
  EXPECT_EQ(sent, (std::vector<std::string>{"a", "c", "d", "e", "f"}));
}

}  // namespace
}  // namespace mwx
