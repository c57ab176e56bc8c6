#include "agent/config/config_file.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "agent/base/parse_helpers.hpp"
#include "agent/config/event_lines.hpp"
#include "agent/config/global_settings.hpp"
#include "agent/config/instance_lines.hpp"
#include "agent/config/parse_context.hpp"

namespace mwx {
namespace {

// Reads the file line by line and hands each line to the part that parses
// its kind: a global setting, an instance or an event.
class Parser {
 public:
  Parser(const std::string& filename, std::span<const std::string_view> instance_directives)
      : context_(filename), instance_directives_(instance_directives), globals_(context_, config_),
        instances_(context_, config_), events_(context_, config_, instance_directives) {}

  ParsedConfig parse(std::string_view text) {
    int number = 0;
    std::size_t at = 0;
    while (at <= text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      parse_line(text.substr(at, end - at), ++number);
      at = end + 1;
    }
    instances_.resolve_periods(globals_);
    return {std::move(config_), context_.take_errors()};
  }

 private:
  void parse_line(std::string_view line, int number) {
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto split = split_words(line);
    const config::Words words(split.begin(), split.end());
    if (words.empty()) return;
    const std::string& directive = words[0];
    if (std::find(instance_directives_.begin(), instance_directives_.end(), directive) != instance_directives_.end()) {
      instances_.parse(words, number);
    } else if (directive == "event") {
      events_.parse(words, number);
    } else if (config::GlobalSettings::is_global(directive)) {
      globals_.parse(words, number);
    } else {
      context_.fail(number, "unknown directive '" + directive + "'; expected one of: " + known_directives());
    }
  }

  std::string known_directives() const {
    std::set<std::string> all{"event"};
    for (const auto& [name, _] : config::GlobalSettings::usage()) all.insert(name);
    for (auto name : instance_directives_) all.emplace(name);
    return config::join_names({all.begin(), all.end()});
  }

  config::ParseContext context_;
  std::span<const std::string_view> instance_directives_;
  Config config_;
  config::GlobalSettings globals_;
  config::InstanceLines instances_;
  config::EventLines events_;
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
