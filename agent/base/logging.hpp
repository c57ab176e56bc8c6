#pragma once
// spdlog set-up: stderr in the foreground, syslog as a daemon. One logger per
// subsystem ("agentx", "config", "memcached", ...) sharing the same sink, so
// every line names where it comes from.

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace mwx {

void setup_logging(bool foreground);
// Every logger, present and future, writes to `sink` (inside snmpd: its log).
void log_to(spdlog::sink_ptr sink);
// Accepts trace, debug, info, warn, error; false for anything else.
bool set_log_level(const std::string& level);
std::shared_ptr<spdlog::logger> logger(const std::string& name);

}  // namespace mwx
