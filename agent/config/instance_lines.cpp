#include "agent/config/instance_lines.hpp"

#include "agent/base/text_values.hpp"

namespace mwx::config {
namespace {

std::string join_words(const Words& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace

void InstanceLines::parse(const Words& words, int number) {
  const std::string& directive = words[0];
  if (words.size() < 2) {
    context_.fail(number, "'" + directive + "' needs an instance name");
    return;
  }
  InstanceLine line;
  line.subsystem = directive;
  line.name = words[1];
  line.origin = context_.origin(number);
  line.line = number;
  line.identity = join_words(words);
  if (!claim_name(line)) return;
  Periods periods{std::nullopt, std::nullopt, number};
  for (std::size_t i = 2; i < words.size(); ++i) {
    if (!parse_word(words[i], line, periods)) return;
  }
  own_periods_.push_back(periods);
  config_.instances.push_back(std::move(line));
}

bool InstanceLines::claim_name(const InstanceLine& line) {
  if (!valid_instance_name(line.name)) {
    context_.fail(line.line, "bad instance name '" + line.name + "'; expected " + std::string(kInstanceNameRule));
    return false;
  }
  const std::string key = line.subsystem + " " + line.name;
  if (const auto first = seen_.find(key); first != seen_.end()) {
    context_.fail(line.line, "duplicate " + line.subsystem + " instance name '" + line.name +
                                 "' (first defined at " + context_.origin(first->second) + ")");
    return false;
  }
  seen_[key] = line.line;
  return true;
}

// A positional argument, interval=, timeout= or another KEY=VALUE for the
// subsystem; false if the line is unusable.
bool InstanceLines::parse_word(const std::string& word, InstanceLine& line, Periods& periods) {
  const auto eq = word.find('=');
  if (eq == std::string::npos) {
    line.args.push_back(word);
    return true;
  }
  const std::string name = word.substr(0, eq), value = word.substr(eq + 1);
  if (name != "interval" && name != "timeout") {
    line.options.emplace_back(name, value);
    return true;
  }
  auto& slot = name == "interval" ? periods.interval : periods.timeout;
  if (slot) context_.fail(line.line, "option '" + name + "=' is given twice");
  slot = context_.period(value, name, line.line);
  return slot.has_value();
}

void InstanceLines::resolve_periods(const GlobalSettings& globals) {
  if (config_.timeout >= config_.interval && (globals.timeout_line() || globals.interval_line())) {
    context_.fail(globals.timeout_line() ? globals.timeout_line() : globals.interval_line(),
                  "timeout " + duration_text(config_.timeout) + " must be shorter than interval " +
                      duration_text(config_.interval));
  }
  for (std::size_t i = 0; i < config_.instances.size(); ++i) {
    auto& line = config_.instances[i];
    const auto& own = own_periods_[i];
    line.interval = own.interval.value_or(config_.interval);
    line.timeout = own.timeout.value_or(config_.timeout);
    line.identity += " (every " + duration_text(line.interval) + ", timeout " + duration_text(line.timeout) + ")";
    if ((own.interval || own.timeout) && line.timeout >= line.interval) {
      context_.fail(own.line, "timeout " + duration_text(line.timeout) + " must be shorter than interval " +
                                  duration_text(line.interval));
    }
  }
}

}  // namespace mwx::config
