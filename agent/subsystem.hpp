#pragma once
// What a subsystem (handlers/<name>/) provides to the agent core, and the
// explicit list of them. Adding a subsystem adds one line to subsystems().

#include <memory>
#include <span>
#include <string_view>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/events/event.hpp"
#include "agent/mib/mib_catalog.hpp"
#include "agent/poll/instance.hpp"

namespace mwx {

struct Subsystem {
  std::string_view directive;  // the config directive, also the logger's name
  std::string_view usage;      // shown in config error messages
  // Builds an instance from its config line; the error says what is wrong
  // (the caller prefixes FILE:LINE). Must not do I/O.
  Result<std::shared_ptr<Instance>> (*create)(const InstanceLine& line);
  void (*describe)(MibCatalog& catalog);
  // The events its instances detect beyond "down" (agent/events/instance_events.hpp).
  std::span<const EventSpec* const> events;
};

std::span<const Subsystem> subsystems();
std::span<const std::string_view> subsystem_directives();

// Every object mwagentx serves: the agent group, the event table and each
// subsystem's.
MibCatalog full_catalog();

}  // namespace mwx
