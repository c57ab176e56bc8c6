#pragma once
// mwagentx's command line, net-snmp style.

#include <optional>
#include <string>

#include "agent/base/result.hpp"

namespace mwx {

// Where the agent reads its configuration unless told otherwise (-c, or
// mwagentxConfig in snmpd.conf when loaded into snmpd).
inline constexpr char kDefaultConfigPath[] = "/etc/mwagentx/mwagentx.conf";

struct CommandLine {
  enum class Mode { Run, Check, Dump, ListObjects, ListEvents, Version, Help };
  Mode mode = Mode::Run;
  std::string config_path = kDefaultConfigPath;
  std::optional<std::string> agentx_socket;  // -x: overrides the config file
  bool foreground = false;
};

Result<CommandLine> parse_command_line(int argc, char** argv);
std::string usage_text();

}  // namespace mwx
