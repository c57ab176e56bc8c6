#include "agent/config/event_lines.hpp"

#include <algorithm>

namespace mwx::config {
namespace {

constexpr std::uint64_t kMaxThreshold = 4'294'967'295;  // mwxEventThreshold is a Gauge32
constexpr std::string_view kUsage = "event SUBSYSTEM[/INSTANCE] NAME [on|off] [rising=N] [falling=N] [for=SECONDS]";

}  // namespace

void EventLines::parse(const Words& words, int number) {
  if (words.size() < 3) {
    context_.fail(number, "'event' needs a subsystem and an event name: " + std::string(kUsage));
    return;
  }
  EventLine line;
  line.origin = context_.origin(number);
  line.line = number;
  if (!parse_target(words, line)) return;
  for (std::size_t i = 3; i < words.size(); ++i) {
    if (!parse_option(words[i], line)) return;
  }
  if (claim(words[1], line)) config_.events.push_back(std::move(line));
}

// SUBSYSTEM[/INSTANCE] NAME
bool EventLines::parse_target(const Words& words, EventLine& line) {
  const auto slash = words[1].find('/');
  line.subsystem = words[1].substr(0, slash);
  if (slash != std::string::npos) line.instance = words[1].substr(slash + 1);
  line.name = words[2];
  if (std::find(subsystems_.begin(), subsystems_.end(), line.subsystem) == subsystems_.end()) {
    const std::vector<std::string> known(subsystems_.begin(), subsystems_.end());
    context_.fail(line.line,
                  "unknown subsystem '" + line.subsystem + "' in 'event'; expected one of: " + join_names(known));
    return false;
  }
  if (slash != std::string::npos && !valid_instance_name(line.instance)) {
    context_.fail(line.line, "bad instance name '" + line.instance + "' in 'event'");
    return false;
  }
  return true;
}

// on, off, rising=N, falling=N or for=SECONDS, each at most once.
bool EventLines::parse_option(const std::string& word, EventLine& line) {
  if (word == "on" || word == "off") {
    if (line.enabled) {
      context_.fail(line.line, "'event' takes on or off once");
      return false;
    }
    line.enabled = word == "on";
    return true;
  }
  const auto eq = word.find('=');
  const std::string key = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
  if (eq == std::string::npos || (key != "rising" && key != "falling" && key != "for")) {
    context_.fail(line.line, "unexpected '" + word + "' in 'event'; expected: " + std::string(kUsage));
    return false;
  }
  if ((key == "rising" && line.rising) || (key == "falling" && line.falling) || (key == "for" && line.hold)) {
    context_.fail(line.line, "option '" + key + "=' is given twice");
    return false;
  }
  const auto parsed = key == "for"
                          ? context_.whole_number(key + "=", value, line.line, 0, kMaxHoldSeconds, "whole seconds")
                          : context_.whole_number(key + "=", value, line.line, 0, kMaxThreshold, "a number");
  if (!parsed) return false;
  if (key == "rising") line.rising = *parsed;
  if (key == "falling") line.falling = *parsed;
  if (key == "for") line.hold = std::chrono::seconds(*parsed);
  return true;
}

bool EventLines::claim(const std::string& target, const EventLine& line) {
  const std::string key = target + " " + line.name;
  if (const auto first = seen_.find(key); first != seen_.end()) {
    context_.fail(line.line, "event " + key + " is set twice (first at " + context_.origin(first->second) + ")");
    return false;
  }
  seen_[key] = line.line;
  return true;
}

}  // namespace mwx::config
