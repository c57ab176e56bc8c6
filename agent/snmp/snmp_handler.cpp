#include "agent/snmp/snmp_handler.hpp"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_sysORTable.h>

#include "agent/mib/mib_root.hpp"
#include "agent/snmp/netsnmp_types.hpp"

namespace mwx {
namespace {

void set_value(netsnmp_variable_list* var, const AnsweredValue& value) {
  switch (value.type) {
    case SnmpType::OctetString:
      snmp_set_var_typed_value(var, ASN_OCTET_STR, value.text.data(), value.text.size());
      return;
    case SnmpType::Counter64: {
      counter64 c64{value.number >> 32, value.number & 0xffffffffu};
      snmp_set_var_typed_value(var, ASN_COUNTER64, &c64, sizeof c64);
      return;
    }
    case SnmpType::Integer: {
      const long v = static_cast<long>(static_cast<std::int64_t>(value.number));
      snmp_set_var_typed_value(var, ASN_INTEGER, &v, sizeof v);
      return;
    }
    default: {
      const u_long v = static_cast<u_long>(value.number);
      snmp_set_var_typed_value(var, asn_type(value.type), &v, sizeof v);
      return;
    }
  }
}

int handle_request(netsnmp_mib_handler* handler, netsnmp_handler_registration*,
                   netsnmp_agent_request_info* reqinfo, netsnmp_request_info* requests) {
  const auto& context = *static_cast<const HandlerContext*>(handler->myvoid);
  const std::shared_ptr<const Snapshot> snapshot = context.store.current();  // one reference per request
  const SteadyTime now = std::chrono::steady_clock::now();
  for (netsnmp_request_info* request = requests; request != nullptr; request = request->next) {
    if (request->processed) continue;
    netsnmp_variable_list* var = request->requestvb;
    const OidView asked(var->name, var->name_length);
    switch (reqinfo->mode) {
      case MODE_GET:
        if (const auto entry = snapshot->find(asked, now)) {
          set_value(var, Snapshot::value_of(*entry, now));
        } else {
          const bool known = context.catalog.object_for(asked) != nullptr;
          netsnmp_set_request_error(reqinfo, request, known ? SNMP_NOSUCHINSTANCE : SNMP_NOSUCHOBJECT);
        }
        break;
      case MODE_GETNEXT:
        // Past our last entry the varbind stays untouched and the master
        // moves on to the next registered subtree.
        if (const auto entry = snapshot->next(asked, now, context.walk)) {
          const OidView found = context.walk.oid();
          snmp_set_var_objid(var, found.data(), found.size());
          set_value(var, Snapshot::value_of(*entry, now));
        }
        break;
      default:
        netsnmp_set_request_error(reqinfo, request, SNMP_ERR_NOTWRITABLE);
        break;
    }
  }
  return SNMP_ERR_NOERROR;
}

}  // namespace

bool register_snapshot_handler(const HandlerContext& context) {
  const Oid& root = mwx_mib_root();
  netsnmp_handler_registration* registration = netsnmp_create_handler_registration(
      "mwxMIB", handle_request, root.data(), root.size(), HANDLER_CAN_RONLY);
  if (registration == nullptr) return false;
  registration->handler->myvoid = const_cast<HandlerContext*>(&context);
  return netsnmp_register_handler(registration) == MIB_REGISTERED_OK;
}

void unregister_snapshot_handler() {
  const Oid& root = mwx_mib_root();
  unregister_mib(const_cast<OidArc*>(root.data()), root.size());
}

void register_sysor_entry() {
  const Oid& root = mwx_mib_root();
  register_sysORTable(const_cast<OidArc*>(root.data()), root.size(), "MWAGENTX-MIB, served by mwagentx");
}

void unregister_sysor_entry() {
  const Oid& root = mwx_mib_root();
  unregister_sysORTable(const_cast<OidArc*>(root.data()), root.size());
}

}  // namespace mwx
