#pragma once
// The global directives of mwagentx.conf (private to config/): one value
// each, set at most once, wherever in the file.

#include <map>
#include <string>

#include "agent/config/parse_context.hpp"

namespace mwx::config {

class GlobalSettings {
 public:
  GlobalSettings(ParseContext& context, Config& config) : context_(context), config_(config) {}

  // Each global directive and the form of its value: "interval" -> "SECONDS".
  static const std::map<std::string, std::string>& usage();
  static bool is_global(const std::string& directive) { return usage().count(directive) != 0; }

  // A line whose first word is a global directive.
  void parse(const Words& words, int line);

  // Where the global interval and timeout were set (0: not set).
  int interval_line() const { return interval_line_; }
  int timeout_line() const { return timeout_line_; }

 private:
  void set(const std::string& directive, const std::string& value, int line);
  void set_level(const std::string& value, int line);

  ParseContext& context_;
  Config& config_;
  std::map<std::string, int> seen_;
  int interval_line_ = 0;
  int timeout_line_ = 0;
};

}  // namespace mwx::config
