#include "agent/mib/agent_group.hpp"

#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx {
namespace {

constexpr OidArc kMwxAgent = 1;  // mwxObjects.1

constexpr Column kVersion{1, "mwxAgentVersion", SnmpType::OctetString};
constexpr Column kStartTime{2, "mwxAgentStartTime", SnmpType::OctetString, kDateAndTime};
constexpr Column kConfigReloads{3, "mwxAgentConfigReloads", SnmpType::Counter64};
constexpr Column kConfigReloadFailures{4, "mwxAgentConfigReloadFailures", SnmpType::Counter64};
constexpr Column kUptime{5, "mwxAgentUptime", SnmpType::Unsigned32, {}, "seconds"};
constexpr const Column* kScalars[] = {&kVersion, &kStartTime, &kConfigReloads, &kConfigReloadFailures, &kUptime};

Oid scalar(const Column& object) { return concat(mwx_objects(kMwxAgent), {object.arc, 0}); }

}  // namespace

std::string_view agent_version() { return MWX_VERSION; }

void write_agent_scalars(SnapshotBuilder& out, const AgentState& state) {
  out.add_text(scalar(kVersion), agent_version());
  out.add_text(scalar(kStartTime), date_and_time(state.start_time));
  out.add_number(scalar(kConfigReloads), kConfigReloads.type, state.config_reloads);
  out.add_number(scalar(kConfigReloadFailures), kConfigReloadFailures.type, state.config_reload_failures);
  out.add_seconds_since(scalar(kUptime), steady_time_of(state.start_time), Snapshot::kNoInstance);
}

void describe_agent(MibCatalog& catalog) { catalog.add_scalars(mwx_objects(kMwxAgent), kScalars); }

}  // namespace mwx
