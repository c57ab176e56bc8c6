#pragma once
// A configuration ready to run: the parsed file and its instances. Used the
// same way by --check, --dump, start-up and SIGHUP reload, so all four
// accept and reject exactly the same files.

#include <memory>
#include <string>
#include <vector>

#include "agent/base/result.hpp"
#include "agent/config/config_file.hpp"
#include "agent/poll/instance.hpp"
#include "agent/poll/poller.hpp"

namespace mwx {

struct Configuration {
  Config config;
  std::vector<std::shared_ptr<Instance>> instances;
};

// Every problem found, one "FILE:LINE: message" per line; nothing half-built.
Result<Configuration> load_configuration(const std::string& path);
Result<Configuration> configuration_from_text(std::string_view text, const std::string& filename);

// What the poller takes from the configuration: its bound and the event log's.
PollerOptions poller_options(const Config& config);

}  // namespace mwx
