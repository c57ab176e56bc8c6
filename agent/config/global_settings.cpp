#include "agent/config/global_settings.hpp"

#include <set>

namespace mwx::config {
namespace {

constexpr std::uint64_t kMaxEventCount = 10'000;
constexpr std::uint64_t kMaxParallelPolls = 10'000;

}  // namespace

const std::map<std::string, std::string>& GlobalSettings::usage() {
  static const std::map<std::string, std::string> usage{
      {"agentx_socket", "ADDRESS"},         {"interval", "SECONDS"},
      {"timeout", "SECONDS"},               {"log_level", "trace|debug|info|warn|error"},
      {"agentx_ping_interval", "SECONDS"},  {"event_holdoff", "SECONDS"},
      {"event_log_size", "COUNT"},          {"event_backlog", "COUNT"},
      {"max_parallel_polls", "COUNT"},
  };
  return usage;
}

void GlobalSettings::parse(const Words& words, int line) {
  const std::string& directive = words[0];
  if (words.size() != 2) {
    context_.fail(line, "'" + directive + "' takes exactly one value: " + directive + " " + usage().at(directive));
    return;
  }
  if (const auto first = seen_.find(directive); first != seen_.end()) {
    context_.fail(line, "'" + directive + "' is set twice (first at " + context_.origin(first->second) + ")");
    return;
  }
  seen_[directive] = line;
  set(directive, words[1], line);
}

void GlobalSettings::set(const std::string& directive, const std::string& value, int line) {
  if (directive == "agentx_socket") {
    config_.agentx_socket = value;
  } else if (directive == "interval" || directive == "timeout") {
    if (const auto period = context_.period(value, directive, line)) {
      (directive == "interval" ? config_.interval : config_.timeout) = *period;
      (directive == "interval" ? interval_line_ : timeout_line_) = line;
    }
  } else if (directive == "log_level") {
    set_level(value, line);
  } else if (directive == "agentx_ping_interval") {
    if (const auto seconds = context_.whole_number(directive, value, line, 1, 3600, "whole seconds")) {
      config_.agentx_ping_interval = std::chrono::seconds(*seconds);
    }
  } else if (directive == "event_holdoff") {
    if (const auto seconds = context_.whole_number(directive, value, line, 0, kMaxHoldSeconds, "whole seconds")) {
      config_.event_holdoff = std::chrono::seconds(*seconds);
    }
  } else if (directive == "max_parallel_polls") {
    if (const auto count = context_.whole_number(directive, value, line, 1, kMaxParallelPolls, "a count")) {
      config_.max_parallel_polls = *count;
    }
  } else if (directive == "event_log_size" || directive == "event_backlog") {
    if (const auto count = context_.whole_number(directive, value, line, 0, kMaxEventCount, "a count")) {
      (directive == "event_log_size" ? config_.event_log_size : config_.event_backlog) = *count;
    }
  }
}

void GlobalSettings::set_level(const std::string& value, int line) {
  static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error"};
  if (!levels.count(value)) {
    context_.fail(line, "bad log_level '" + value + "'; expected one of: debug, error, info, trace, warn");
  } else {
    config_.log_level = value;
  }
}

}  // namespace mwx::config
