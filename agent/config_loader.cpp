#include "agent/config_loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>
#include <sstream>

#include "agent/events/event_catalog.hpp"
#include "agent/subsystem.hpp"

namespace mwx {
namespace {

constexpr std::size_t kMaxConfigBytes = 4 * 1024 * 1024;

const Subsystem* find_subsystem(const std::string& directive) {
  for (const auto& s : subsystems()) {
    if (s.directive == directive) return &s;
  }
  return nullptr;
}

// Checks an event line against the event it names, on top of `base` (the
// defaults, or the subsystem's line); the result, or an error message.
Result<EventSetting> apply(const EventLine& line, const EventSpec& spec, EventSetting base) {
  if ((line.rising || line.falling) && !spec.has_thresholds()) {
    return Error{"event " + line.name + " has no thresholds; it takes on or off" +
                 (spec.has_hold() ? std::string(" and for=") : std::string())};
  }
  if (line.hold && !spec.has_hold()) return Error{"event " + line.name + " takes no for="};
  if (line.enabled) base.enabled = *line.enabled;
  if (line.rising) base.rising = *line.rising;
  if (line.falling) base.falling = *line.falling;
  if (line.hold) base.hold = *line.hold;
  // The alarm and its end need a gap between them: with falling equal to
  // rising, a value sitting on the line would alarm and clear every poll.
  if (spec.has_thresholds() && base.falling >= base.rising) {
    return Error{"event " + line.name + ": falling=" + std::to_string(base.falling) + " is not below rising=" +
                 std::to_string(base.rising) + "; the alarm ends beyond the other threshold, so falling < rising"};
  }
  return base;
}

std::string event_names(std::string_view subsystem) {
  std::string out;
  for (const EventSpec* spec : events_of(subsystem)) out += (out.empty() ? "" : ", ") + std::string(spec->name);
  return out;
}

void fail(std::vector<ConfigError>& errors, const EventLine& line, const std::string& message) {
  errors.push_back({line.line, line.origin + ": " + message});
}

// The event lines that name a known event of a configured instance and,
// for a whole subsystem, fit its defaults; the others are errors.
std::vector<const EventLine*> usable_event_lines(const Config& config, std::vector<ConfigError>& errors) {
  std::vector<const EventLine*> usable;
  for (const auto& line : config.events) {
    const EventSpec* spec = find_event(line.subsystem, line.name);
    if (spec == nullptr) {
      fail(errors, line, "unknown " + line.subsystem + " event '" + line.name + "'; expected one of: " +
                             event_names(line.subsystem));
      continue;
    }
    const bool instance_known = line.instance.empty() ||
        std::any_of(config.instances.begin(), config.instances.end(), [&](const InstanceLine& i) {
          return i.subsystem == line.subsystem && i.name == line.instance;
        });
    if (!instance_known) {
      fail(errors, line, "event " + line.subsystem + "/" + line.instance + ": no " + line.subsystem +
                             " instance named '" + line.instance + "'");
      continue;
    }
    if (line.instance.empty()) {
      if (auto checked = apply(line, *spec, EventSetting::defaults_of(*spec)); !checked) {
        fail(errors, line, checked.error());
        continue;
      }
    }
    usable.push_back(&line);
  }
  return usable;
}

// One instance's setting of one event: the defaults, then its subsystem's
// lines, then its own.
EventSetting setting_of(const InstanceSettings& own, const EventSpec& spec, std::span<const EventLine* const> lines,
                        std::vector<ConfigError>& errors) {
  EventSetting setting = EventSetting::defaults_of(spec);
  for (const bool narrow : {false, true}) {
    for (const EventLine* line : lines) {
      if (line->subsystem != own.subsystem || line->name != spec.name) continue;
      if (narrow != !line->instance.empty() || (narrow && line->instance != own.name)) continue;
      auto applied = apply(*line, spec, setting);
      if (!applied) {
        fail(errors, *line, applied.error());
        continue;
      }
      setting = applied.value();
    }
  }
  return setting;
}

void resolve_events(const Config& config, std::vector<std::shared_ptr<Instance>>& instances,
                    std::vector<ConfigError>& errors) {
  const std::vector<const EventLine*> usable = usable_event_lines(config, errors);
  for (auto& instance : instances) {
    EventSettings settings;
    for (const EventSpec* spec : events_of(instance->settings().subsystem)) {
      settings.set(*spec, setting_of(instance->settings(), *spec, usable, errors));
    }
    instance->configure_events(std::move(settings));
  }
}

}  // namespace

PollerOptions poller_options(const Config& config) {
  return {config.max_parallel_polls, {config.event_holdoff, config.event_log_size}};
}

Result<Configuration> configuration_from_text(std::string_view text, const std::string& filename) {
  auto parsed = parse_config(text, filename, subsystem_directives());
  Configuration out{std::move(parsed.config), {}};
  std::vector<ConfigError> errors = std::move(parsed.errors);
  for (const auto& line : out.config.instances) {
    const Subsystem* subsystem = find_subsystem(line.subsystem);
    auto instance = subsystem->create(line);
    if (!instance) {
      errors.push_back({line.line, line.origin + ": " + line.subsystem + " " + line.name + ": " + instance.error() +
                                       " (usage: " + std::string(subsystem->usage) + ")"});
      continue;
    }
    out.instances.push_back(std::move(instance).value());
  }
  resolve_events(out.config, out.instances, errors);
  if (!errors.empty()) return Error{join_errors(std::move(errors))};
  return out;
}

Result<Configuration> load_configuration(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{path + ": cannot open: " + std::strerror(errno)};
  // Read in pieces up to the bound: a buffer of the bound itself (4 MiB,
  // zeroed) stayed in the agent's RSS after every reload (bench/soak.py).
  std::string text;
  char piece[65536];
  while (text.size() <= kMaxConfigBytes && file.read(piece, sizeof piece).gcount() > 0) {
    text.append(piece, static_cast<std::size_t>(file.gcount()));
  }
  if (file.bad()) return Error{path + ": cannot read: " + std::strerror(errno)};
  if (text.size() > kMaxConfigBytes) return Error{path + ": larger than 4 MiB; is this the right file?"};
  return configuration_from_text(text, path);
}

}  // namespace mwx
