// net-snmp's side of Notifier: one event as an SNMPv2 notification, which
// the AgentX master (or, loaded into snmpd, snmpd itself) sends to its
// trap2sink/informsink destinations.

#include <algorithm>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/events/event_catalog.hpp"
#include "agent/events/event_log.hpp"
#include "agent/snmp/netsnmp_types.hpp"
#include "agent/snmp/notifier.hpp"

namespace mwx {
namespace {

// SNMPv2-MIB::snmpTrapOID.0: net-snmp drops a notification whose first
// varbind is not this.
const oid kSnmpTrapOid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

void add_object(netsnmp_variable_list** vars, const Event& event, const Column& column) {
  const auto value = event_object_value(event, column);
  if (!value.present) return;
  const Oid name = concat(event_entry_oid(), {column.arc, event.index});
  const u_char type = asn_type(column.type);
  if (column.type == SnmpType::OctetString) {
    snmp_varlist_add_variable(vars, name.data(), name.size(), type, value.text.data(), value.text.size());
  } else if (column.type == SnmpType::Counter64) {
    const counter64 wide{static_cast<u_long>(value.number >> 32), static_cast<u_long>(value.number & 0xffffffffu)};
    snmp_varlist_add_variable(vars, name.data(), name.size(), type, &wide, sizeof wide);
  } else {
    const long narrow = static_cast<long>(std::min<std::uint64_t>(value.number, 0xffffffffu));  // latches
    snmp_varlist_add_variable(vars, name.data(), name.size(), type, &narrow, sizeof narrow);
  }
}

}  // namespace

void send_notification(const Event& event) {
  netsnmp_variable_list* vars = nullptr;
  const Oid type = notification_oid(*event.type);
  snmp_varlist_add_variable(&vars, kSnmpTrapOid, OID_LENGTH(kSnmpTrapOid), ASN_OBJECT_ID, type.data(),
                            type.size() * sizeof(oid));
  for (const Column* column : notification_objects(*event.type)) add_object(&vars, event, *column);
  send_v2trap(vars);
  snmp_free_varbind(vars);
}

}  // namespace mwx
