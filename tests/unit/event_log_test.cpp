#include <gtest/gtest.h>

#include "agent/events/event_log.hpp"
#include "agent/events/instance_events.hpp"
#include "agent/snmp/notifier.hpp"
#include <map>
#include <random>
#include <regex>
#include <sstream>

#include "agent/mib/agent_group.hpp"
#include "agent/mib/dump.hpp"
#include "agent/subsystem.hpp"

namespace mwx {
namespace {

using std::chrono::seconds;

const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);

Event down(const std::string& label) {
  Event event;
  event.type = &instance_events::down_notification;
  event.spec = &instance_events::down;
  event.subsystem = "memcached";
  event.label = label;
  event.text = "memcached " + label + " is down";
  return event;
}

Event up(const std::string& label) {
  Event event = down(label);
  event.type = &instance_events::up_notification;
  event.spec = &instance_events::down;
  event.text = "memcached " + label + " is up again";
  return event;
}

TEST(EventLog, OnePerEventAndRowInTheHoldoffThenTheLatestHeldBack) {
  EventLog log({seconds(60), 10});
  EXPECT_EQ(log.admit({down("a")}, t0).size(), 1u);
  EXPECT_TRUE(log.admit({down("a"), down("a")}, t0 + seconds(10)).empty());
  const auto other_row = log.admit({down("b")}, t0 + seconds(10));
  ASSERT_EQ(other_row.size(), 1u);
  EXPECT_EQ(other_row[0].suppressed, 0u);
  EXPECT_EQ(log.next_release(), t0 + seconds(60));
  EXPECT_TRUE(log.release_held(t0 + seconds(59)).empty());
  // The holdoff ends: the latest held back goes out, counting the one it replaced.
  const auto later = log.release_held(t0 + seconds(60));
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].label, "a");
  EXPECT_EQ(later[0].suppressed, 1u);
  EXPECT_EQ(later[0].index, 3u);
  EXPECT_EQ(log.next_release(), std::nullopt);
}

// Down at 0 s, up at 10 s, down at 20 s: the second down must not be lost
// to the rate limit, or the receiver would believe the instance is up.
TEST(EventLog, AnOutageAfterAFlapIsToldWhenTheHoldoffEnds) {
  EventLog log({seconds(60), 10});
  EXPECT_EQ(log.admit({down("a")}, t0).size(), 1u);
  EXPECT_TRUE(log.admit({up("a")}, t0 + seconds(10)).empty()) << "down and up are one event: one per holdoff";
  EXPECT_TRUE(log.admit({down("a")}, t0 + seconds(20)).empty());
  const auto trailing = log.admit({}, t0 + seconds(60));
  ASSERT_EQ(trailing.size(), 1u);
  EXPECT_EQ(trailing[0].type, &instance_events::down_notification);
  EXPECT_EQ(trailing[0].suppressed, 1u);  // the up
}

// mwxEventTable as --dump prints it: the type of the last row logged for
// each label.
std::map<std::string, std::string> last_logged_types(const EventLog& log) {
  SnapshotBuilder builder;
  log.write_rows(builder);
  const auto snapshot = std::move(builder).build();
  if (!snapshot.ok()) {
    ADD_FAILURE() << snapshot.error();
    return {};
  }
  std::ostringstream printed;
  print_snapshot(*snapshot.value(), full_catalog(), printed);
  std::map<std::uint32_t, std::string> labels, types;  // in index order
  std::istringstream lines(printed.str());
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, std::regex(R"re(mwxEventLabel\.(\d+) = STRING: (\w)$)re"))) {
      labels[std::stoul(m[1])] = m[2];
    } else if (std::regex_search(line, m, std::regex(R"re(mwxEventType\.(\d+) = INTEGER: (\w+)\()re"))) {
      types[std::stoul(m[1])] = m[2];
    }
  }
  std::map<std::string, std::string> last;
  for (const auto& [index, label] : labels) last[label] = types[index];
  return last;
}

// Random sequences of alarms and clears on a few rows, at random times:
// once every holdoff has ended, the last notification sent for each row
// is the row's real state, and mwxEventTable's last row for it says the same.
TEST(EventLog, WhateverTheRateLimitDropsTheLastSentIsTheCurrentState) {
  std::mt19937 random(20261204);
  for (int round = 0; round < 200; ++round) {
    const seconds holdoff(std::uniform_int_distribution<int>(0, 90)(random));
    EventLog log({holdoff, 1000});
    std::map<std::string, bool> is_down, last_sent_down;
    auto now = t0;
    const auto take = [&](const std::vector<Event>& sent) {
      for (const auto& event : sent) last_sent_down[event.label] = event.type == &instance_events::down_notification;
    };
    const int steps = std::uniform_int_distribution<int>(1, 40)(random);
    for (int step = 0; step < steps; ++step) {
      now += seconds(std::uniform_int_distribution<int>(0, 45)(random));
      std::vector<Event> events;
      for (const std::string label : {"a", "b", "c"}) {
        if (std::uniform_int_distribution<int>(0, 2)(random) != 0) continue;
        // As an instance sends them: up only after a down, and back.
        const bool down_now = !is_down[label];
        is_down[label] = down_now;
        events.push_back(down_now ? down(label) : up(label));
      }
      take(log.admit(std::move(events), now));
      if (std::uniform_int_distribution<int>(0, 3)(random) == 0) take(log.release_held(now));
    }
    while (const auto next = log.next_release()) take(log.release_held(*next));
    for (const auto& [label, down_now] : is_down) {
      EXPECT_EQ(last_sent_down[label], down_now) << "round " << round << ", row " << label;
    }
    auto last_logged = last_logged_types(log);
    for (const auto& [label, down_now] : is_down) {
      EXPECT_EQ(last_logged[label], down_now ? "instanceDown" : "instanceUp") << "round " << round << ", row " << label;
    }
  }
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
  EXPECT_NE(rows.find("mwxEventLabel.2 = STRING: a\n"), std::string::npos) << rows;
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
