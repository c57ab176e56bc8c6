#include "agent/subsystem.hpp"

#include "agent/events/event_catalog.hpp"
#include "agent/events/event_log.hpp"
#include "agent/mib/agent_group.hpp"

#include "handlers/flare/collector.hpp"
#include "handlers/flare/events.hpp"
#include "handlers/flare/mib.hpp"
#include "handlers/gearman/collector.hpp"
#include "handlers/gearman/events.hpp"
#include "handlers/lvs/collector.hpp"
#include "handlers/lvs/events.hpp"
#include "handlers/lvs/mib.hpp"
#include "handlers/memcached/collector.hpp"
#include "handlers/memcached/events.hpp"
#include "handlers/qmail/collector.hpp"
#include "handlers/qmail/events.hpp"

namespace mwx {

std::span<const Subsystem> subsystems() {
  static const Subsystem list[] = {
      {"memcached", "memcached NAME HOST:PORT|/path/to/socket [interval=SECONDS] [timeout=SECONDS] [slabs=on|off]",
       &memcached::create_instance, &memcached::describe, memcached::events::all},
      {"gearman", "gearman NAME HOST[:PORT] [interval=SECONDS] [timeout=SECONDS]", &gearman::create_instance,
       &gearman::describe, gearman::events::all},
      {"qmail", "qmail NAME [QMAILDIR] [interval=SECONDS] [timeout=SECONDS]", &qmail::create_instance,
       &qmail::describe, qmail::events::all},
      {"flare", "flare NAME INDEXHOST[:PORT] [interval=SECONDS] [timeout=SECONDS] [node_stats=on|off]",
       &flare::create_instance, &flare::describe, flare::events::all},
      {"lvs", "lvs NAME [interval=SECONDS] [timeout=SECONDS] [source=auto|netlink|procfs] [procfs=DIR] [hz=HZ]",
       &lvs::create_instance, &lvs::describe, lvs::events::all},
  };
  return list;
}

std::span<const std::string_view> subsystem_directives() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& s : subsystems()) out.push_back(s.directive);
    return out;
  }();
  return names;
}

std::span<const SubsystemEvents> subsystem_events() {
  static const std::vector<SubsystemEvents> lists = [] {
    std::vector<SubsystemEvents> out;
    for (const auto& s : subsystems()) out.push_back({s.directive, s.events});
    return out;
  }();
  return lists;
}

MibCatalog full_catalog() {
  MibCatalog catalog;
  describe_agent(catalog);
  describe_event_log(catalog);
  for (const auto& s : subsystems()) s.describe(catalog);
  return catalog;
}

}  // namespace mwx
