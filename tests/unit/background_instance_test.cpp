// Collections that block run off the poller thread and never outlive the
// poll's timeout; a hung one does not pile up more.
#include <gtest/gtest.h>

#include <unistd.h>

#include <future>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "agent/poll/background_instance.hpp"

namespace mwx {
namespace {

using namespace std::chrono_literals;

// Collects after `delay`, or when released.
class SlowInstance final : public BackgroundInstance<int> {
 public:
  explicit SlowInstance(std::chrono::milliseconds delay)
      : BackgroundInstance(InstanceSettings{"test", "slow", "here", 1000ms, 200ms, "slow"}), delay_(delay) {}

  void write_rows(SnapshotBuilder&) const override {}
  std::optional<int> value;
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    wake_.notify_all();
  }

 private:
  Result<int> collect(std::chrono::steady_clock::time_point) const override {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay_, [this] { return released_; });
    return 42;
  }
  void take(int v) override {
    value = v;
    record_success();
  }
  void forget_data() override { value.reset(); }

  std::chrono::milliseconds delay_;
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  bool released_ = false;
};

// One poll on `io`, as the poller runs it; returns how long it took.
std::chrono::milliseconds poll_once(boost::asio::io_context& io, const std::shared_ptr<SlowInstance>& instance) {
  bool done = false;
  const auto start = std::chrono::steady_clock::now();
  instance->start_poll(io, [&] { done = true; });
  io.restart();
  while (!done && io.run_one_for(5s) > 0) {
  }
  EXPECT_TRUE(done);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// The poller's io_context goes away (agent shutdown) while a collection
// hangs: its result is dropped, nothing touches the dead io_context.
TEST(BackgroundInstance, AResultAfterTheIoContextIsGoneIsDropped) {
  auto instance = std::make_shared<SlowInstance>(10s);
  {
    boost::asio::io_context io;
    poll_once(io, instance);
  }
  instance->release();
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(instance->value);
}

TEST(BackgroundInstance, AQuickCollectionIsTaken) {
  boost::asio::io_context io;
  auto instance = std::make_shared<SlowInstance>(0ms);
  poll_once(io, instance);
  EXPECT_EQ(instance->status(), InstanceStatus::up);
  EXPECT_EQ(instance->value, 42);
}

TEST(BackgroundInstance, AHungCollectionFailsThePollAtTheTimeoutAndIsNotStartedTwice) {
  boost::asio::io_context io;
  auto instance = std::make_shared<SlowInstance>(10s);
  const auto took = poll_once(io, instance);
  EXPECT_LT(took, 1000ms);
  EXPECT_EQ(instance->status(), InstanceStatus::down);
  EXPECT_EQ(instance->last_error(), "collection did not finish within the timeout");
  EXPECT_FALSE(instance->value);

  poll_once(io, instance);  // the first collection still runs
  EXPECT_EQ(instance->last_error(), "the previous collection has not finished yet");

  instance->release();
  std::this_thread::sleep_for(100ms);  // its late result arrives, and is dropped
  io.restart();
  io.poll();
  EXPECT_FALSE(instance->value);
  poll_once(io, instance);
  EXPECT_EQ(instance->status(), InstanceStatus::up);
  EXPECT_EQ(instance->value, 42);
}

}  // namespace
}  // namespace mwx

namespace mwx {
namespace {

// A subsystem whose collection throws (a bug): the poll fails with what it
// threw and the agent lives on.
class ThrowingInstance final : public BackgroundInstance<int> {
 public:
  explicit ThrowingInstance(bool in_take)
      : BackgroundInstance(InstanceSettings{"test", "throws", "here", 1000ms, 500ms, "throws"}), in_take_(in_take) {}
  void write_rows(SnapshotBuilder&) const override {}

 private:
  Result<int> collect(std::chrono::steady_clock::time_point) const override {
    if (!in_take_) throw std::out_of_range("collect went too far");
    return 1;
  }
  void take(int) override { throw std::length_error("take went too far"); }
  void forget_data() override {}
  bool in_take_;
};

TEST(PollBoundary, WhatACollectionThrowsFailsThePoll) {
  for (const bool in_take : {false, true}) {
    boost::asio::io_context io;
    auto instance = std::make_shared<ThrowingInstance>(in_take);
    bool done = false;
    instance->start_poll(io, [&] { done = true; });
    while (!done && io.run_one_for(5s) > 0) {
    }
    ASSERT_TRUE(done);
    EXPECT_EQ(instance->status(), InstanceStatus::down);
    EXPECT_NE(instance->last_error().find(in_take ? "take went too far" : "collect went too far"), std::string::npos)
        << instance->last_error();
  }
}

TEST(PollBoundary, AnInstanceIsPendingUntilItsFirstPollEnds) {
  boost::asio::io_context io;
  auto instance = std::make_shared<SlowInstance>(0ms);
  EXPECT_EQ(instance->status(), InstanceStatus::pending);
  poll_once(io, instance);
  EXPECT_EQ(instance->status(), InstanceStatus::up);
}

// A collection stuck for good (a hung NFS mount) must not keep the process
// from exiting: the background threads are never joined.
TEST(BackgroundWorkDeathTest, ExitDoesNotWaitForAStuckCollection) {
  EXPECT_EXIT(
      {
        alarm(5);  // a hang shows as death by SIGALRM, not as a test that never ends
        std::promise<void> started;
        run_in_background([&started] {
          started.set_value();
          for (;;) pause();
        });
        started.get_future().wait();
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace mwx
