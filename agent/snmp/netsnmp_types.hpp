#pragma once
// Our value types as net-snmp's ASN.1 tags. Include after net-snmp's
// headers, in the files that talk to net-snmp (the handler, the notifier).

#include <type_traits>

#include "agent/base/oid.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// Snapshot OIDs are passed to net-snmp without conversion.
static_assert(std::is_same_v<::oid, OidArc>, "net-snmp's oid must be mwx::OidArc");

inline u_char asn_type(SnmpType type) {
  switch (type) {
    case SnmpType::Integer: return ASN_INTEGER;
    case SnmpType::OctetString: return ASN_OCTET_STR;
    case SnmpType::Counter32: return ASN_COUNTER;
    case SnmpType::Gauge32: return ASN_GAUGE;
    case SnmpType::Unsigned32: return ASN_UNSIGNED;
    case SnmpType::Counter64: return ASN_COUNTER64;
  }
  return ASN_NULL;
}

}  // namespace mwx
