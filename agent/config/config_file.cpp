#include "agent/config/config_file.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "agent/base/parse_helpers.hpp"
#include "agent/base/text_values.hpp"

namespace mwx {
namespace {

constexpr std::chrono::milliseconds kMinPeriod{100};
constexpr std::chrono::milliseconds kMaxPeriod{86'400'000};
constexpr std::size_t kMaxNameLength = 32;
constexpr std::uint64_t kMaxHoldSeconds = 86'400;
constexpr std::uint64_t kMaxEventCount = 10'000;
constexpr std::uint64_t kMaxParallelPolls = 10'000;
constexpr std::uint64_t kMaxThreshold = 4'294'967'295;  // mwxEventThreshold is a Gauge32

bool valid_instance_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

std::string join(const std::vector<std::string>& words, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

class Parser {
 public:
  Parser(const std::string& filename, std::span<const std::string_view> instance_directives)
      : filename_(filename), instance_directives_(instance_directives) {}

  ParsedConfig parse(std::string_view text) {
    int number = 0;
    std::size_t at = 0;
    while (at <= text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      ++number;
      parse_line(text.substr(at, end - at), number);
      at = end + 1;
    }
    resolve_periods();
    return {std::move(config_), std::move(errors_)};
  }

 private:
  std::string origin(int line) const { return filename_ + ":" + std::to_string(line); }

  void fail(int line, const std::string& message) { errors_.push_back({line, origin(line) + ": " + message}); }

  void parse_line(std::string_view line, int number) {
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto split = split_words(line);
    const std::vector<std::string> words(split.begin(), split.end());
    if (words.empty()) return;
    const std::string& directive = words[0];
    if (is_instance_directive(directive)) {
      parse_instance(words, number);
      return;
    }
    if (directive == "event") {
      parse_event(words, number);
      return;
    }
    if (!global_directives().count(directive)) {
      std::string known;
      std::set<std::string> all;
      for (const auto& [name, _] : global_directives()) all.insert(name);
      for (auto name : instance_directives_) all.emplace(name);
      all.emplace("event");
      for (const auto& name : all) known += (known.empty() ? "" : ", ") + name;
      fail(number, "unknown directive '" + directive + "'; expected one of: " + known);
      return;
    }
    if (words.size() != 2) {
      fail(number, "'" + directive + "' takes exactly one value: " + directive + " " +
                       global_directives().at(directive));
      return;
    }
    if (const auto first = seen_globals_.find(directive); first != seen_globals_.end()) {
      fail(number, "'" + directive + "' is set twice (first at " + origin(first->second) + ")");
      return;
    }
    seen_globals_[directive] = number;
    parse_global(directive, words[1], number);
  }

  static const std::map<std::string, std::string>& global_directives() {
    static const std::map<std::string, std::string> usage{
        {"agentx_socket", "ADDRESS"},         {"interval", "SECONDS"},
        {"timeout", "SECONDS"},               {"log_level", "trace|debug|info|warn|error"},
        {"agentx_ping_interval", "SECONDS"},  {"event_holdoff", "SECONDS"},
        {"event_log_size", "COUNT"},          {"event_backlog", "COUNT"},
        {"max_parallel_polls", "COUNT"},
    };
    return usage;
  }

  void parse_global(const std::string& directive, const std::string& value, int number) {
    if (directive == "agentx_socket") {
      config_.agentx_socket = value;
    } else if (directive == "interval" || directive == "timeout") {
      if (const auto period = parse_period(value, directive, number)) {
        (directive == "interval" ? config_.interval : config_.timeout) = *period;
        (directive == "interval" ? interval_line_ : timeout_line_) = number;
      }
    } else if (directive == "log_level") {
      static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error"};
      if (!levels.count(value)) {
        fail(number, "bad log_level '" + value + "'; expected one of: debug, error, info, trace, warn");
      } else {
        config_.log_level = value;
      }
    } else if (directive == "agentx_ping_interval") {
      if (const auto seconds = whole_number(directive, value, number, 1, 3600, "whole seconds")) {
        config_.agentx_ping_interval = std::chrono::seconds(*seconds);
      }
    } else if (directive == "event_holdoff") {
      if (const auto seconds = whole_number(directive, value, number, 0, kMaxHoldSeconds, "whole seconds")) {
        config_.event_holdoff = std::chrono::seconds(*seconds);
      }
    } else if (directive == "max_parallel_polls") {
      if (const auto count = whole_number(directive, value, number, 1, kMaxParallelPolls, "a count")) {
        config_.max_parallel_polls = *count;
      }
    } else if (directive == "event_log_size" || directive == "event_backlog") {
      if (const auto count = whole_number(directive, value, number, 0, kMaxEventCount, "a count")) {
        (directive == "event_log_size" ? config_.event_log_size : config_.event_backlog) = *count;
      }
    }
  }

  std::optional<std::uint64_t> whole_number(const std::string& what, const std::string& value, int number,
                                            std::uint64_t min, std::uint64_t max, const char* kind) {
    std::uint64_t parsed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || end != value.data() + value.size() || parsed < min || parsed > max) {
      fail(number, "bad " + what + " '" + value + "'; expected " + kind + " from " + std::to_string(min) + " to " +
                       std::to_string(max));
      return std::nullopt;
    }
    return parsed;
  }

  bool is_instance_directive(std::string_view word) const {
    return std::find(instance_directives_.begin(), instance_directives_.end(), word) != instance_directives_.end();
  }

  void parse_event(const std::vector<std::string>& words, int number) {
    static const std::string usage =
        "event SUBSYSTEM[/INSTANCE] NAME [on|off] [rising=N] [falling=N] [for=SECONDS]";
    if (words.size() < 3) {
      fail(number, "'event' needs a subsystem and an event name: " + usage);
      return;
    }
    EventLine line;
    const auto slash = words[1].find('/');
    line.subsystem = words[1].substr(0, slash);
    if (slash != std::string::npos) line.instance = words[1].substr(slash + 1);
    line.name = words[2];
    line.origin = origin(number);
    line.line = number;
    if (!is_instance_directive(line.subsystem)) {
      std::string known;
      for (auto name : instance_directives_) known += (known.empty() ? "" : ", ") + std::string(name);
      fail(number, "unknown subsystem '" + line.subsystem + "' in 'event'; expected one of: " + known);
      return;
    }
    if (slash != std::string::npos && !valid_instance_name(line.instance)) {
      fail(number, "bad instance name '" + line.instance + "' in 'event'");
      return;
    }
    for (std::size_t i = 3; i < words.size(); ++i) {
      const std::string& word = words[i];
      if (word == "on" || word == "off") {
        if (line.enabled) return fail(number, "'event' takes on or off once");
        line.enabled = word == "on";
        continue;
      }
      const auto eq = word.find('=');
      const std::string key = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
      if (eq == std::string::npos || (key != "rising" && key != "falling" && key != "for")) {
        return fail(number, "unexpected '" + word + "' in 'event'; expected: " + usage);
      }
      if ((key == "rising" && line.rising) || (key == "falling" && line.falling) || (key == "for" && line.hold)) {
        return fail(number, "option '" + key + "=' is given twice");
      }
      const auto parsed = key == "for" ? whole_number(key + "=", value, number, 0, kMaxHoldSeconds, "whole seconds")
                                       : whole_number(key + "=", value, number, 0, kMaxThreshold, "a number");
      if (!parsed) return;
      if (key == "rising") line.rising = *parsed;
      if (key == "falling") line.falling = *parsed;
      if (key == "for") line.hold = std::chrono::seconds(*parsed);
    }
    const std::string key = words[1] + " " + line.name;
    if (const auto first = seen_events_.find(key); first != seen_events_.end()) {
      fail(number, "event " + key + " is set twice (first at " + origin(first->second) + ")");
      return;
    }
    seen_events_[key] = number;
    config_.events.push_back(std::move(line));
  }

  std::optional<std::chrono::milliseconds> parse_period(const std::string& value, const std::string& what,
                                                        int number) {
    const auto period = parse_seconds(value);
    if (!period || *period < kMinPeriod || *period > kMaxPeriod) {
      fail(number, "bad " + what + " '" + value + "'; expected seconds from 0.1 to 86400, e.g. 10 or 2.5");
      return std::nullopt;
    }
    return period;
  }

  void parse_instance(const std::vector<std::string>& words, int number) {
    const std::string& directive = words[0];
    if (words.size() < 2) {
      fail(number, "'" + directive + "' needs an instance name");
      return;
    }
    InstanceLine line;
    line.subsystem = directive;
    line.name = words[1];
    line.origin = origin(number);
    line.line = number;
    line.identity = join(words);
    if (!valid_instance_name(line.name)) {
      fail(number, "bad instance name '" + line.name +
                       "'; expected 1 to 32 characters out of letters, digits, '_', '-' and '.'");
      return;
    }
    const std::string key = directive + " " + line.name;
    if (const auto first = seen_instances_.find(key); first != seen_instances_.end()) {
      fail(number, "duplicate " + directive + " instance name '" + line.name + "' (first defined at " +
                       origin(first->second) + ")");
      return;
    }
    seen_instances_[key] = number;

    std::optional<std::chrono::milliseconds> interval, timeout;
    for (std::size_t i = 2; i < words.size(); ++i) {
      const std::string& word = words[i];
      const auto eq = word.find('=');
      if (eq == std::string::npos) {
        line.args.push_back(word);
        continue;
      }
      const std::string name = word.substr(0, eq), value = word.substr(eq + 1);
      if (name == "interval" || name == "timeout") {
        auto& slot = name == "interval" ? interval : timeout;
        if (slot) fail(number, "option '" + name + "=' is given twice");
        slot = parse_period(value, name, number);
        if (!slot) return;
      } else {
        line.options.emplace_back(name, value);
      }
    }
    pending_periods_.push_back({interval, timeout, number});
    config_.instances.push_back(std::move(line));
  }

  // Global interval/timeout apply to every instance wherever they appear.
  void resolve_periods() {
    if (config_.timeout >= config_.interval && (timeout_line_ || interval_line_)) {
      fail(timeout_line_ ? timeout_line_ : interval_line_,
           "timeout " + duration_text(config_.timeout) + " must be shorter than interval " +
               duration_text(config_.interval));
    }
    for (std::size_t i = 0; i < config_.instances.size(); ++i) {
      auto& line = config_.instances[i];
      const auto& own = pending_periods_[i];
      line.interval = own.interval.value_or(config_.interval);
      line.timeout = own.timeout.value_or(config_.timeout);
      line.identity += " (every " + duration_text(line.interval) + ", timeout " + duration_text(line.timeout) + ")";
      if ((own.interval || own.timeout) && line.timeout >= line.interval) {
        fail(own.line, "timeout " + duration_text(line.timeout) + " must be shorter than interval " +
                           duration_text(line.interval));
      }
    }
  }


  struct Periods {
    std::optional<std::chrono::milliseconds> interval, timeout;
    int line;
  };

  const std::string& filename_;
  std::span<const std::string_view> instance_directives_;
  Config config_;
  std::vector<ConfigError> errors_;
  std::map<std::string, int> seen_globals_;
  std::map<std::string, int> seen_instances_;
  std::map<std::string, int> seen_events_;
  std::vector<Periods> pending_periods_;
  int interval_line_ = 0;
  int timeout_line_ = 0;
};

}  // namespace

std::optional<std::chrono::milliseconds> parse_seconds(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 3))) {
    return std::nullopt;
  }
  std::uint64_t seconds = 0, millis = 0;
  const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (ec != std::errc() || end != whole.data() + whole.size() || seconds > 1'000'000) return std::nullopt;
  if (!fraction.empty()) {
    const auto parsed = std::from_chars(fraction.data(), fraction.data() + fraction.size(), millis);
    if (parsed.ec != std::errc() || parsed.ptr != fraction.data() + fraction.size()) return std::nullopt;
    for (std::size_t i = fraction.size(); i < 3; ++i) millis *= 10;
  }
  return std::chrono::milliseconds(seconds * 1000 + millis);
}

ParsedConfig parse_config(std::string_view text, const std::string& filename,
                          std::span<const std::string_view> instance_directives) {
  return Parser(filename, instance_directives).parse(text);
}

std::string join_errors(std::vector<ConfigError> errors) {
  std::stable_sort(errors.begin(), errors.end(),
                   [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e.message;
  return out;
}

}  // namespace mwx
