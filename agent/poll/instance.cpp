#include "agent/poll/instance.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "agent/base/logging.hpp"
#include "agent/base/text_values.hpp"
#include "agent/events/instance_events.hpp"

namespace mwx {

Instance::Instance(InstanceSettings settings)
    : settings_(std::move(settings)), logger_(logger(settings_.subsystem)) {}

void Instance::start_poll(boost::asio::io_context& io, std::function<void()> done) {
  const SteadyTime started = std::chrono::steady_clock::now();
  // Called once, whether the poll ends normally or by an exception.
  auto ended = std::make_shared<bool>(false);
  auto finish = [self = shared_from_this(), started, ended, before = status_, done = std::move(done)] {
    if (*ended) return;
    *ended = true;
    ++self->polls_;
    if (self->status_ == InstanceStatus::down) ++self->poll_failures_;
    self->detect_after_poll(before);
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

void Instance::notify(const EventSpec& spec, const NotificationType& type, Event event) {
  if (!event_settings_.of(spec).enabled) return;
  event.type = &type;
  event.spec = &spec;
  event.subsystem = settings_.subsystem;
  if (event.label.empty()) event.label = settings_.name;
  events_.push_back(std::move(event));
}

void Instance::watch(const EventSpec& spec, std::string_view label, std::optional<std::uint64_t> value) {
  const EventSetting setting = event_settings_.of(spec);
  if (!setting.enabled || !value) return;
  auto [found, _] = watches_.try_emplace(std::pair{&spec, std::string(label)});
  found->second.last_read_in_poll = polls_ + 1;  // the poll in progress: finish() counts it
  const auto crossing = found->second.watch.feed(spec.kind, setting, *value, std::chrono::steady_clock::now());
  if (crossing == ThresholdWatch::Crossing::none) return;
  Event event;
  event.type = crossing == ThresholdWatch::Crossing::alarm ? spec.alarm : spec.clear;
  event.spec = &spec;
  event.subsystem = settings_.subsystem;
  event.label = std::string(label);
  event.text = threshold_text(spec, setting, label, crossing, *value);
  if (event.type->objects & kValueObject) event.value = *value;
  if (event.type->objects & kThresholdObject) {
    const bool rising = (spec.kind == EventKind::above) == (crossing == ThresholdWatch::Crossing::alarm);
    event.threshold = rising ? setting.rising : setting.falling;
  }
  events_.push_back(std::move(event));
}

void Instance::settle(const EventSpec& spec, std::string_view label, std::string text) {
  if (!event_settings_.of(spec).enabled) return;
  auto [found, _] = watches_.try_emplace(std::pair{&spec, std::string(label)});
  found->second.last_read_in_poll = polls_ + 1;
  if (found->second.watch.settle() == ThresholdWatch::Crossing::none) return;
  Event event;
  event.type = spec.clear;
  event.spec = &spec;
  event.subsystem = settings_.subsystem;
  event.label = std::string(label);
  event.text = std::move(text);
  // The threshold it is back beyond; no value was read to carry.
  if (event.type->objects & kThresholdObject) {
    const EventSetting setting = event_settings_.of(spec);
    event.threshold = spec.kind == EventKind::above ? setting.falling : setting.rising;
  }
  events_.push_back(std::move(event));
}

std::string Instance::threshold_text(const EventSpec& spec, const EventSetting& setting, std::string_view label,
                                     ThresholdWatch::Crossing crossing, std::uint64_t value) const {
  const bool alarm = crossing == ThresholdWatch::Crossing::alarm;
  std::string text = settings_.subsystem + " " + std::string(label) + ": " + std::string(spec.what);
  if (spec.kind == EventKind::condition) {
    if (!alarm) return text + " ended";
    return text + (setting.hold.count() > 0 ? " for " + std::to_string(setting.hold.count()) + "s" : "");
  }
  // "95%", "600s", "120 jobs"
  const std::string unit = spec.unit.size() > 1 ? " " + std::string(spec.unit) : std::string(spec.unit);
  const auto amount = [&](std::uint64_t v) { return std::to_string(v) + unit; };
  const bool at_rising = (spec.kind == EventKind::above) == alarm;
  text += alarm ? " is " : " is back to ";
  text += amount(value);
  text += at_rising ? ", at or above the rising threshold " + amount(setting.rising)
                    : ", at or below the falling threshold " + amount(setting.falling);
  if (alarm && setting.hold.count() > 0) text += " for " + std::to_string(setting.hold.count()) + "s";
  return text;
}

void Instance::detect_after_poll(InstanceStatus before) {
  const bool down = status_ == InstanceStatus::down;
  if (down && before != InstanceStatus::down && event_settings_.of(instance_events::down).enabled) {
    Event event;
    event.text = settings_.subsystem + " " + settings_.name + " is down: " + last_error_;
    notify(instance_events::down, instance_events::down_notification, std::move(event));
    down_notified_ = true;
  } else if (!down && status_ != InstanceStatus::pending && down_notified_) {
    Event event;
    event.text = settings_.subsystem + " " + settings_.name + " is " + std::string(status_name(status_)) + " again";
    down_notified_ = false;
    // Even if "down" was turned off since by a reload: the down was sent.
    event.type = &instance_events::up_notification;
    event.spec = &instance_events::down;
    event.subsystem = settings_.subsystem;
    event.label = settings_.name;
    events_.push_back(std::move(event));
  }
  if (down) return;
  std::erase_if(watches_, [&](const auto& watched) { return watched.second.last_read_in_poll != polls_; });
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
