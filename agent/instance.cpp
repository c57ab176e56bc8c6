#include "agent/instance.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "agent/logging.hpp"
#include "agent/text_values.hpp"

namespace mwx {

Instance::Instance(InstanceSettings settings)
    : settings_(std::move(settings)), logger_(logger(settings_.subsystem)) {}

void Instance::start_poll(boost::asio::io_context& io, std::function<void()> done) {
  const SteadyTime started = std::chrono::steady_clock::now();
  // Called once, whether the poll ends normally or by an exception.
  auto ended = std::make_shared<bool>(false);
  auto finish = [self = shared_from_this(), started, ended, done = std::move(done)] {
    if (*ended) return;
    *ended = true;
    ++self->polls_;
    if (self->status_ == InstanceStatus::down) ++self->poll_failures_;
    self->last_poll_duration_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    done();
  };
  if (!guarded([&] { poll(io, finish); })) boost::asio::post(io, finish);
}

void Instance::fail_poll(std::string error) {
  forget_data();
  record_failure(std::move(error));
}

void Instance::fail_after_exception(const char* what) noexcept {
  try {
    fail_poll(std::string("internal error: ") + what);
  } catch (...) {
    // Out of memory while reporting; the next poll tries again.
  }
}

void Instance::record_success() {
  if (status_ != InstanceStatus::up || !last_error_.empty()) {
    log().info("instance \"{}\" ({}) is up", settings_.name, settings_.endpoint);
  }
  status_ = InstanceStatus::up;
  last_error_.clear();
  last_poll_end_ = std::chrono::steady_clock::now();
}

void Instance::record_partial_success(std::string problems) {
  if (status_ != InstanceStatus::up || problems != last_error_) {
    log().warn("instance \"{}\" ({}) is up, but values are missing: {}", settings_.name, settings_.endpoint,
               problems);
  }
  status_ = InstanceStatus::up;
  last_error_ = std::move(problems);
  last_poll_end_ = std::chrono::steady_clock::now();
}

void Instance::record_condition(InstanceStatus status, std::string reason) {
  if (status_ != status || reason != last_error_) {
    // Not present is a quiet, expected state (a host without the service).
    const auto level = status == InstanceStatus::not_present ? spdlog::level::debug : spdlog::level::warn;
    log().log(level, "instance \"{}\" ({}) is {}: {}", settings_.name, settings_.endpoint, status_name(status),
              reason);
  }
  status_ = status;
  last_error_ = std::move(reason);
  last_poll_end_ = std::chrono::steady_clock::now();
}

void Instance::record_failure(std::string error) {
  // Log each change of state once, not every failed poll.
  if (status_ != InstanceStatus::down || !last_poll_end_ || error != last_error_) {
    log().warn("instance \"{}\" ({}) is down: {}", settings_.name, settings_.endpoint, error);
  }
  status_ = InstanceStatus::down;
  last_error_ = std::move(error);
  last_poll_end_ = std::chrono::steady_clock::now();
}

RowWriter Instance::write_instance_row(SnapshotBuilder& out, OidView entry_oid, Oid& index_storage) const {
  index_storage.clear();
  append_string_index(index_storage, settings_.name);
  // Stale: no poll has ended for two intervals plus the timeout.
  const auto stale_after = 2 * settings_.interval + settings_.timeout;
  const auto slot = out.add_instance(last_poll_end_.value_or(created_), stale_after);
  RowWriter row(out, entry_oid, index_storage, slot);
  row.meta_text(instance_column::endpoint, display_string(settings_.endpoint));
  row.meta_status(instance_column::status, status_);
  if (last_poll_end_) row.meta_seconds_since(instance_column::last_poll_age, *last_poll_end_);
  row.meta_text(instance_column::last_error, display_string(last_error_));
  row.meta_text(instance_column::label, settings_.name);
  if (last_poll_duration_) {
    row.meta_number(instance_column::last_poll_duration, last_poll_duration_->count());
  }
  row.meta_number(instance_column::polls, polls_);
  row.meta_number(instance_column::poll_failures, poll_failures_);
  row.meta_text(instance_column::agent_discontinuity_time, date_and_time(counting_since_));
  row.meta_seconds_since(instance_column::agent_discontinuity_age, steady_time_of(counting_since_));
  return row;
}

}  // namespace mwx
