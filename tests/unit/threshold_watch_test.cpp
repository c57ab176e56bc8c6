#include <gtest/gtest.h>

#include "agent/events/threshold_watch.hpp"

namespace mwx {
namespace {

using Crossing = ThresholdWatch::Crossing;
using std::chrono::seconds;

const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);

TEST(ThresholdWatch, AValueHoveringAtTheRisingLineAlarmsOnce) {
  ThresholdWatch watch;
  const EventSetting setting{true, 80, 70, seconds(0)};
  std::vector<Crossing> seen;
  for (std::uint64_t value : {79, 80, 79, 81, 79, 80, 71, 85}) {
    seen.push_back(watch.feed(EventKind::above, setting, value, t0));
  }
  EXPECT_EQ(seen, (std::vector<Crossing>{Crossing::none, Crossing::alarm, Crossing::none, Crossing::none,
                                         Crossing::none, Crossing::none, Crossing::none, Crossing::none}));
  EXPECT_EQ(watch.feed(EventKind::above, setting, 70, t0), Crossing::clear);
  EXPECT_EQ(watch.feed(EventKind::above, setting, 80, t0), Crossing::alarm);
}

TEST(ThresholdWatch, BelowAlarmsAtFallingAndClearsAtRising) {
  ThresholdWatch watch;
  const EventSetting setting{true, 85, 80, seconds(0)};
  std::vector<Crossing> seen;
  for (std::uint64_t value : {81, 80, 84, 79, 85}) seen.push_back(watch.feed(EventKind::below, setting, value, t0));
  EXPECT_EQ(seen, (std::vector<Crossing>{Crossing::none, Crossing::alarm, Crossing::none, Crossing::none,
                                         Crossing::clear}));
}

TEST(ThresholdWatch, HoldNeedsTheValueBeyondTheWholeTime) {
  ThresholdWatch watch;
  const EventSetting setting{true, 100, 50, seconds(60)};
  EXPECT_EQ(watch.feed(EventKind::above, setting, 120, t0), Crossing::none);
  EXPECT_EQ(watch.feed(EventKind::above, setting, 120, t0 + seconds(30)), Crossing::none);
  EXPECT_EQ(watch.feed(EventKind::above, setting, 90, t0 + seconds(45)), Crossing::none);  // the clock restarts
  EXPECT_EQ(watch.feed(EventKind::above, setting, 120, t0 + seconds(61)), Crossing::none);
  EXPECT_EQ(watch.feed(EventKind::above, setting, 120, t0 + seconds(120)), Crossing::none);
  EXPECT_EQ(watch.feed(EventKind::above, setting, 120, t0 + seconds(121)), Crossing::alarm);
  EXPECT_TRUE(watch.alarmed());
}

TEST(ThresholdWatch, AConditionAlarmsAfterItsHoldAndClearsWhenItEnds) {
  ThresholdWatch watch;
  const EventSetting setting{true, 0, 0, seconds(10)};
  EXPECT_EQ(watch.feed(EventKind::condition, setting, 3, t0), Crossing::none);
  EXPECT_EQ(watch.feed(EventKind::condition, setting, 3, t0 + seconds(10)), Crossing::alarm);
  EXPECT_EQ(watch.feed(EventKind::condition, setting, 5, t0 + seconds(20)), Crossing::none);
  EXPECT_EQ(watch.feed(EventKind::condition, setting, 0, t0 + seconds(30)), Crossing::clear);
}

}  // namespace
}  // namespace mwx
