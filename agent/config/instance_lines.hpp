#pragma once
// The instance lines of mwagentx.conf (private to config/):
// `DIRECTIVE NAME [ARG...] [interval=S] [timeout=S] [KEY=VALUE...]`, one
// instance each, unique per subsystem; what the words mean is the
// subsystem's (agent/config_loader.cpp).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/config/global_settings.hpp"
#include "agent/config/parse_context.hpp"

namespace mwx::config {

class InstanceLines {
 public:
  InstanceLines(ParseContext& context, Config& config) : context_(context), config_(config) {}

  // A line whose first word is a subsystem's directive.
  void parse(const Words& words, int line);

  // Gives every instance its effective interval and timeout, once the whole
  // file is read: the global ones apply wherever in the file they are.
  void resolve_periods(const GlobalSettings& globals);

 private:
  struct Periods {
    std::optional<std::chrono::milliseconds> interval, timeout;
    int line;
  };

  bool claim_name(const InstanceLine& line);
  bool parse_word(const std::string& word, InstanceLine& line, Periods& periods);

  ParseContext& context_;
  Config& config_;
  std::map<std::string, int> seen_;     // "memcached sessions" -> its line
  std::vector<Periods> own_periods_;    // one per config_.instances
};

}  // namespace mwx::config
