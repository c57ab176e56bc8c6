#pragma once
// The one place in code that knows where MWAGENTX-MIB lives.

#include "agent/base/oid.hpp"

namespace mwx {

// MWAGENTX-MIB::mwxMIB ::= { netSnmpExperimental 1 }
//   netSnmpExperimental = 1.3.6.1.4.1.8072.9999 (NET-SNMP-MIB)
inline const Oid& mwx_mib_root() {
  static const Oid root{1, 3, 6, 1, 4, 1, 8072, 9999, 1};
  return root;
}

// mwxObjects.N: the subtree of one subsystem (mwxAgent = 1, mwxMemcached = 2).
inline Oid mwx_objects(OidArc subsystem) { return concat(mwx_mib_root(), {1, subsystem}); }

// mwxObjects.SUBSYSTEM.TABLE.1: the entry of one of a subsystem's tables
// (its instance table is 1).
// Made once, at the first call.
template <OidArc Subsystem, OidArc Table>
const Oid& table_entry_oid() {
  static const Oid oid = concat(mwx_objects(Subsystem), {Table, 1});
  return oid;
}

}  // namespace mwx
