#include "agent/agent_mib.hpp"

#include "agent/mib_root.hpp"
#include "agent/subsystem.hpp"
#include "agent/text_values.hpp"

namespace mwx {
namespace {

constexpr OidArc kMwxAgent = 1;  // mwxObjects.1
constexpr OidArc kVersion = 1, kStartTime = 2, kConfigReloads = 3, kConfigReloadFailures = 4, kUptime = 5;

Oid scalar(OidArc object) { return concat(mwx_objects(kMwxAgent), {object, 0}); }
Oid object_oid(OidArc object) { return concat(mwx_objects(kMwxAgent), {object}); }

}  // namespace

std::string_view agent_version() { return MWX_VERSION; }

void write_agent_scalars(SnapshotBuilder& out, const AgentState& state) {
  out.add_text(scalar(kVersion), agent_version());
  out.add_text(scalar(kStartTime), date_and_time(state.start_time));
  out.add_number(scalar(kConfigReloads), SnmpType::Counter64, state.config_reloads);
  out.add_number(scalar(kConfigReloadFailures), SnmpType::Counter64, state.config_reload_failures);
  out.add_seconds_since(scalar(kUptime), steady_time_of(state.start_time), Snapshot::kNoInstance);
}

void describe_agent(MibCatalog& catalog) {
  catalog.add_scalar("mwxAgentVersion", object_oid(kVersion), SnmpType::OctetString);
  catalog.add_scalar("mwxAgentStartTime", object_oid(kStartTime), SnmpType::OctetString, kDateAndTime);
  catalog.add_scalar("mwxAgentConfigReloads", object_oid(kConfigReloads), SnmpType::Counter64);
  catalog.add_scalar("mwxAgentConfigReloadFailures", object_oid(kConfigReloadFailures), SnmpType::Counter64);
  catalog.add_scalar("mwxAgentUptime", object_oid(kUptime), SnmpType::Unsigned32);
}

MibCatalog full_catalog() {
  MibCatalog catalog;
  describe_agent(catalog);
  for (const auto& s : subsystems()) s.describe(catalog);
  return catalog;
}

}  // namespace mwx
