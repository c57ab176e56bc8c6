#include "agent/instance.hpp"

#include "agent/logging.hpp"
#include "agent/text_values.hpp"

namespace mwx {

Instance::Instance(InstanceSettings settings)
    : settings_(std::move(settings)), logger_(logger(settings_.subsystem)) {}

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
  return row;
}

}  // namespace mwx
