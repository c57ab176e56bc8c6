#pragma once
// What a subsystem (handlers/<name>/) provides to the agent core, and the
// explicit list of them. Adding a subsystem adds one line to subsystems().

#include <memory>
#include <span>
#include <string_view>

#include "agent/config_file.hpp"
#include "agent/event.hpp"
#include "agent/instance.hpp"
#include "agent/mib_catalog.hpp"
#include "agent/result.hpp"

namespace mwx {

struct Subsystem {
  std::string_view directive;  // the config directive, also the logger's name
  std::string_view usage;      // shown in config error messages
  // Builds an instance from its config line; the error says what is wrong
  // (the caller prefixes FILE:LINE). Must not do I/O.
  Result<std::shared_ptr<Instance>> (*create)(const InstanceLine& line);
  void (*describe)(MibCatalog& catalog);
  // The events its instances detect beyond "down" (agent/instance_events.hpp).
  std::span<const EventSpec* const> events;
};

std::span<const Subsystem> subsystems();
std::span<const std::string_view> subsystem_directives();

}  // namespace mwx
