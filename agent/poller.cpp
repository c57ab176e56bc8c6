#include "agent/poller.hpp"

#include <utility>  // before Asio (Boost 1.74 under C++20)

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/logging.hpp"

namespace mwx {

namespace asio = boost::asio;

namespace {

std::shared_ptr<const Snapshot> build_snapshot(const std::vector<std::shared_ptr<Instance>>& instances,
                                               const AgentState& state) {
  SnapshotBuilder builder;
  write_agent_scalars(builder, state);
  for (const auto& instance : instances) instance->write_rows(builder);
  auto snapshot = std::move(builder).build();
  if (!snapshot) {
    logger("agent")->error("snapshot not published: {}", snapshot.error());
    return nullptr;
  }
  return std::move(snapshot).value();
}

}  // namespace

struct Poller::Impl {
  struct Scheduled {
    Scheduled(asio::io_context& io, std::shared_ptr<Instance> i) : instance(std::move(i)), timer(io) {}
    std::shared_ptr<Instance> instance;
    asio::steady_timer timer;
  };

  Impl(SnapshotStore& s, AgentState a) : store(s), state(a) {}

  void adopt(std::vector<std::shared_ptr<Instance>> instances) {
    std::vector<std::shared_ptr<Scheduled>> next;
    for (auto& instance : instances) {
      auto same = std::find_if(scheduled.begin(), scheduled.end(), [&](const auto& s) {
        return s && s->instance->settings().identity == instance->settings().identity;
      });
      if (same != scheduled.end()) {
        next.push_back(std::move(*same));  // keeps its state, schedule and any poll in flight
        continue;
      }
      auto fresh = std::make_shared<Scheduled>(io, std::move(instance));
      poll(fresh);
      next.push_back(std::move(fresh));
    }
    for (auto& dropped : scheduled) {
      if (dropped) dropped->timer.cancel();
    }
    scheduled = std::move(next);
    rebuild();
  }

  void poll(const std::shared_ptr<Scheduled>& s) {
    const auto started = std::chrono::steady_clock::now();
    std::weak_ptr<Scheduled> weak = s;
    s->instance->poll(io, [this, weak, started] {
      auto alive = weak.lock();
      if (!alive) return;  // dropped by a reload while polling
      request_rebuild();
      // The next poll starts one interval after this one started; a poll
      // ends within its timeout, which is shorter than the interval.
      alive->timer.expires_at(started + alive->instance->settings().interval);
      alive->timer.async_wait([this, weak](boost::system::error_code ec) {
        if (auto again = weak.lock(); again && !ec) poll(again);
      });
    });
  }

  // Several polls ending together make one rebuild.
  void request_rebuild() {
    if (rebuild_pending) return;
    rebuild_pending = true;
    asio::post(io, [this] {
      rebuild_pending = false;
      rebuild();
    });
  }

  void rebuild() {
    std::vector<std::shared_ptr<Instance>> instances;
    instances.reserve(scheduled.size());
    for (const auto& s : scheduled) instances.push_back(s->instance);
    if (auto snapshot = build_snapshot(instances, state)) store.publish(std::move(snapshot));
  }

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  SnapshotStore& store;
  AgentState state;
  std::vector<std::shared_ptr<Scheduled>> scheduled;
  bool rebuild_pending = false;
};

Poller::Poller(SnapshotStore& store, AgentState state) : impl_(std::make_unique<Impl>(store, state)) {}

Poller::~Poller() { stop(); }

void Poller::start(std::vector<std::shared_ptr<Instance>> instances) {
  asio::post(impl_->io, [impl = impl_.get(), instances = std::move(instances)]() mutable {
    impl->adopt(std::move(instances));
  });
  thread_ = std::thread([impl = impl_.get()] { impl->io.run(); });
}

void Poller::reconfigure(std::vector<std::shared_ptr<Instance>> instances) {
  asio::post(impl_->io, [impl = impl_.get(), instances = std::move(instances)]() mutable {
    ++impl->state.config_reloads;
    impl->adopt(std::move(instances));
  });
}

void Poller::count_failed_reload() {
  asio::post(impl_->io, [impl = impl_.get()] {
    ++impl->state.config_reload_failures;
    impl->rebuild();
  });
}

void Poller::stop() {
  if (!thread_.joinable()) return;
  impl_->io.stop();
  thread_.join();
}

std::shared_ptr<const Snapshot> poll_all_once(const std::vector<std::shared_ptr<Instance>>& instances,
                                              const AgentState& state) {
  asio::io_context io;
  for (const auto& instance : instances) instance->poll(io, [] {});
  io.run();
  return build_snapshot(instances, state);
}

}  // namespace mwx
