#include "agent/command_line.hpp"

#include <getopt.h>

#include "agent/subsystem.hpp"

namespace mwx {

std::string usage_text() {
  std::string served;
  for (const auto& s : subsystems()) served += (served.empty() ? "" : ", ") + std::string(s.directive);
  std::string instances;
  for (const auto& s : subsystems()) instances += "  " + std::string(s.usage) + "\n";
  return "Usage: mwagentx [-c FILE] [-x ADDRESS] [-f] [--check | --dump | --list-objects | --list-events]\n"
         "\n"
         "AgentX subagent serving MWAGENTX-MIB (" + served + ") through snmpd.\n"
         "\n"
         "  -c FILE         configuration file (default " + std::string(kDefaultConfigPath) + ")\n"
         "  -x ADDRESS      AgentX master socket, e.g. /var/agentx/master or tcp:127.0.0.1:705;\n"
         "                  overrides agentx_socket in the configuration\n"
         "  -f              stay in the foreground and log to stderr (default: daemon, syslog)\n"
         "  --check         validate the configuration, print what is wrong, exit 0 or 1\n"
         "  --dump          poll every configured instance once and print every value with\n"
         "                  its MIB object name and index; needs no snmpd\n"
         "  --list-objects  print every MIB object the agent serves: name, OID, type\n"
         "  --list-events   print every notification it sends, and every event with its\n"
         "                  default thresholds (mwagentx.conf's 'event' lines)\n"
         "  --version       print the version\n"
         "  -h, --help      print this help\n"
         "\n"
         "Signals: SIGHUP reloads the configuration (a bad one is rejected and the running\n"
         "one stays); SIGTERM and SIGINT stop the agent.\n"
         "\n"
         "Instances, one line each in the configuration file:\n" + instances;
}

Result<CommandLine> parse_command_line(int argc, char** argv) {
  enum { kCheck = 256, kDump, kListObjects, kListEvents, kVersion };
  static const option options[] = {
      {"check", no_argument, nullptr, kCheck},          {"dump", no_argument, nullptr, kDump},
      {"list-objects", no_argument, nullptr, kListObjects}, {"version", no_argument, nullptr, kVersion},
      {"list-events", no_argument, nullptr, kListEvents}, {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  CommandLine line;
  optind = 1;
  opterr = 0;
  int modes = 0;
  for (int c; (c = getopt_long(argc, argv, ":c:x:fh", options, nullptr)) != -1;) {
    switch (c) {
      case 'c': line.config_path = optarg; break;
      case 'x': line.agentx_socket = std::string(optarg); break;
      case 'f': line.foreground = true; break;
      case 'h': line.mode = CommandLine::Mode::Help; ++modes; break;
      case kCheck: line.mode = CommandLine::Mode::Check; ++modes; break;
      case kDump: line.mode = CommandLine::Mode::Dump; ++modes; break;
      case kListObjects: line.mode = CommandLine::Mode::ListObjects; ++modes; break;
      case kListEvents: line.mode = CommandLine::Mode::ListEvents; ++modes; break;
      case kVersion: line.mode = CommandLine::Mode::Version; ++modes; break;
      case ':': return Error{std::string("option needs a value: ") + argv[optind - 1]};
      default: return Error{std::string("unknown option: ") + argv[optind - 1]};
    }
  }
  if (optind < argc) return Error{std::string("unexpected argument: ") + argv[optind]};
  if (modes > 1) return Error{"give at most one of --check, --dump, --list-objects, --list-events, --version, --help"};
  return line;
}

}  // namespace mwx
