#pragma once
// The events of one instance as mwagentx.conf configures them: for each
// event the line of the narrowest scope that names it (SUBSYSTEM/INSTANCE
// over SUBSYSTEM), else the event's defaults.

#include <map>
#include <string>
#include <string_view>

#include "agent/events/event.hpp"

namespace mwx {

class EventSettings {
 public:
  EventSetting of(const EventSpec& spec) const {
    const auto found = settings_.find(spec.name);
    return found == settings_.end() ? EventSetting::defaults_of(spec) : found->second;
  }
  // Only a setting other than the event's defaults is kept: a farm of a
  // thousand instances mostly runs on the defaults.
  void set(const EventSpec& spec, EventSetting setting) {
    if (setting == EventSetting::defaults_of(spec)) {
      if (const auto kept = settings_.find(spec.name); kept != settings_.end()) settings_.erase(kept);
    } else {
      settings_.insert_or_assign(std::string(spec.name), setting);
    }
  }

 private:
  std::map<std::string, EventSetting, std::less<>> settings_;
};

}  // namespace mwx
