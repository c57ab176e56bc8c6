#include "agent/poll/poller.hpp"

#include <algorithm>
#include <deque>
#include <csignal>
#include <malloc.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/base/logging.hpp"
#include "agent/poll/poll_schedule.hpp"

namespace mwx {

namespace asio = boost::asio;

namespace {

// Publishing is coalesced: polls that end within a gap after the previous
// publish share the next one. A publish after polls that changed values
// only reuses the last layout (microseconds for 1,000 instances); one
// after some instance's keys changed lays every entry out anew (~55 ms for
// 1,000 memcached instances: see bench/snapshot_build.cpp). The gap is at
// least 200 ms and at least 20 times what the last merge cost, so merging
// never takes more than 5% of a core however many instances there are.
constexpr std::chrono::milliseconds kMinPublishGap{200};
constexpr int kPublishGapPerMergeCost = 20;

std::shared_ptr<const Snapshot> checked(Result<std::shared_ptr<const Snapshot>> built, const std::string& what) {
  if (built) return std::move(built).value();
  logger("agent")->error("{} not published: {}", what, built.error());
  return std::make_shared<const Snapshot>();
}

// One instance's rows, rendered once per poll of that instance.
std::shared_ptr<const Snapshot> render(const Instance& instance) {
  SnapshotBuilder builder;
  instance.write_rows(builder);
  return checked(std::move(builder).build(), "rows of " + instance.settings().name);
}

std::shared_ptr<const Snapshot> render(const AgentState& state) {
  SnapshotBuilder builder;
  write_agent_scalars(builder, state);
  return checked(std::move(builder).build(), "agent scalars");
}

std::shared_ptr<const Snapshot> render(const EventLog& log) {
  SnapshotBuilder builder;
  log.write_rows(builder);
  return checked(std::move(builder).build(), "event log");
}

std::shared_ptr<const Snapshot> merge(std::vector<std::shared_ptr<const Snapshot>> parts,
                                      const Snapshot* previous = nullptr) {
  auto merged = merge_snapshots(parts, previous);
  if (!merged) {
    logger("agent")->error("snapshot not published: {}", merged.error());
    return nullptr;
  }
  return std::move(merged).value();
}

}  // namespace

struct Poller::Impl {
  struct Scheduled {
    Scheduled(asio::io_context& io, std::shared_ptr<Instance> i)
        : instance(std::move(i)), timer(io), rows(render(*instance)) {}
    std::shared_ptr<Instance> instance;
    asio::steady_timer timer;
    SteadyTime due{};                      // of the next (or running) poll
    std::shared_ptr<const Snapshot> rows;  // as of its last poll
  };

  Impl(SnapshotStore& s, AgentState a, PollerOptions o, EventSink sink)
      : store(s), state(a), options(o), agent_rows(render(state)), event_log(o.events),
        event_rows(render(event_log)), event_sink(std::move(sink)) {}

  void adopt(std::vector<std::shared_ptr<Instance>> instances) {
    std::vector<std::shared_ptr<Scheduled>> next;
    for (auto& instance : instances) {
      auto same = std::find_if(scheduled.begin(), scheduled.end(), [&](const auto& s) {
        return s && s->instance->settings().identity == instance->settings().identity;
      });
      if (same != scheduled.end()) {
        (*same)->instance->configure_events(instance->event_settings());
        next.push_back(std::move(*same));  // keeps its state, schedule and any poll in flight
        continue;
      }
      auto fresh = std::make_shared<Scheduled>(io, std::move(instance));
      const auto& settings = fresh->instance->settings();
      fresh->due = std::chrono::steady_clock::now() +
                   first_poll_offset(settings.identity, settings.interval, instances.size());
      wait_until_due(fresh);
      next.push_back(std::move(fresh));
    }
    for (auto& dropped : scheduled) {
      if (dropped) dropped->timer.cancel();
    }
    scheduled = std::move(next);
    request_publish();
  }

  void wait_until_due(const std::shared_ptr<Scheduled>& s) {
    s->timer.expires_at(s->due);
    s->timer.async_wait([this, weak = std::weak_ptr<Scheduled>(s)](boost::system::error_code ec) {
      if (auto due = weak.lock(); due && !ec) start_or_queue(due);
    });
  }

  // At most max_parallel_polls polls (and their sockets) at a time; a due
  // poll beyond that waits for the first to end, oldest first.
  void start_or_queue(const std::shared_ptr<Scheduled>& s) {
    if (in_flight < options.max_parallel_polls) return poll(s);
    queued.push_back(s);
  }

  void poll(const std::shared_ptr<Scheduled>& s) {
    ++in_flight;
    std::weak_ptr<Scheduled> weak = s;
    s->instance->start_poll(io, [this, weak] {
      --in_flight;
      start_queued();
      auto alive = weak.lock();
      if (!alive) return;  // dropped by a reload while polling
      alive->rows = render(*alive->instance);
      take_events(*alive->instance);
      request_publish();
      // A poll ends within its timeout, which is shorter than the interval.
      alive->due = next_poll_due(alive->due, alive->instance->settings().interval, std::chrono::steady_clock::now());
      wait_until_due(alive);
    });
  }

  void start_queued() {
    while (in_flight < options.max_parallel_polls && !queued.empty()) {
      auto next = queued.front().lock();
      queued.pop_front();
      if (next) poll(next);  // else dropped by a reload while it waited
    }
  }

  // Instances catch what their polls throw; anything else that escapes a
  // handler is logged and the loop goes on, so one bug never stops polling.
  void run() {
    while (!io.stopped()) {
      try {
        io.run();
      } catch (const std::exception& e) {
        logger("agent")->error("poller: unexpected error: {}", e.what());
      } catch (...) {
        logger("agent")->error("poller: unexpected error");
      }
    }
  }

  void take_events(Instance& instance) {
    auto events = instance.take_events();
    if (events.empty()) return;
    dispatch(event_log.admit(std::move(events), std::chrono::steady_clock::now()));
  }

  void dispatch(std::vector<Event> admitted) {
    // The log says what was notified, so an operator can tell what a
    // trap receiver should have seen.
    for (const auto& event : admitted) logger("events")->info("#{} {}: {}", event.index, event.type->name, event.text);
    event_rows = render(event_log);
    if (!admitted.empty()) event_sink(std::move(admitted));
    wait_for_next_release();
  }

  // Events held back by the rate limit go out when their holdoff ends,
  // whether or not another poll comes by then.
  void wait_for_next_release() {
    const auto next = event_log.next_release();
    if (!next) return;
    release_timer.expires_at(*next);
    release_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      dispatch(event_log.release_held(std::chrono::steady_clock::now()));
      request_publish();
    });
  }

  void agent_state_changed() {
    agent_rows = render(state);
    request_publish();
  }

  void request_publish() {
    if (publish_pending) return;
    publish_pending = true;
    publish_timer.expires_at(last_publish + publish_gap);
    publish_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      publish_pending = false;
      last_publish = std::chrono::steady_clock::now();
      std::vector<std::shared_ptr<const Snapshot>> parts{agent_rows, event_rows};
      for (const auto& s : scheduled) parts.push_back(s->rows);
      if (auto snapshot = merge(std::move(parts), store.current().get())) store.publish(std::move(snapshot));
      // The polls since the last publish freed their samples and parts in
      // pieces below the mmap threshold: once more than a MiB lies free,
      // hand the free pages back, so that RSS is what is alive rather than
      // the peak of a big poll (trimming less would fault pages in again at
      // every publish).
      if (mallinfo2().fordblks > 1024 * 1024) malloc_trim(0);
      const auto cost = std::chrono::steady_clock::now() - last_publish;
      publish_gap = std::max<std::chrono::steady_clock::duration>(kMinPublishGap, kPublishGapPerMergeCost * cost);
    });
  }

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  SnapshotStore& store;
  AgentState state;
  PollerOptions options;
  std::size_t in_flight = 0;
  std::deque<std::weak_ptr<Scheduled>> queued;
  std::shared_ptr<const Snapshot> agent_rows;
  EventLog event_log;
  std::shared_ptr<const Snapshot> event_rows;
  EventSink event_sink;
  std::vector<std::shared_ptr<Scheduled>> scheduled;
  asio::steady_timer publish_timer{io};
  asio::steady_timer release_timer{io};
  SteadyTime last_publish{};
  std::chrono::steady_clock::duration publish_gap = kMinPublishGap;
  bool publish_pending = false;
};

Poller::Poller(SnapshotStore& store, AgentState state, PollerOptions options, EventSink sink)
    : impl_(std::make_unique<Impl>(store, state, options, std::move(sink))) {}

Poller::~Poller() { stop(); }

void Poller::start(std::vector<std::shared_ptr<Instance>> instances) {
  asio::post(impl_->io, [impl = impl_.get(), instances = std::move(instances)]() mutable {
    impl->adopt(std::move(instances));
  });
  // The thread takes no signals: they are for the thread that owns
  // net-snmp, which in snmpd handles them itself. Blocked here, not in the
  // thread, so that none can arrive before it starts.
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &before);
  try {
    thread_ = std::thread([impl = impl_.get()] { impl->run(); });
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    throw;
  }
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

void Poller::reconfigure(std::vector<std::shared_ptr<Instance>> instances, PollerOptions options) {
  asio::post(impl_->io, [impl = impl_.get(), instances = std::move(instances), options]() mutable {
    ++impl->state.config_reloads;
    impl->options = options;
    impl->event_log.set_policy(options.events);
    impl->event_rows = render(impl->event_log);
    impl->wait_for_next_release();
    impl->agent_rows = render(impl->state);
    impl->adopt(std::move(instances));
  });
}

void Poller::count_failed_reload() {
  asio::post(impl_->io, [impl = impl_.get()] {
    ++impl->state.config_reload_failures;
    impl->agent_state_changed();
  });
}

void Poller::count_lost_events(std::uint64_t lost) {
  asio::post(impl_->io, [impl = impl_.get(), lost] {
    impl->event_log.count_overflowed(lost);
    impl->event_rows = render(impl->event_log);
    impl->request_publish();
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
  for (const auto& instance : instances) instance->start_poll(io, [] {});
  io.run();
  std::vector<std::shared_ptr<const Snapshot>> parts{render(state), render(EventLog{})};
  for (const auto& instance : instances) parts.push_back(render(*instance));
  return merge(std::move(parts));
}

}  // namespace mwx
