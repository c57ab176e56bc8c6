#include "agent/events/threshold_watch.hpp"

#include <utility>

namespace mwx {

ThresholdLines threshold_lines(EventKind kind) {
  return kind == EventKind::below ? ThresholdLines{Comparison::at_or_below, Comparison::at_or_above}
                                  : ThresholdLines{Comparison::at_or_above, Comparison::at_or_below};
}

std::string_view comparison_operator(Comparison comparison) {
  return comparison == Comparison::at_or_above ? ">=" : "<=";
}

namespace {

bool reaches(Comparison comparison, std::uint64_t value, std::uint64_t line) {
  return comparison == Comparison::at_or_above ? value >= line : value <= line;
}

bool on_alarm_side(EventKind kind, const EventSetting& setting, std::uint64_t value) {
  switch (kind) {
    case EventKind::above: return reaches(threshold_lines(kind).alarm, value, setting.rising);
    case EventKind::below: return reaches(threshold_lines(kind).alarm, value, setting.falling);
    case EventKind::condition: return value != 0;
    case EventKind::change: return false;
  }
  return false;
}

bool back_to_normal(EventKind kind, const EventSetting& setting, std::uint64_t value) {
  switch (kind) {
    case EventKind::above: return reaches(threshold_lines(kind).clear, value, setting.falling);
    case EventKind::below: return reaches(threshold_lines(kind).clear, value, setting.rising);
    case EventKind::condition: return value == 0;
    case EventKind::change: return true;
  }
  return true;
}

}  // namespace

ThresholdWatch::Crossing ThresholdWatch::feed(EventKind kind, const EventSetting& setting, std::uint64_t value,
                                              std::chrono::steady_clock::time_point now) {
  if (alarmed_) {
    if (!back_to_normal(kind, setting, value)) return Crossing::none;
    alarmed_ = false;
    beyond_since_.reset();
    return Crossing::clear;
  }
  if (!on_alarm_side(kind, setting, value)) {
    beyond_since_.reset();
    return Crossing::none;
  }
  if (!beyond_since_) beyond_since_ = now;
  if (now - *beyond_since_ < setting.hold) return Crossing::none;
  alarmed_ = true;
  return Crossing::alarm;
}

ThresholdWatch::Crossing ThresholdWatch::settle() {
  beyond_since_.reset();
  return std::exchange(alarmed_, false) ? Crossing::clear : Crossing::none;
}

}  // namespace mwx
