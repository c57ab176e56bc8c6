#pragma once
// MWAGENTX-MIB's mwxAgent group: the agent's own state.

#include <chrono>
#include <cstdint>
#include <string>

#include "agent/mib/mib_catalog.hpp"
#include "agent/snapshot/snapshot_builder.hpp"

namespace mwx {

struct AgentState {
  std::chrono::system_clock::time_point start_time = std::chrono::system_clock::now();
  std::uint64_t config_reloads = 0;
  std::uint64_t config_reload_failures = 0;
};

std::string_view agent_version();  // from CMake's project(VERSION)

void write_agent_scalars(SnapshotBuilder& out, const AgentState& state);
void describe_agent(MibCatalog& catalog);

}  // namespace mwx
