#include "agent/events/event_log.hpp"

#include <algorithm>
#include <limits>

#include "agent/base/text_values.hpp"
#include "agent/events/event_catalog.hpp"
#include "agent/mib/mib_root.hpp"
#include "agent/mib/row_writer.hpp"

namespace mwx {
namespace {

constexpr OidArc kMwxEvents = 7;  // mwxObjects.7
constexpr OidArc kEventTable = 4;

constexpr Column kLogged{1, "mwxEventsLogged", SnmpType::Counter64};
constexpr Column kSuppressed{2, "mwxEventsSuppressed", SnmpType::Counter64};
constexpr Column kOverflowed{3, "mwxEventsOverflowed", SnmpType::Counter64};
constexpr const Column* kScalars[] = {&kLogged, &kSuppressed, &kOverflowed};

Oid scalar(const Column& object) { return concat(mwx_objects(kMwxEvents), {object.arc, 0}); }

std::vector<const Column*> table_columns() {
  using namespace event_column;
  return {&time, &age, &type(), &subsystem, &label, &text, &value, &threshold, &previous_value, &from, &to,
          &suppressed};
}

}  // namespace

const Column& event_column::type() {
  static const Column column{4, "mwxEventType", SnmpType::Integer, {event_type_labels()}};
  return column;
}

const Oid& event_entry_oid() {
  static const Oid entry = concat(mwx_objects(kMwxEvents), {kEventTable, 1});
  return entry;
}

std::vector<const Column*> notification_objects(const NotificationType& type) {
  using namespace event_column;
  std::vector<const Column*> out{&time, &subsystem, &label, &text};
  if (type.objects & kValueObject) out.push_back(&value);
  if (type.objects & kThresholdObject) out.push_back(&threshold);
  if (type.objects & kPreviousValueObject) out.push_back(&previous_value);
  if (type.objects & kFromToObjects) {
    out.push_back(&from);
    out.push_back(&to);
  }
  out.push_back(&suppressed);
  return out;
}

EventObjectValue event_object_value(const Event& event, const Column& column) {
  using namespace event_column;
  const auto number = [](std::optional<std::uint64_t> n) {
    return n ? EventObjectValue{true, *n, {}} : EventObjectValue{};
  };
  const auto text = [](const std::optional<std::string>& t) {
    return t ? EventObjectValue{true, 0, display_string(*t)} : EventObjectValue{};
  };
  if (&column == &time) return {true, 0, date_and_time(event.time)};
  if (&column == &type()) return {true, event.type->arc, {}};
  if (&column == &subsystem) return text(event.subsystem);
  if (&column == &label) return text(event.label);
  if (&column == &event_column::text) return text(event.text);
  if (&column == &value) return number(event.value);
  if (&column == &threshold) return number(event.threshold);
  if (&column == &previous_value) return number(event.previous_value);
  if (&column == &from) return text(event.from);
  if (&column == &to) return text(event.to);
  if (&column == &suppressed) return number(event.suppressed);
  return {};
}

void EventLog::set_policy(EventPolicy policy) {
  policy_ = policy;
  while (log_.size() > policy_.log_size) log_.pop_front();
}

EventLog::Key EventLog::key_of(const Event& event) {
  const NotificationType* topic = event.spec != nullptr && event.spec->alarm != nullptr ? event.spec->alarm : event.type;
  return {topic->arc, event.subsystem, event.label};
}

Event EventLog::let_through(Event event, Holdoff& holdoff, std::chrono::steady_clock::time_point now) {
  event.suppressed = std::exchange(holdoff.suppressed, 0);
  holdoff.last_sent = now;
  event.index = next_index_;
  // Unsigned32 (1..4294967295): after the last, numbering starts again.
  next_index_ = next_index_ == std::numeric_limits<std::uint32_t>::max() ? 1 : next_index_ + 1;
  ++logged_;
  if (policy_.log_size > 0) {
    log_.push_back(event);
    if (log_.size() > policy_.log_size) log_.pop_front();
  }
  return event;
}

std::vector<Event> EventLog::admit(std::vector<Event> events, std::chrono::steady_clock::time_point now) {
  std::vector<Event> admitted = release_held(now);
  for (auto& event : events) {
    auto [holdoff, fresh] = holdoffs_.try_emplace(key_of(event));
    if (!fresh && now - holdoff->second.last_sent < policy_.holdoff) {
      if (holdoff->second.held) {
        ++holdoff->second.suppressed;
        ++suppressed_;
      }
      holdoff->second.held = std::move(event);
      continue;
    }
    admitted.push_back(let_through(std::move(event), holdoff->second, now));
  }
  // Forget rows whose holdoff is over and that hold nothing back.
  std::erase_if(holdoffs_, [&](const auto& entry) {
    return !entry.second.held && now - entry.second.last_sent >= policy_.holdoff;
  });
  return admitted;
}

std::vector<Event> EventLog::release_held(std::chrono::steady_clock::time_point now) {
  std::vector<Holdoff*> due;
  for (auto& [_, holdoff] : holdoffs_) {
    if (holdoff.held && now - holdoff.last_sent >= policy_.holdoff) due.push_back(&holdoff);
  }
  // Numbered in the order they happened.
  std::stable_sort(due.begin(), due.end(), [](const Holdoff* a, const Holdoff* b) { return a->held->time < b->held->time; });
  std::vector<Event> released;
  for (Holdoff* holdoff : due) {
    Event event = std::move(*holdoff->held);
    holdoff->held.reset();
    released.push_back(let_through(std::move(event), *holdoff, now));
  }
  return released;
}

std::optional<std::chrono::steady_clock::time_point> EventLog::next_release() const {
  std::optional<std::chrono::steady_clock::time_point> next;
  for (const auto& [_, holdoff] : holdoffs_) {
    if (!holdoff.held) continue;
    const auto due = holdoff.last_sent + policy_.holdoff;
    if (!next || due < *next) next = due;
  }
  return next;
}

void EventLog::write_rows(SnapshotBuilder& out) const {
  out.add_number(scalar(kLogged), kLogged.type, logged_);
  out.add_number(scalar(kSuppressed), kSuppressed.type, suppressed_);
  out.add_number(scalar(kOverflowed), kOverflowed.type, overflowed_);
  Oid index;
  for (const Event& event : log_) {
    index.assign(1, event.index);
    RowWriter row(out, event_entry_oid(), index, Snapshot::kNoInstance);
    row.meta_seconds_since(event_column::age, steady_time_of(event.time));
    for (const Column* column : table_columns()) {
      if (column == &event_column::age) continue;
      const auto value = event_object_value(event, *column);
      if (!value.present) continue;
      if (column->type == SnmpType::OctetString) {
        row.meta_text(*column, value.text);
      } else {
        row.meta_number(*column, value.number);
      }
    }
  }
}

void describe_event_log(MibCatalog& catalog) {
  catalog.add_scalars(mwx_objects(kMwxEvents), kScalars);
  catalog.add_columns(event_entry_oid(), {IndexKind::Integer}, table_columns());
}

}  // namespace mwx
