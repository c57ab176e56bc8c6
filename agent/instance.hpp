#pragma once
// One configured backend, as the poller and the snapshot see it. Each
// subsystem derives its own instance type (handlers/<subsystem>/).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "agent/row_writer.hpp"
#include "agent/snapshot.hpp"

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

// The columns every instance table starts with (DESIGN.md, MIB conventions).
namespace instance_column {
inline constexpr OidArc name = 1, endpoint = 2, status = 3, last_poll_age = 4, last_error = 5;
}

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  explicit Instance(InstanceSettings settings);
  virtual ~Instance() = default;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const InstanceSettings& settings() const { return settings_; }
  InstanceStatus status() const { return status_; }
  const std::string& last_error() const { return last_error_; }

  // Starts one poll on `io`; calls `done` on io's thread once it ended,
  // successful or not, within the configured timeout.
  virtual void poll(boost::asio::io_context& io, std::function<void()> done) = 0;

  // Adds this instance's rows to the next snapshot. Runs on the poller
  // thread, never during a poll's completion handler of this instance.
  virtual void write_rows(SnapshotBuilder& out) const = 0;

 protected:
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

 private:
  InstanceSettings settings_;
  std::shared_ptr<spdlog::logger> logger_;
  InstanceStatus status_ = InstanceStatus::down;
  std::string last_error_ = "not polled yet";
  SteadyTime created_ = std::chrono::steady_clock::now();
  std::optional<SteadyTime> last_poll_end_;
};

}  // namespace mwx
