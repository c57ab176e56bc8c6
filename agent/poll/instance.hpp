#pragma once
// One configured backend, as the poller and the snapshot see it. Each
// subsystem derives its own instance type (handlers/<subsystem>/).

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/logger.h>

#include "agent/events/event.hpp"
#include "agent/events/event_settings.hpp"
#include "agent/events/threshold_watch.hpp"
#include "agent/mib/column.hpp"
#include "agent/mib/instance_columns.hpp"
#include "agent/mib/row_writer.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace boost::asio {
class io_context;
}

namespace mwx {

struct InstanceSettings {
  std::string subsystem;  // the config directive: "memcached"
  std::string name;       // the row's index: "sessions"
  std::string endpoint;   // as configured, shown in the Endpoint column
  std::chrono::milliseconds interval{10000};
  std::chrono::milliseconds timeout{2000};
  // The config line's words and effective interval and timeout: an instance
  // whose identity is unchanged across a reload keeps its state.
  std::string identity;
};

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  explicit Instance(InstanceSettings settings);
  virtual ~Instance() = default;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const InstanceSettings& settings() const { return settings_; }
  InstanceStatus status() const { return status_; }
  const std::string& last_error() const { return last_error_; }

  // Starts one poll on `io` and calls `done` on io's thread once it ended,
  // successful or not, within the configured timeout. Counts the poll and
  // its duration; anything the subsystem throws fails the poll, never the
  // agent.
  void start_poll(boost::asio::io_context& io, std::function<void()> done);

  // Adds this instance's rows to the next snapshot. Runs on the poller
  // thread, never during a poll's completion handler of this instance.
  virtual void write_rows(SnapshotBuilder& out) const = 0;

  // The events detected since the last call, oldest first; the poller
  // takes them after each poll. Runs on the poller thread.
  std::vector<Event> take_events() { return std::exchange(events_, {}); }
  const EventSettings& event_settings() const { return event_settings_; }
  // Thresholds and enablement; a reload that keeps the instance sets them anew.
  void configure_events(EventSettings settings) { event_settings_ = std::move(settings); }

 protected:
  // The subsystem's poll, as start_poll describes it.
  virtual void poll(boost::asio::io_context& io, std::function<void()> done) = 0;
  // Drops the data of the last poll: a failed poll serves none.
  virtual void forget_data() = 0;
  // forget_data() and record_failure(): the poll failed.
  void fail_poll(std::string error);
  // Runs `step`, part of a poll; if it throws, the poll fails with what it
  // threw. Returns whether it ran to the end.
  template <class Step>
  bool guarded(Step&& step) noexcept {
    try {
      step();
      return true;
    } catch (const std::exception& e) {
      fail_after_exception(e.what());
    } catch (...) {
      fail_after_exception("unknown exception");
    }
    return false;
  }

  void record_success();
  void record_failure(std::string error);
  // The poll succeeded, but some values could not be read: they are absent
  // and `problems` (shown as LastError) names them.
  void record_partial_success(std::string problems);
  // The poll succeeded and found the instance degraded or not present;
  // `reason` is shown as LastError.
  void record_condition(InstanceStatus status, std::string reason);

  // Registers the instance's clock and writes the common columns of its row
  // in the instance table; the returned writer adds the data columns.
  RowWriter write_instance_row(SnapshotBuilder& out, OidView entry_oid, Oid& index_storage) const;

  spdlog::logger& log() const { return *logger_; }

  // A change event of `spec` about the row `event.label` (the instance's
  // own row when empty), sent as `type` unless the operator turned it off.
  void notify(const EventSpec& spec, const NotificationType& type, Event event);
  // This poll's reading of a threshold or condition for the row `label`;
  // absent readings change nothing. Sends the alarm or the clear when the
  // value crosses. Rows not read in a successful poll are forgotten.
  void watch(const EventSpec& spec, std::string_view label, std::optional<std::uint64_t> value);
  // This poll's word that what `spec` watches on `label` did not happen, so
  // it is normal: a raised alarm clears, with `text`, and carries no value.
  void settle(const EventSpec& spec, std::string_view label, std::string text);

 private:
  void fail_after_exception(const char* what) noexcept;
  // After each poll: down and up again, and forgetting vanished rows.
  void detect_after_poll(InstanceStatus before);
  std::string threshold_text(const EventSpec& spec, const EventSetting& setting, std::string_view label,
                             ThresholdWatch::Crossing crossing, std::uint64_t value) const;

  InstanceSettings settings_;
  std::shared_ptr<spdlog::logger> logger_;
  InstanceStatus status_ = InstanceStatus::pending;
  std::string last_error_ = "not polled yet";
  SteadyTime created_ = std::chrono::steady_clock::now();
  // When this instance's own counters (polls, and what a subsystem counts
  // itself) started: a reload that re-creates the instance restarts them.
  std::chrono::system_clock::time_point counting_since_ = std::chrono::system_clock::now();
  std::optional<SteadyTime> last_poll_end_;
  std::optional<std::chrono::milliseconds> last_poll_duration_;
  std::uint64_t polls_ = 0, poll_failures_ = 0;

  EventSettings event_settings_;
  std::vector<Event> events_;
  bool down_notified_ = false;  // "up again" follows only a down that was sent
  struct Watched {
    ThresholdWatch watch;
    std::uint64_t last_read_in_poll = 0;
  };
  std::map<std::pair<const EventSpec*, std::string>, Watched> watches_;
};

}  // namespace mwx
