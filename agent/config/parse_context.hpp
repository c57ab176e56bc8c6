#pragma once
// What the parts of the configuration parser share (private to config/):
// the file's name for FILE:LINE, the errors found so far, and the checks of
// a number, a period and an instance name that every kind of line uses.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/config/config_file.hpp"

namespace mwx::config {

using Words = std::vector<std::string>;

constexpr std::uint64_t kMaxHoldSeconds = 86'400;

class ParseContext {
 public:
  explicit ParseContext(const std::string& filename) : filename_(filename) {}

  std::string origin(int line) const { return filename_ + ":" + std::to_string(line); }
  void fail(int line, const std::string& message) { errors_.push_back({line, origin(line) + ": " + message}); }
  std::vector<ConfigError> take_errors() { return std::move(errors_); }

  // `value` as a whole number from min to max, or nullopt and an error
  // "bad WHAT 'VALUE'; expected KIND from MIN to MAX".
  std::optional<std::uint64_t> whole_number(const std::string& what, const std::string& value, int line,
                                            std::uint64_t min, std::uint64_t max, const char* kind);
  // An interval or a timeout: seconds from 0.1 to 86400.
  std::optional<std::chrono::milliseconds> period(const std::string& value, const std::string& what, int line);

 private:
  const std::string& filename_;
  std::vector<ConfigError> errors_;
};

// 1 to 32 of letters, digits, '_', '-' and '.': an SNMP index readable as is.
bool valid_instance_name(std::string_view name);
constexpr std::string_view kInstanceNameRule = "1 to 32 characters out of letters, digits, '_', '-' and '.'";

// "a, b, c"
std::string join_names(const std::vector<std::string>& names);

}  // namespace mwx::config
