#pragma once
// An instance whose collection blocks (qmail's queue directories, LVS's
// procfs and netlink): collect() runs on a background thread, and the
// instance's data changes only on the poller thread. A collection that
// overruns the timeout fails the poll; while it is still running no new
// one starts, so a hung filesystem costs one thread, not one per interval.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/base/result.hpp"
#include "agent/poll/background_work.hpp"
#include "agent/poll/instance.hpp"

namespace mwx {

template <class Sample>
class BackgroundInstance : public Instance {
 public:
  using Instance::Instance;

 protected:
  void poll(boost::asio::io_context& io, std::function<void()> done) final {
    if (collecting_.exchange(true)) {
      fail("the previous collection has not finished yet");
      boost::asio::post(io, std::move(done));
      return;
    }
    auto self = std::static_pointer_cast<BackgroundInstance>(shared_from_this());
    // Owned by the timer's handler, so it lives and dies on io's side; the
    // background thread only holds a weak reference.
    auto poll = std::make_shared<PollState>(io, std::move(done));
    poll->timer.expires_after(settings().timeout);
    poll->timer.async_wait([self, poll](boost::system::error_code ec) {
      if (ec || poll->ended) return;
      self->fail("collection did not finish within the timeout");
      poll->end();
    });
    const auto deadline = std::chrono::steady_clock::now() + settings().timeout;
    std::weak_ptr<PollState> weak_poll = poll;
    run_in_background([self, weak_poll, deadline, gate = ResultGate::of(io)] {
      auto collected = std::make_shared<Result<Sample>>(self->collect_guarded(deadline));
      self->collecting_ = false;
      gate->post([self, weak_poll, collected] {
        auto poll = weak_poll.lock();
        if (!poll || poll->ended) return;  // already reported as timed out
        poll->timer.cancel();
        if (*collected) {
          self->guarded([&] { self->take(std::move(*collected).value()); });
        } else {
          self->fail(collected->error());
        }
        poll->end();
      });
    });
  }

  // Runs on a background thread: reads only what never changes after
  // construction (settings and options), and gives up once `deadline`
  // has passed.
  virtual Result<Sample> collect(std::chrono::steady_clock::time_point deadline) const = 0;
  // On the poller thread: keeps the sample and records the poll's outcome
  // (record_success, record_partial_success ...).
  virtual void take(Sample sample) = 0;

 private:
  // collect(), with anything it throws turned into the poll's error.
  Result<Sample> collect_guarded(std::chrono::steady_clock::time_point deadline) const noexcept {
    try {
      return collect(deadline);
    } catch (const std::exception& e) {
      return Error{std::string("internal error: ") + e.what()};
    } catch (...) {
      return Error{"internal error: unknown exception"};
    }
  }

  struct PollState {
    PollState(boost::asio::io_context& io, std::function<void()> d) : timer(io), done(std::move(d)) {}
    void end() {
      ended = true;
      done();
    }
    boost::asio::steady_timer timer;
    std::function<void()> done;
    bool ended = false;
  };

  void fail(std::string error) { fail_poll(std::move(error)); }

  std::atomic<bool> collecting_ = false;  // cleared by the background thread when collect() returns
};

}  // namespace mwx
