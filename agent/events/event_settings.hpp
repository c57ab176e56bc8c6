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
  void set(std::string_view name, EventSetting setting) { settings_[std::string(name)] = setting; }

 private:
  std::map<std::string, EventSetting, std::less<>> settings_;
};

}  // namespace mwx
