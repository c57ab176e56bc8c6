// The poller's schedule: stable offsets spread over the interval, and a
// bound on the polls in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/poll/poll_schedule.hpp"
#include "agent/poll/poller.hpp"

namespace mwx {
namespace {

using namespace std::chrono_literals;

TEST(PollSchedule, OffsetsAreStableAndSpreadOverAWindowOfTenMillisecondsAnInstance) {
  EXPECT_EQ(first_poll_offset("memcached a", 10s, 1000), first_poll_offset("memcached a", 10s, 1000));
  EXPECT_LT(first_poll_offset("memcached a", 10s, 3), 30ms);
  std::array<int, 10> tenths{};
  for (int i = 0; i < 1000; ++i) {
    const auto offset = first_poll_offset("memcached m" + std::to_string(i) + " 127.0.0.1:1", 10s, 1000);
    ASSERT_LT(offset, 10s);
    ++tenths[static_cast<std::size_t>(offset / 1s)];
  }
  for (int count : tenths) EXPECT_GT(count, 50) << "a thousand instances fill every tenth of the interval";
}

TEST(PollSchedule, TheNextPollKeepsTheOffsetAndSkipsWhatHasPassed) {
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  EXPECT_EQ(next_poll_due(t0, 10s, t0 + 1s), t0 + 10s);
  EXPECT_EQ(next_poll_due(t0, 10s, t0 + 25s), t0 + 30s);
}

// A poll that takes `duration` and counts how many run at once.
class CountingInstance final : public Instance {
 public:
  CountingInstance(int n, std::atomic<int>& running, std::atomic<int>& most, std::atomic<int>& polls)
      : Instance(InstanceSettings{"test", "i" + std::to_string(n), "here", 1000ms, 200ms, "i" + std::to_string(n)}),
        running_(running), most_(most), polls_(polls) {}

  void write_rows(SnapshotBuilder&) const override {}

 private:
  void poll(boost::asio::io_context& io, std::function<void()> done) override {
    most_ = std::max(most_.load(), ++running_);
    auto timer = std::make_shared<boost::asio::steady_timer>(io, 50ms);
    timer->async_wait([this, timer, done = std::move(done)](boost::system::error_code) {
      --running_;
      ++polls_;
      record_success();
      done();
    });
  }
  void forget_data() override {}

  std::atomic<int>& running_;
  std::atomic<int>& most_;
  std::atomic<int>& polls_;
};

TEST(Poller, NoMorePollsInFlightThanTheBound) {
  std::atomic<int> running = 0, most = 0, polls = 0;
  std::vector<std::shared_ptr<Instance>> instances;
  for (int i = 0; i < 40; ++i) instances.push_back(std::make_shared<CountingInstance>(i, running, most, polls));
  SnapshotStore store;
  Poller poller(store, AgentState{}, PollerOptions{4, {}}, [](std::vector<Event>) {});
  poller.start(std::move(instances));
  for (int i = 0; i < 200 && polls < 40; ++i) std::this_thread::sleep_for(10ms);
  poller.stop();
  EXPECT_GE(polls.load(), 40) << "every instance was polled, the ones beyond the bound after a wait";
  EXPECT_LE(most.load(), 4);
}

}  // namespace
}  // namespace mwx
