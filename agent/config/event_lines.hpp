#pragma once
// The event lines of mwagentx.conf (private to config/):
// `event SUBSYSTEM[/INSTANCE] NAME [on|off] [rising=N] [falling=N] [for=SECONDS]`.
// Whether NAME is one of the subsystem's events, and whether the
// thresholds fit it, is checked against the event catalog by
// agent/config_loader.cpp.

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "agent/config/parse_context.hpp"

namespace mwx::config {

class EventLines {
 public:
  EventLines(ParseContext& context, Config& config, std::span<const std::string_view> subsystems)
      : context_(context), config_(config), subsystems_(subsystems) {}

  // A line whose first word is `event`.
  void parse(const Words& words, int line);

 private:
  bool parse_target(const Words& words, EventLine& line);
  bool parse_option(const std::string& word, EventLine& line);
  bool claim(const std::string& target, const EventLine& line);

  ParseContext& context_;
  Config& config_;
  std::span<const std::string_view> subsystems_;
  std::map<std::string, int> seen_;  // "memcached/sessions connection_usage" -> its line
};

}  // namespace mwx::config
