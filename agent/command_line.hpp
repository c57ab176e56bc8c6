#pragma once
// mwagentx's command line, net-snmp style.

#include <optional>
#include <string>

#include "agent/result.hpp"

namespace mwx {

struct CommandLine {
  enum class Mode { Run, Check, Dump, ListObjects, ListEvents, Version, Help };
  Mode mode = Mode::Run;
  std::string config_path = "/etc/mwagentx/mwagentx.conf";
  std::optional<std::string> agentx_socket;  // -x: overrides the config file
  bool foreground = false;
};

Result<CommandLine> parse_command_line(int argc, char** argv);
std::string usage_text();

}  // namespace mwx
