#pragma once
// The configuration file: one directive a line, '#' starts a comment.
// Parsing is pure (text in, Config or every error found out); building the
// instances from their lines is the subsystems' job (agent/config_loader.hpp).

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/base/result.hpp"

namespace mwx {

struct InstanceLine {
  std::string subsystem;                  // the directive: "memcached"
  std::string name;                       // first argument
  std::vector<std::string> args;          // the other positional arguments
  std::vector<std::pair<std::string, std::string>> options;  // key=value, except interval= and timeout=
  std::chrono::milliseconds interval{};   // effective: the line's own or the global one
  std::chrono::milliseconds timeout{};
  std::string origin;                     // "FILE:LINE", to prefix messages
  int line = 0;
  // The line's words joined by one space, then its effective periods: a
  // reload keeps an instance's state only if this is unchanged.
  std::string identity;
};

// `event SUBSYSTEM[/INSTANCE] NAME [on|off] [rising=N] [falling=N] [for=SECONDS]`:
// checked against the subsystems' events by agent/config_loader.cpp.
struct EventLine {
  std::string subsystem;
  std::string instance;  // empty: every instance of the subsystem
  std::string name;      // "connection_usage"
  std::optional<bool> enabled;
  std::optional<std::uint64_t> rising, falling;
  std::optional<std::chrono::seconds> hold;  // for=
  std::string origin;  // "FILE:LINE"
  int line = 0;
};

struct Config {
  std::string agentx_socket = "/var/agentx/master";
  std::chrono::milliseconds interval{10000};
  std::chrono::milliseconds timeout{2000};
  std::string log_level = "info";
  std::chrono::seconds agentx_ping_interval{15};
  std::size_t max_parallel_polls = 128;
  std::chrono::seconds event_holdoff{60};
  std::size_t event_log_size = 100;
  std::size_t event_backlog = 100;
  std::vector<InstanceLine> instances;
  std::vector<EventLine> events;
};

struct ConfigError {
  int line;
  std::string message;  // "FILE:LINE: ..."
};

struct ParsedConfig {
  Config config;                   // what could be parsed
  std::vector<ConfigError> errors;  // in line order; the config is unusable unless empty
};

// `instance_directives` are the subsystems' directives ("memcached", ...).
ParsedConfig parse_config(std::string_view text, const std::string& filename,
                          std::span<const std::string_view> instance_directives);

// One message per line, sorted by line.
std::string join_errors(std::vector<ConfigError> errors);

// "10", "2.5": seconds with up to millisecond precision.
std::optional<std::chrono::milliseconds> parse_seconds(std::string_view text);

}  // namespace mwx
